"""Each audit test has its own key and checkpoint file, outside the store as an installation keeps them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kouan.audit.service import record
from kouan.cli import app
from kouan.db import unit_of_work
from kouan.settings import get_settings


@pytest.fixture(autouse=True)
def audit_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Path]]:
    files = {"key": tmp_path / "audit.key", "checkpoint": tmp_path / "audit-checkpoint.json"}
    monkeypatch.setenv("KOUAN_AUDIT_KEY_FILE", str(files["key"]))
    monkeypatch.setenv("KOUAN_AUDIT_CHECKPOINT_FILE", str(files["checkpoint"]))
    get_settings.cache_clear()
    yield files
    get_settings.cache_clear()


@pytest.fixture
def chain(store: str) -> list[int]:
    """Five recorded events (agencies reading referrals 1-5); their ids."""
    with unit_of_work(store) as session:
        events = [
            record(
                session=session,
                actor=f"agency:A{i}",
                action="agency.read.one",
                entity="referral",
                entity_id=i,
                after={"referrals": [i]},
            )  # fmt: skip
            for i in range(1, 6)
        ]
        return [e.id for e in events]


def verify() -> tuple[int, str]:
    """`kouan audit verify`: its exit code and what it printed."""
    result = CliRunner().invoke(app, ["audit", "verify"])
    return result.exit_code, result.output
