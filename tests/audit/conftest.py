"""Each audit test has its own key and checkpoint file, outside the store as an installation keeps them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kouan.settings import get_settings


@pytest.fixture(autouse=True)
def audit_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Path]]:
    files = {"key": tmp_path / "audit.key", "checkpoint": tmp_path / "audit-checkpoint.json"}
    monkeypatch.setenv("KOUAN_AUDIT_KEY_FILE", str(files["key"]))
    monkeypatch.setenv("KOUAN_AUDIT_CHECKPOINT_FILE", str(files["checkpoint"]))
    get_settings.cache_clear()
    yield files
    get_settings.cache_clear()
