"""The migration that gives crossings their permitted stay, on SQLite and PostgreSQL: crossings filed before it keep
every field and have no basis (the overstays list counts them, lists none); a downgrade drops the new columns and
keeps the crossings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from kouan.db import get_engine, unit_of_work
from kouan.migrate import alembic_config, upgrade
from kouan.overstays.service import overstays
from tests.support.old_stores import store_at

BEFORE = "d4a9c1e7b2f0"
STAY = ("stay_basis", "visa_type", "stay_days", "permit_until")


@pytest.fixture(params=["sqlite", "postgres"])
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new store at the schema before stays, with a German's entry filed then and no exit."""
    url = store_at(request, tmp_path=tmp_path, revision=BEFORE, prefix="overstay")
    with get_engine(url).begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO crossing (id, direction, port, crossed_at, surname, given_names, nationality,"
                " document_number) VALUES (1, 'entry', 'PEK', :t, 'MULLER', 'ANNA', 'DEU', 'C01X00T47')"
            ),
            {"t": datetime(2020, 1, 2, 3, 0, tzinfo=UTC)},
        )
    yield url
    get_engine(url).dispose()


def columns(url: str) -> set[str]:
    return {column["name"] for column in sa.inspect(get_engine(url)).get_columns("crossing")}


def test_old_crossings_have_no_basis_and_are_counted_not_listed(old_store: str) -> None:
    upgrade(old_store)
    assert set(STAY) <= columns(old_store)
    with get_engine(old_store).connect() as connection:
        row = connection.execute(sa.text(f"SELECT surname, {', '.join(STAY)} FROM crossing")).one()
    assert tuple(row) == ("MULLER", None, None, None, None)
    with unit_of_work(old_store) as session:
        found = overstays(session=session, on=date(2020, 6, 1), ports=None)
    assert (found.items, found.cannot_say) == ([], 1)


def test_downgrading_drops_the_stay_and_keeps_the_crossings(old_store: str) -> None:
    upgrade(old_store)
    command.downgrade(alembic_config(old_store), BEFORE)
    assert not set(STAY) & columns(old_store)
    with get_engine(old_store).connect() as connection:
        assert connection.execute(sa.text("SELECT document_number FROM crossing")).all() == [("C01X00T47",)]
