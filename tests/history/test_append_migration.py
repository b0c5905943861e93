"""The history_append migration on SQLite and PostgreSQL: a store from before it gets an empty table (nothing was
appended then, so the first sync appends every arrived voyage), a deleted voyage takes its row with it, and a
downgrade drops the table and leaves the voyages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from kouan.db import get_engine
from kouan.migrate import alembic_config, upgrade
from tests.support.old_stores import store_at

BEFORE = "b6e1d2c3a4f5"


@pytest.fixture(params=["sqlite", "postgres"])
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new store at the schema before history_append, with one voyage filed then."""
    url = store_at(request, tmp_path=tmp_path, revision=BEFORE, prefix="history")
    with get_engine(url).begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO voyage (id, carrier, number, flight_date, created_at) VALUES (1, 'CA', '902', :d, :t)"
            ),
            {"d": date(2020, 3, 14), "t": datetime(2020, 3, 14, tzinfo=UTC)},
        )
    yield url
    get_engine(url).dispose()


def rows(url: str, query: str) -> list[tuple[object, ...]]:
    with get_engine(url).connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(query))]


def test_the_upgrade_adds_an_empty_table_whose_rows_go_with_their_voyage(old_store: str) -> None:
    upgrade(old_store)
    assert rows(old_store, "SELECT voyage_id FROM history_append") == []
    with get_engine(old_store).begin() as connection:
        connection.execute(
            sa.text("INSERT INTO history_append (voyage_id, batch, last_version, claimed_at) VALUES (1, 'b', 1, :t)"),
            {"t": datetime(2020, 3, 20, tzinfo=UTC)},
        )
        connection.execute(sa.text("DELETE FROM voyage WHERE id = 1"))
    assert rows(old_store, "SELECT voyage_id FROM history_append") == []


def test_downgrading_drops_the_table_and_keeps_the_voyages(old_store: str) -> None:
    upgrade(old_store)
    command.downgrade(alembic_config(old_store), BEFORE)
    assert "history_append" not in sa.inspect(get_engine(old_store)).get_table_names()
    assert rows(old_store, "SELECT id FROM voyage") == [(1,)]
