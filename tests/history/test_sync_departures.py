"""Departures reach the history as crossings too (SQLite and PostgreSQL): each traveller of a departure that has
left is one crossing with direction ``departure`` at the port it left from, on its day and at its time, level low
(not screened: no stay counted) and no stays; a departure not yet left is not appended."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from kouan.db import unit_of_work
from kouan.formats.paxlst import parse_paxlst
from kouan.travel.registry.models import EXIT
from kouan.travel.registry.service import ingest_paxlst
from tests.history.filed import sync
from tests.history.test_sync import read_back

DEPARTURE = (Path(__file__).parents[1] / "formats" / "data" / "paxlst_ca937_departure_d05b.edi").read_text()


def test_a_departure_that_has_left_is_appended_as_departures_without_stays(database_url: str, tmp_path: Path) -> None:
    with unit_of_work(database_url) as session:
        ingest_paxlst(session=session, message=parse_paxlst(DEPARTURE), raw=DEPARTURE, port="PEK", direction=EXIT)
    before = sync(database_url, tmp_path, until=datetime(2020, 3, 15, 5, 0, tzinfo=UTC))  # half an hour early
    assert before.as_json() == {"voyages": 0, "crossings": 0, "stays": 0, "days": []}
    done = sync(database_url, tmp_path, until=datetime(2020, 3, 15, 6, 0, tzinfo=UTC))
    assert done.as_json() == {"voyages": 1, "crossings": 3, "stays": 0, "days": ["2020-03-15"]}
    crossings, stays = read_back(tmp_path)
    assert stays == []
    assert {(c["port"], c["direction"], c["level"], c["known_on"], c["day"]) for c in crossings} == {
        ("PEK", "departure", "low", date(2020, 3, 15), date(2020, 3, 15))
    }
    assert {c["arrival_time"] for c in crossings} == {datetime(2020, 3, 15, 5, 30, tzinfo=UTC)}
    assert sorted(c["nationality"] for c in crossings) == ["CHN", "CHN", "GBR"]
