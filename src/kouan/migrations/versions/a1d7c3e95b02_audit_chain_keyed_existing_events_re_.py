"""audit chain keyed: existing events re-hashed with HMAC-SHA256 under the audit key, as far as the old chain holds

Revision ID: a1d7c3e95b02
Revises: 3dc6e50913ac
Create Date: 2026-12-01 10:00:00.000000

No column changes: a hash is still 64 hex characters. The events are walked in order under the old, unkeyed
SHA-256; each one that still follows from the one before gets its keyed hash, chained from the keyed hash before it.
The walk stops at the first event the old chain does not vouch for, so a break made before this migration is still
named by `kouan audit verify` after it (never laundered into a fresh chain). The head follows only when the whole
chain was re-hashed and the head named its end. The key is the one the settings name (KOUAN_AUDIT_KEY, or
KOUAN_AUDIT_KEY_FILE, made with mode 0600 when absent); the digests are spelled out here so that later changes to
kouan's code never change what this migration did. Downgrading re-hashes the other way.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

import kouan.db

revision = "a1d7c3e95b02"
down_revision = "3dc6e50913ac"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
FIELDS = ("actor", "action", "entity", "entity_id", "basis", "before", "after")
EVENTS = sa.table(
    "audit_event",
    sa.column("id", sa.Integer()),
    sa.column("at", kouan.db.UTCDateTime()),
    *(sa.column(name, sa.JSON() if name in ("before", "after") else sa.String()) for name in FIELDS),
    sa.column("previous_hash", sa.String()),
    sa.column("hash", sa.String()),
)
ANCHOR = sa.table("audit_anchor", sa.column("id", sa.Integer()), sa.column("last_hash", sa.String()))
Digest = Callable[[str, datetime, dict[str, Any]], str]


def _content(previous: str, at: datetime, fields: dict[str, Any]) -> bytes:
    return json.dumps({"previous": previous, "at": at.isoformat(), **fields}, sort_keys=True, default=str).encode()


def _unkeyed(previous: str, at: datetime, fields: dict[str, Any]) -> str:
    return hashlib.sha256(_content(previous, at, fields)).hexdigest()


def _keyed(key: bytes) -> Digest:
    return lambda previous, at, fields: hmac.new(key, _content(previous, at, fields), hashlib.sha256).hexdigest()


def _key() -> bytes:
    from kouan.audit.keys import audit_key

    return audit_key(create=True)


def upgrade() -> None:
    if _has_events():
        _rechain(old=_unkeyed, new=_keyed(_key()))


def downgrade() -> None:
    if _has_events():
        _rechain(old=_keyed(_key()), new=_unkeyed)


def _has_events() -> bool:
    return op.get_bind().execute(sa.select(EVENTS.c.id).limit(1)).first() is not None


def _rechain(*, old: Digest, new: Digest) -> None:
    bind = op.get_bind()
    old_previous = new_previous = GENESIS
    for row in bind.execute(sa.select(EVENTS).order_by(EVENTS.c.id)).mappings().all():
        fields = {name: row[name] for name in FIELDS}
        if row["previous_hash"] != old_previous or row["hash"] != old(old_previous, row["at"], fields):
            return  # the old chain breaks here: leave it broken, where verify will name it
        fresh = new(new_previous, row["at"], fields)
        bind.execute(EVENTS.update().where(EVENTS.c.id == row["id"]).values(previous_hash=new_previous, hash=fresh))
        old_previous, new_previous = row["hash"], fresh
    bind.execute(ANCHOR.update().where(ANCHOR.c.last_hash == old_previous).values(last_hash=new_previous))
