"""Recording audit events and checking the chain. Services never commit: the event joins the caller's
transaction, so a change and its audit record land together or not at all."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan.audit.models import AuditAnchor, AuditEvent
from kouan.db import utcnow

GENESIS = "0" * 64


def _digest(*, previous: str, at: datetime, fields: dict[str, Any]) -> str:
    content = json.dumps({"previous": previous, "at": at.isoformat(), **fields}, sort_keys=True, default=str)
    return hashlib.sha256(content.encode()).hexdigest()


def _anchor(session: Session) -> AuditAnchor:
    """The chain's head, locked until the caller's transaction ends so that writers queue and never fork it."""
    query = select(AuditAnchor).where(AuditAnchor.id == 1)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()  # SQLite's BEGIN IMMEDIATE already serialises writers
    anchor = session.scalar(query)
    if anchor is None:
        anchor = AuditAnchor(id=1, last_id=0, last_hash=GENESIS, count=0)
        session.add(anchor)
    return anchor


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
    anchor, at = _anchor(session), utcnow()
    event = AuditEvent(
        at=at, previous_hash=anchor.last_hash, hash=_digest(previous=anchor.last_hash, at=at, fields=fields), **fields
    )
    session.add(event)
    session.flush()
    anchor.last_id, anchor.last_hash, anchor.count = event.id, event.hash, anchor.count + 1
    return event


def _plain(value: dict[str, Any] | None) -> dict[str, Any] | None:
    return json.loads(json.dumps(value, default=str)) if value is not None else None


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain first fails: the event (or the head) and what is wrong with it."""

    event_id: int | None
    problem: str


def verify_chain(*, session: Session) -> ChainBreak | None:
    """The first place where the stored events do not follow from one another or from the head; None if intact."""
    previous, seen, last_id = GENESIS, 0, 0
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        if event.previous_hash != previous:
            return ChainBreak(event.id, "does not follow the event before it (an event was changed or removed)")
        if event.hash != _digest(previous=previous, at=event.at, fields=_fields(event)):
            return ChainBreak(event.id, "its content does not match its hash (the event was changed)")
        previous, seen, last_id = event.hash, seen + 1, event.id
    return _head_problem(session=session, previous=previous, seen=seen, last_id=last_id)


def _head_problem(*, session: Session, previous: str, seen: int, last_id: int) -> ChainBreak | None:
    anchor = session.get(AuditAnchor, 1)
    if anchor is None:
        return ChainBreak(None, "the chain's head record is missing") if seen else None
    if anchor.last_hash != previous or anchor.count != seen:
        return ChainBreak(
            anchor.last_id or None,
            f"the head names event #{anchor.last_id} of {anchor.count}; the table ends at #{last_id} "
            f"after {seen} (the newest events were removed or the head was changed)",
        )
    return None


def _fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "actor": event.actor,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "basis": event.basis,
        "before": event.before,
        "after": event.after,
    }


def events_for(*, session: Session, entity: str, limit: int = 200) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id.desc()).limit(limit)
    return list(session.scalars(query).all())
