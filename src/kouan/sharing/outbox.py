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
    *, session: Session, agency: Agency, type: str, payload: dict[str, Any], referral_id: int | None = None
) -> OutboxEvent:
    """One event for one agency; pushed when the agency has a webhook, otherwise waiting on its pull feed."""
    status = OutboxStatus.pending if agency.webhook_url else OutboxStatus.pull
    event = OutboxEvent(
        event_id=new_event_id(),
        agency_id=agency.id,
        referral_id=referral_id,
        type=type,
        payload=payload,
        status=status.value,
        next_attempt_at=utcnow(),
    )
    session.add(event)
    return event
