"""`kouan audit verify` names the first broken event when a stored audit row was changed or removed (both stores)."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from typer.testing import CliRunner

from kouan.audit.models import AuditAnchor, AuditEvent
from kouan.audit.service import record
from kouan.db import unit_of_work
from tests.audit.conftest import verify as _verify

runner = CliRunner()


def test_an_intact_chain_verifies(chain: list[int]) -> None:
    assert _verify() == (0, '{\n  "intact": true,\n  "checkpoint": null\n}\n')


def test_a_changed_event_is_named(store: str, chain: list[int]) -> None:
    with unit_of_work(store) as session:
        session.execute(update(AuditEvent).where(AuditEvent.id == chain[2]).values(actor="agency:someone-else"))
    code, output = _verify()
    assert code == 1 and f"event #{chain[2]}" in output and "changed" in output


def test_a_removed_event_breaks_the_next_one(store: str, chain: list[int]) -> None:
    with unit_of_work(store) as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id == chain[1]))
    code, output = _verify()
    assert code == 1 and f"event #{chain[2]}" in output


def test_removing_the_newest_events_is_caught_by_the_head(store: str, chain: list[int]) -> None:
    with unit_of_work(store) as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id.in_(chain[3:])))
    code, output = _verify()
    assert code == 1 and "head" in output and f"#{chain[-1]}" in output


def test_a_rewritten_head_is_caught(store: str, chain: list[int]) -> None:
    with unit_of_work(store) as session:
        session.execute(update(AuditAnchor).values(count=AuditAnchor.count - 1))
    assert _verify()[0] == 1


def test_new_events_continue_the_chain_after_a_verify(store: str, chain: list[int]) -> None:
    with unit_of_work(store) as session:
        record(session=session, actor="user:x", action="referral.hand_over", entity="referral", entity_id=1)
    with unit_of_work(store) as session:
        head = session.scalar(select(AuditAnchor))
        assert head is not None and head.count == len(chain) + 1
    assert _verify()[0] == 0
