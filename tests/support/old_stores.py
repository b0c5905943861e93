"""A fresh store migrated only up to an earlier revision, on SQLite or PostgreSQL: for tests of a migration's own
upgrade (data written at the old schema, then the real upgrade run on it)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from kouan.migrate import upgrade
from tests.support.postgres import Cluster


def store_at(request: pytest.FixtureRequest, *, tmp_path: Path, revision: str, prefix: str) -> str:
    """The url of a new store at ``revision``; the store kind is the fixture's param (``sqlite`` or ``postgres``)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    else:
        cluster: Cluster = request.getfixturevalue("postgres_cluster")
        url = cluster.create_database(f"{prefix}_{uuid.uuid4().hex[:8]}")
    upgrade(url, revision)
    return url
