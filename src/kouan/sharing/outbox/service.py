"""Writing events owed to agencies into the outbox, in the caller's transaction: the referral change and the event
land together or not at all, and the relay delivers them afterwards. Reading the outbox scoped to ports, and
re-sending a dead event by hand. Services never commit."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from kouan import errors
from kouan.audit.service import record
from kouan.db import utcnow
from kouan.settings import get_settings
from kouan.sharing.agencies.models import Agency
from kouan.sharing.outbox.models import OutboxEvent, OutboxStatus
from kouan.users.units import in_ports

PENDING, DEAD = OutboxStatus.pending.value, OutboxStatus.dead.value


class NotDead(errors.Conflict, ValueError):
    """Only a dead event can be sent again by hand (HTTP 409)."""


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
    """One event for one agency; pushed when the agency has a webhook or delivery is Kafka (every agency reads its
    kind's topic), otherwise waiting on its pull feed. ``port`` is the port the event is about (a referral's), which
    scopes who sees it; without one, the agency's port does."""
    pushed = agency.webhook_url or get_settings().delivery == "kafka"
    status = OutboxStatus.pending if pushed else OutboxStatus.pull
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


def event_port() -> ColumnElement[str | None]:
    """The port an event concerns: the one it was written with (its referral's), else its agency's (a vessel's
    early warning)."""
    agency = select(Agency.port).where(Agency.id == OutboxEvent.agency_id).scalar_subquery()
    return func.coalesce(OutboxEvent.port, agency)


def list_events(
    *, session: Session, status: str | None = None, limit: int = 100, ports: frozenset[str] | None = None
) -> list[OutboxEvent]:
    """Events about ``ports`` (None: every event), the oldest first."""
    query = select(OutboxEvent).where(in_ports(event_port(), ports)).order_by(OutboxEvent.id).limit(limit)
    if status:
        query = query.where(OutboxEvent.status == status)
    return list(session.scalars(query).all())


def get_event(*, session: Session, event_id: str, ports: frozenset[str] | None = None) -> OutboxEvent | None:
    query = select(OutboxEvent).where(OutboxEvent.event_id == event_id, in_ports(event_port(), ports))
    return session.scalar(query)


def resend(*, session: Session, event: OutboxEvent, actor: str) -> OutboxEvent:
    """A dead event goes back to pending, due now, with its attempts reset; the audit trail says who did it."""
    if event.status != DEAD:
        raise NotDead(f"event {event.event_id} is {event.status}, not dead")
    before = {"status": event.status, "attempts": event.attempts, "last_error": event.last_error}
    event.status, event.attempts, event.next_attempt_at = PENDING, 0, utcnow()
    event.lease_owner = event.lease_until = None
    record(
        session=session,
        actor=actor,
        action="outbox.resend",
        entity="outbox_event",
        entity_id=event.event_id,
        before=before,
        after={"status": PENDING, "attempts": 0},
    )
    session.flush()
    return event
