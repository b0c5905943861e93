"""The departures migration on SQLite and PostgreSQL: every voyage and counter check filed before it is an entry, a
voyage has no scheduled departure yet, and a downgrade drops the columns and keeps the rows."""

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

BEFORE = "d4a9c1e7b2f0"


@pytest.fixture(params=["sqlite", "postgres"])
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new store at the schema before departures, with a voyage and a counter check filed then."""
    url = store_at(request, tmp_path=tmp_path, revision=BEFORE, prefix="departures")
    with get_engine(url).begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO voyage (id, carrier, number, flight_date, destination, created_at)"
                " VALUES (1, 'CA', '940', :d, 'PEK', :t)"
            ),
            {"d": date(2020, 3, 14), "t": datetime(2020, 3, 14, tzinfo=UTC)},
        )
        connection.execute(
            sa.text(
                "INSERT INTO counter_check (id, at, officer, port, scanned, symptoms, flags)"
                " VALUES (1, :t, 'user:x', 'PEK', 'mrz', '[]', '[]')"
            ),
            {"t": datetime(2020, 3, 15, tzinfo=UTC)},
        )
    yield url
    get_engine(url).dispose()


def rows(url: str, query: str) -> list[tuple[object, ...]]:
    with get_engine(url).connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(query))]


def test_what_was_filed_before_is_an_entry(old_store: str) -> None:
    upgrade(old_store)
    assert rows(old_store, "SELECT direction, scheduled_departure FROM voyage") == [("entry", None)]
    assert rows(old_store, "SELECT direction FROM counter_check") == [("entry",)]
    with get_engine(old_store).begin() as connection:  # and a row that names none is one too
        insert = "INSERT INTO voyage (id, carrier, number, flight_date, created_at) VALUES (2, 'CA', '937', :d, :t)"
        connection.execute(sa.text(insert), {"d": date(2020, 3, 15), "t": datetime.now(UTC)})
    assert rows(old_store, "SELECT direction FROM voyage WHERE number = '937'") == [("entry",)]


def test_downgrading_drops_the_columns_and_keeps_the_rows(old_store: str) -> None:
    upgrade(old_store)
    command.downgrade(alembic_config(old_store), BEFORE)
    inspector = sa.inspect(get_engine(old_store))
    assert "direction" not in {c["name"] for c in inspector.get_columns("voyage")}
    assert "direction" not in {c["name"] for c in inspector.get_columns("counter_check")}
    assert rows(old_store, "SELECT id FROM voyage") == [(1,)] and rows(old_store, "SELECT id FROM counter_check") == [
        (1,)
    ]
