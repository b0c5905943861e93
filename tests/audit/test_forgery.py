"""Someone who can write to the database and read kouan's source, but not its audit key nor the checkpoint kept
outside the store, cannot make a changed or emptied chain verify (both stores)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqlalchemy import delete, select
from typer.testing import CliRunner

from kouan.audit.models import AuditAnchor, AuditEvent
from kouan.audit.service import record
from kouan.cli import app
from kouan.db import unit_of_work
from tests.audit.conftest import verify as _verify

runner = CliRunner()
GENESIS = "0" * 64


def _checkpoint() -> None:
    result = runner.invoke(app, ["audit", "checkpoint"])
    assert result.exit_code == 0, result.output


def _published_digest(*, previous: str, event: AuditEvent) -> str:
    """The digest as kouan's source spelled it before the key: anyone reading the code can compute it."""
    fields = {"actor": event.actor, "action": event.action, "entity": event.entity, "entity_id": event.entity_id,
              "basis": event.basis, "before": event.before, "after": event.after}  # fmt: skip
    content = json.dumps({"previous": previous, "at": event.at.isoformat(), **fields}, sort_keys=True, default=str)
    return hashlib.sha256(content.encode()).hexdigest()


def _rechain(store: str, *, changed: int, actor: str) -> None:
    """Change one event, then give it and every later event a fresh hash chained from the one before, head too."""
    with unit_of_work(store) as session:
        previous = GENESIS
        for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all():
            if event.id == changed:
                event.actor = actor
            event.previous_hash, event.hash = previous, _published_digest(previous=previous, event=event)
            previous = event.hash
        head = session.get(AuditAnchor, 1)
        assert head is not None
        head.last_hash = previous


def test_a_changed_event_rechained_with_the_published_digest_is_named(store: str, chain: list[int]) -> None:
    _rechain(store, changed=chain[2], actor="agency:someone-else")
    code, output = _verify()
    assert code == 1 and f"event #{chain[0]}" in output and "audit key" in output


def test_emptying_the_store_after_a_checkpoint_is_broken(store: str, chain: list[int]) -> None:
    _checkpoint()
    with unit_of_work(store) as session:
        session.execute(delete(AuditEvent))
        session.execute(delete(AuditAnchor))
    code, output = _verify()
    assert code == 1 and "checkpoint" in output
    assert "holds 0 events" in output and f"counted 5 ending at event #{chain[-1]}" in output


def test_cutting_the_newest_events_and_rewriting_the_head_is_caught_by_the_checkpoint(
    store: str, chain: list[int]
) -> None:
    _checkpoint()
    with unit_of_work(store) as session:
        kept = session.get(AuditEvent, chain[2])
        assert kept is not None
        session.execute(delete(AuditEvent).where(AuditEvent.id.in_(chain[3:])))
        session.execute(delete(AuditAnchor))
        session.add(AuditAnchor(id=1, last_id=kept.id, last_hash=kept.hash, count=3))
    code, output = _verify()
    assert code == 1 and "holds 3 events" in output and f"counted 5 ending at event #{chain[-1]}" in output


def test_events_cut_and_made_up_by_new_ones_differ_at_the_checkpoints_position(store: str, chain: list[int]) -> None:
    _checkpoint()
    with unit_of_work(store) as session:
        kept = session.get(AuditEvent, chain[3])
        assert kept is not None
        session.execute(delete(AuditEvent).where(AuditEvent.id == chain[4]))
        session.execute(delete(AuditAnchor))
        session.add(AuditAnchor(id=1, last_id=kept.id, last_hash=kept.hash, count=4))
    with unit_of_work(store) as session:  # kouan goes on recording: the count is 5 again, the 5th event another
        record(session=session, actor="user:x", action="referral.hand_over", entity="referral", entity_id=1)
    code, output = _verify()
    assert code == 1 and "checkpoint" in output and f"event #{chain[-1]}" in output


def test_a_checkpoint_edited_by_hand_is_refused(store: str, chain: list[int], audit_files: dict[str, Path]) -> None:
    _checkpoint()
    path = audit_files["checkpoint"]
    saved = json.loads(path.read_text())
    path.write_text(json.dumps({**saved, "count": 2}))
    code, output = _verify()
    assert code == 1 and "checkpoint" in output and "signature" in output


def test_a_checkpoint_is_not_written_over_a_broken_chain(
    store: str, chain: list[int], audit_files: dict[str, Path]
) -> None:
    with unit_of_work(store) as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id == chain[1]))
    result = runner.invoke(app, ["audit", "checkpoint"])
    assert result.exit_code == 1 and f"event #{chain[2]}" in result.output
    assert not audit_files["checkpoint"].exists()


def test_a_checkpoint_names_what_it_vouches_for_and_verify_reads_it(
    store: str, chain: list[int], audit_files: dict[str, Path]
) -> None:
    result = runner.invoke(app, ["audit", "checkpoint"])
    saved = json.loads(audit_files["checkpoint"].read_text())
    assert json.loads(result.output) == saved
    assert (saved["count"], saved["last_id"]) == (5, chain[-1]) and len(saved["signature"]) == 64
    with unit_of_work(store) as session:
        record(session=session, actor="user:x", action="referral.hand_over", entity="referral", entity_id=1)
    summary = {name: saved[name] for name in ("count", "last_id", "at")}
    assert _verify() == (0, json.dumps({"intact": True, "checkpoint": summary}, indent=2) + "\n")
