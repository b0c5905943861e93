"""Recording audit events and checking the chain. Services never commit: the event joins the caller's
transaction, so a change and its audit record land together or not at all.

Each event's hash is an HMAC-SHA256 under a key kept outside the database (:mod:`kouan.audit.keys`), so whoever can
write to the store but lacks the key cannot change an event and re-chain the ones after it. A signed checkpoint kept
outside the store (:mod:`kouan.audit.checkpoint`) vouches for how long the chain was, so cutting or emptying it
shows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan.audit.checkpoint import BadCheckpoint, Checkpoint, read_checkpoint, write_checkpoint
from kouan.audit.keys import MissingKey, audit_key, sign
from kouan.audit.models import AuditAnchor, AuditEvent
from kouan.db import utcnow
from kouan.settings import get_settings

GENESIS = "0" * 64


def _digest(*, key: bytes, previous: str, at: datetime, fields: dict[str, Any]) -> str:
    content = json.dumps({"previous": previous, "at": at.isoformat(), **fields}, sort_keys=True, default=str)
    return sign(key=key, content=content)


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
    key = audit_key(create=not anchor.count)  # a lost key is never silently replaced under a written chain
    digest = _digest(key=key, previous=anchor.last_hash, at=at, fields=fields)
    event = AuditEvent(at=at, previous_hash=anchor.last_hash, hash=digest, **fields)
    session.add(event)
    session.flush()
    anchor.last_id, anchor.last_hash, anchor.count = event.id, event.hash, anchor.count + 1
    return event


def _plain(value: dict[str, Any] | None) -> dict[str, Any] | None:
    return json.loads(json.dumps(value, default=str)) if value is not None else None


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain first fails: the event (or, when no event can be named, ``place``) and what is wrong."""

    event_id: int | None
    problem: str
    place: str = "the chain's head"

    @property
    def where(self) -> str:
        return f"event #{self.event_id}" if self.event_id else self.place


@dataclass
class _Walk:
    """What walking the stored events found: how far the chain got, and the event at the checkpoint's position."""

    previous: str = GENESIS
    seen: int = 0
    last_id: int = 0
    at_checkpoint: AuditEvent | None = None


def verify_chain(*, session: Session) -> ChainBreak | None:
    """The first place where the stored events do not follow from one another under the audit key, from the head,
    or from the configured checkpoint; None if intact."""
    return _check(session=session)[1]


def _check(*, session: Session) -> tuple[_Walk, ChainBreak | None]:
    try:
        key = audit_key(create=False)
    except MissingKey as error:
        return _Walk(), _without_key(session=session, problem=str(error))
    try:
        checkpoint = configured_checkpoint(key=key)
    except BadCheckpoint as error:
        return _Walk(), ChainBreak(None, str(error), place="the checkpoint")
    walk, broken = _walk(session=session, key=key, checkpoint=checkpoint)
    return walk, (
        broken or _head_problem(session=session, walk=walk) or _checkpoint_problem(walk=walk, checkpoint=checkpoint)
    )


def configured_checkpoint(*, key: bytes) -> Checkpoint | None:
    return read_checkpoint(key=key, path=get_settings().audit_checkpoint_path())


def _without_key(*, session: Session, problem: str) -> ChainBreak | None:
    """No key: an empty chain with no checkpoint is simply new; anything else cannot be checked."""
    if session.scalar(select(AuditEvent.id).limit(1)) is None and not get_settings().audit_checkpoint_path().exists():
        return None
    return ChainBreak(None, f"{problem}, so no event can be checked (restore the key)", place="the audit key")


def _walk(*, session: Session, key: bytes, checkpoint: Checkpoint | None) -> tuple[_Walk, ChainBreak | None]:
    walk = _Walk()
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        if event.previous_hash != walk.previous:
            return walk, ChainBreak(event.id, "does not follow the event before it (an event was changed or removed)")
        if event.hash != _digest(key=key, previous=walk.previous, at=event.at, fields=_fields(event)):
            return walk, ChainBreak(event.id, UNKEYED)
        walk.previous, walk.seen, walk.last_id = event.hash, walk.seen + 1, event.id
        if checkpoint is not None and walk.seen == checkpoint.count:
            walk.at_checkpoint = event
    return walk, None


UNKEYED = (
    "its content does not match its hash under this installation's audit key (the event was changed, or its hash "
    "was made without the key)"
)


def _head_problem(*, session: Session, walk: _Walk) -> ChainBreak | None:
    anchor = session.get(AuditAnchor, 1)
    if anchor is None:
        return ChainBreak(None, "the chain's head record is missing") if walk.seen else None
    if anchor.last_hash != walk.previous or anchor.count != walk.seen:
        return ChainBreak(
            anchor.last_id or None,
            f"the head names event #{anchor.last_id} of {anchor.count}; the table ends at #{walk.last_id} "
            f"after {walk.seen} (the newest events were removed or the head was changed)",
        )
    return None


def _checkpoint_problem(*, walk: _Walk, checkpoint: Checkpoint | None) -> ChainBreak | None:
    """The store must still hold every event the checkpoint counted, the same event at its position."""
    if checkpoint is None or checkpoint.count == 0:
        return None
    vouched = (
        f"the checkpoint of {checkpoint.at.isoformat()} counted {checkpoint.count} ending at event "
        f"#{checkpoint.last_id}"
    )
    if walk.seen < checkpoint.count:
        problem = f"the store holds {walk.seen} events; {vouched} (events were removed)"
        return ChainBreak(None, problem, place="the checkpoint")
    found = walk.at_checkpoint
    if found is None or found.id != checkpoint.last_id or found.hash != checkpoint.last_hash:
        here = f"event #{found.id}" if found else "no event"
        problem = f"{vouched}; the store has {here} there (events were removed and others written since)"
        return ChainBreak(None, problem, place="the checkpoint")
    return None


def take_checkpoint(*, session: Session) -> tuple[dict[str, Any] | None, ChainBreak | None]:
    """Writes a signed checkpoint of the chain as verified, only when it verifies (a checkpoint never vouches for a
    broken chain): the saved checkpoint, or where the chain is broken."""
    walk, broken = _check(session=session)
    if broken is not None:
        return None, broken
    checkpoint = Checkpoint(count=walk.seen, last_id=walk.last_id, last_hash=walk.previous, at=utcnow())
    key = audit_key(create=not walk.seen)
    return write_checkpoint(checkpoint=checkpoint, key=key, path=get_settings().audit_checkpoint_path()), None


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
