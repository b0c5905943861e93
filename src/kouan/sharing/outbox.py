"""Writing events owed to agencies into the outbox, in the caller's transaction: the referral change and the event
land together or not at all, and the relay delivers them afterwards."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from kouan.db import utcnow
from kouan.sharing.models import Agency, OutboxEvent, OutboxStatus


def new_event_id() -> str:
    return f"evt_{uuid.uuid4().hex}"


def enqueue(
    *,
    session: Session,
    agency: Agency,
    type: str,
    payload: dict[str, Any],
    referral_id: int | None = None,
    port: str | None = None,
) -> OutboxEvent:
    """One event for one agency; pushed when the agency has a webhook, otherwise waiting on its pull feed. ``port``
    is the port the event is about (a referral's), which scopes who sees it; without one, the agency's port does."""
    status = OutboxStatus.pending if agency.webhook_url else OutboxStatus.pull
    event = OutboxEvent(
        event_id=new_event_id(),
        agency_id=agency.id,
        referral_id=referral_id,
        port=port,
        type=type,
        payload=payload,
        status=status.value,
        next_attempt_at=utcnow(),
    )
    session.add(event)
    return event
