"""Chains written before the key was introduced are re-hashed under it by the migration, as far as they held:
an intact chain verifies afterwards, a break made before still shows at its event (both stores)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from kouan.audit.service import record, verify_chain
from kouan.db import get_engine, unit_of_work
from kouan.migrate import alembic_config, upgrade
from tests.support.old_stores import store_at

BEFORE_KEY = "3dc6e50913ac"
GENESIS = "0" * 64
START = datetime(2020, 3, 15, 8, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgres"])
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new store at the schema before the key, so the migration runs on it for real."""
    url = store_at(request, tmp_path=tmp_path, revision=BEFORE_KEY, prefix="audit")
    yield url
    get_engine(url).dispose()


def _unkeyed(previous: str, at: datetime, fields: dict[str, object]) -> str:
    content = json.dumps({"previous": previous, "at": at.isoformat(), **fields}, sort_keys=True, default=str)
    return hashlib.sha256(content.encode()).hexdigest()


def _write_old_chain(url: str, n: int) -> list[str]:
    """Events #1..n and their head as kouan wrote them before the key: plain SHA-256."""
    previous, hashes = GENESIS, []
    with get_engine(url).begin() as connection:
        for i in range(1, n + 1):
            at = START + timedelta(minutes=i)
            fields = {"actor": "system", "action": "referral.dispatch", "entity": "referral", "entity_id": str(i),
                      "basis": None, "before": None, "after": {"to": "sent"}}  # fmt: skip
            digest = _unkeyed(previous, at, fields)
            connection.execute(
                text("INSERT INTO audit_event (at, actor, action, entity, entity_id, basis, before, after, "
                     "previous_hash, hash) VALUES (:at, :actor, :action, :entity, :entity_id, NULL, NULL, "
                     ":after, :previous, :hash)"),
                {**fields, "at": at, "after": json.dumps(fields["after"]), "previous": previous,
                 "hash": digest},
            )  # fmt: skip
            previous = digest
            hashes.append(digest)
        connection.execute(
            text("UPDATE audit_anchor SET last_id = :n, last_hash = :hash, count = :n WHERE id = 1"),
            {"n": n, "hash": previous},
        )
    return hashes


def _verify(url: str) -> str | None:
    with unit_of_work(url) as session:
        broken = verify_chain(session=session)
        return None if broken is None else f"{broken.where}: {broken.problem}"


def test_an_intact_old_chain_verifies_under_the_key_and_goes_on(old_store: str) -> None:
    old = _write_old_chain(old_store, 4)
    assert _verify(old_store) is not None  # an unkeyed chain does not pass as keyed
    upgrade(old_store)
    assert _verify(old_store) is None
    with unit_of_work(old_store) as session:
        stored = session.execute(text("SELECT hash FROM audit_event ORDER BY id")).scalars().all()
        record(session=session, actor="user:o", action="referral.hand_over", entity="referral", entity_id=1)
    assert set(stored).isdisjoint(old)
    assert _verify(old_store) is None


def test_a_break_made_before_the_key_is_still_named_after_it(old_store: str) -> None:
    _write_old_chain(old_store, 4)
    with get_engine(old_store).begin() as connection:
        connection.execute(text("UPDATE audit_event SET actor = 'someone-else' WHERE id = 3"))
    upgrade(old_store)
    assert (_verify(old_store) or "").startswith("event #3:")


def test_downgrading_gives_back_the_unkeyed_chain(old_store: str) -> None:
    old = _write_old_chain(old_store, 3)
    upgrade(old_store)
    command.downgrade(alembic_config(old_store), BEFORE_KEY)
    with get_engine(old_store).connect() as connection:
        assert connection.execute(text("SELECT hash FROM audit_event ORDER BY id")).scalars().all() == old
        assert connection.execute(text("SELECT last_hash FROM audit_anchor")).scalar_one() == old[-1]
