"""Recording audit events and checking the chain. Services never commit: the event joins the caller's
transaction, so a change and its audit record land together or not at all."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan.audit.models import AuditEvent
from kouan.db import utcnow

GENESIS = "0" * 64


def _digest(*, previous: str, at: datetime, fields: dict[str, Any]) -> str:
    content = json.dumps({"previous": previous, "at": at.isoformat(), **fields}, sort_keys=True, default=str)
    return hashlib.sha256(content.encode()).hexdigest()


def _last_hash(session: Session) -> str:
    query = select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()  # writers queue on the chain's end (SQLite's BEGIN IMMEDIATE does this)
    return session.scalar(query) or GENESIS


def record(
    *,
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int,
    basis: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    fields = {
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": str(entity_id),
        "basis": basis,
        "before": _plain(before),
        "after": _plain(after),
    }
    previous, at = _last_hash(session), utcnow()
    event = AuditEvent(at=at, previous_hash=previous, hash=_digest(previous=previous, at=at, fields=fields), **fields)
    session.add(event)
    session.flush()
    return event


def _plain(value: dict[str, Any] | None) -> dict[str, Any] | None:
    return json.loads(json.dumps(value, default=str)) if value is not None else None


def verify_chain(*, session: Session) -> int | None:
    """The id of the first event whose hash does not follow from its content and predecessor; None if intact."""
    previous = GENESIS
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        fields = {
            "actor": event.actor,
            "action": event.action,
            "entity": event.entity,
            "entity_id": event.entity_id,
            "basis": event.basis,
            "before": event.before,
            "after": event.after,
        }
        if event.previous_hash != previous or event.hash != _digest(previous=previous, at=event.at, fields=fields):
            return event.id
        previous = event.hash
    return None


def events_for(*, session: Session, entity: str, limit: int = 200) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id.desc()).limit(limit)
    return list(session.scalars(query).all())
