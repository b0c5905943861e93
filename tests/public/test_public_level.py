"""The public answer and the officer's screening agree: the origin's level on the arrival day is the stricter of its
figure and the designation in force, both as known that day, for the same person and day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from kouan.db import unit_of_work
from kouan.measures.classifiers import RATE14_V1
from kouan.measures.models import RegionDesignation
from kouan.screening.service import StayInput, evaluate, stays_table
from kouan.travel.registry.history import StayRecord

ARRIVAL = date(2020, 3, 5)
GERMAN = {"nationality": "DEU", "origin": "FRA", "arrival": "PEK", "date": ARRIVAL.isoformat(), "lang": "en"}


@pytest.fixture
def designated(database_url: str, request: pytest.FixtureRequest) -> Iterator[None]:
    """Germany designated high from 1 March, recorded on the day the test names."""
    with unit_of_work(database_url) as session:
        session.add(
            RegionDesignation(region_code="DEU", level="high", valid_from=date(2020, 3, 1), reason="cluster",
                              reference="N-7", recorded_at=request.param, recorded_by="analyst")
        )  # fmt: skip
    yield
    with unit_of_work(database_url) as session:
        session.execute(delete(RegionDesignation))


def _officer_level(database_url: str) -> str:
    stay = StayRecord("DEU", "FRA", date(2020, 3, 4), "declared", None, None)
    with unit_of_work(database_url) as session:
        rows = evaluate(
            session=session, stays=stays_table([StayInput(1, 1, stay, ARRIVAL, ARRIVAL)]), classifier=RATE14_V1
        )
    return str(rows[1][0]["level"])


@pytest.mark.parametrize(
    ("designated", "level", "shown"),
    [
        (datetime(2020, 3, 2, 8, tzinfo=UTC), "high", "high"),  # recorded before the arrival: it raises the level
        (datetime(2020, 3, 6, 8, tzinfo=UTC), "low", None),  # recorded after it: not known that day
    ],
    indirect=["designated"],
)
def test_the_public_is_told_the_level_the_officer_screens_with(
    client: TestClient, database_url: str, designated: None, level: str, shown: str | None
) -> None:
    answer = client.get("/api/public/measures", params=GERMAN).json()
    assert answer["origin_risk"]["level"] == level == _officer_level(database_url)
    assert (answer["designation"] or {}).get("level") == shown
    assert answer["origin_risk"]["rate_14d"] is not None and answer["origin_risk"]["source"] == "JHU CSSE"
