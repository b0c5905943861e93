"""The audit key lives outside the database: made once with mode 0600, never silently replaced, and verify names it
when it is missing or another one (both stores)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete
from typer.testing import CliRunner

from kouan.app import create_app
from kouan.audit.keys import MissingKey
from kouan.audit.models import AuditAnchor, AuditEvent
from kouan.audit.service import record, verify_chain
from kouan.cli import app
from kouan.db import unit_of_work
from kouan.settings import Settings, get_settings
from kouan.users.models import Role
from kouan.users.service import create_user

runner = CliRunner()


def _record(store: str, n: int = 1) -> None:
    with unit_of_work(store) as session:
        for i in range(n):
            record(session=session, actor="user:o", action="referral.hand_over", entity="referral", entity_id=i)


def _use(monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(f"KOUAN_{name.upper()}", value)
    get_settings.cache_clear()


def test_the_first_event_makes_a_key_file_only_its_owner_reads(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KOUAN_AUDIT_KEY_FILE")
    _use(monkeypatch, data_dir=str(tmp_path / "data"))
    _record(store)
    made = tmp_path / "data" / "audit.key"
    assert stat.S_IMODE(made.stat().st_mode) == 0o600 and len(made.read_text().strip()) == 64
    _record(store)
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0


def test_a_lost_key_is_named_and_not_replaced_under_a_written_chain(store: str, audit_files: dict[str, Path]) -> None:
    _record(store, 2)
    audit_files["key"].rename(audit_files["key"].with_suffix(".moved"))
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1 and "the audit key" in result.output and "is missing" in result.output
    with pytest.raises(MissingKey):
        _record(store)
    assert not audit_files["key"].exists()


def test_events_written_under_another_key_do_not_verify(
    store: str, audit_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _record(store, 2)
    _use(monkeypatch, audit_key="k" * 32)  # the setting wins over the file
    with unit_of_work(store) as session:
        first = verify_chain(session=session)
        assert first is not None and "audit key" in first.problem
        session.execute(delete(AuditEvent))
        session.execute(delete(AuditAnchor))
    _record(store)
    with unit_of_work(store) as session:
        assert verify_chain(session=session) is None


def test_the_api_names_a_store_emptied_after_a_checkpoint(store: str) -> None:
    _record(store, 3)
    assert runner.invoke(app, ["audit", "checkpoint"]).exit_code == 0
    with unit_of_work(store) as session:
        session.execute(delete(AuditEvent))
        session.execute(delete(AuditAnchor))
        token = create_user(session=session, username="analyst7", role=Role.analyst)[1]
    with TestClient(create_app(Settings(database_url=store))) as client:
        verdict = client.get("/api/measures/audit/verify", headers={"Authorization": f"Bearer {token}"}).json()
    assert verdict["intact"] is False and "holds 0 events" in verdict["problem"]
