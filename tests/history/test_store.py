"""Appending screened crossings and reading them back: what goes in by day comes out by day, whole."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pytest

from kouan.history.read import open_history
from kouan.history.schema import CROSSINGS_SCHEMA, STAYS_SCHEMA
from kouan.history.store import append, day_files, history_days
from kouan.screening import engine


def crossing(crossing_id: int, day: date, *, level: str = "low", rank: int = 0) -> dict:
    return {
        "crossing_id": crossing_id,
        "port": "PEK",
        "direction": "arrival",
        "person_key": crossing_id * 7,
        "document_key": crossing_id * 11,
        "nationality": "ITA",
        "arrival_time": datetime(day.year, day.month, day.day, 18, 30, tzinfo=UTC),
        "level": level,
        "level_rank": rank,
        "known_on": day,
        "day": day,
    }


def stay(crossing_id: int, region: str, first: date, last: date) -> dict:
    return {"crossing_id": crossing_id, "region_code": region, "date_from": first, "date_to": last, "source": "pnr"}


def crossings(*rows: dict) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=pa.schema([*CROSSINGS_SCHEMA, pa.field("day", pa.date32())]))


def stays(*rows: dict) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=STAYS_SCHEMA)


def read_back(root: Path, days: list[date] | None = None) -> tuple[list[dict], list[dict]]:
    con = engine.connect()
    history = open_history(con=con, root=root, days=days)
    found = history.crossings.order_by("crossing_id").to_pyarrow().to_pylist()
    placed = history.stays.order_by(["crossing_id", "region_code"]).to_pyarrow().to_pylist()
    con.disconnect()
    return found, placed


def test_appended_crossings_and_stays_read_back_by_day(tmp_path: Path) -> None:
    march20, march21 = date(2020, 3, 20), date(2020, 3, 21)
    append(
        root=tmp_path,
        crossings=crossings(crossing(1, march20, level="high", rank=3), crossing(2, march21)),
        stays=stays(stay(1, "ITA", date(2020, 3, 10), date(2020, 3, 18)), stay(2, "KOR", march21, march21)),
    )
    append(root=tmp_path, crossings=crossings(crossing(3, march20)), stays=stays())
    found, placed = read_back(tmp_path)
    assert [(c["crossing_id"], c["day"], c["level"]) for c in found] == [
        (1, march20, "high"),
        (2, march21, "low"),
        (3, march20, "low"),
    ]
    assert found[0]["arrival_time"] == datetime(2020, 3, 20, 18, 30, tzinfo=UTC)
    assert [(s["crossing_id"], s["region_code"], s["day"]) for s in placed] == [
        (1, "ITA", march20),
        (2, "KOR", march21),
    ]
    assert history_days(root=tmp_path) == [march20, march21]
    assert len(day_files(root=tmp_path, table="crossings", days=[march20])) == 2  # an append never rewrites a file


def test_a_read_of_some_days_sees_only_those_days(tmp_path: Path) -> None:
    days = [date(2020, 3, d) for d in (1, 2, 3)]
    append(root=tmp_path, crossings=crossings(*[crossing(n, d) for n, d in enumerate(days)]), stays=stays())
    found, _ = read_back(tmp_path, days=[days[1]])
    assert [c["crossing_id"] for c in found] == [1]


def test_a_stay_of_no_appended_crossing_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="stays of crossings not in this append"):
        append(
            root=tmp_path,
            crossings=crossings(crossing(1, date(2020, 3, 1))),
            stays=stays(stay(9, "ITA", date(2020, 2, 20), date(2020, 2, 21))),
        )
    assert history_days(root=tmp_path) == []


def test_a_crossing_without_its_level_is_refused(tmp_path: Path) -> None:
    unscreened = crossings(crossing(1, date(2020, 3, 1))).drop_columns(["level"])
    with pytest.raises(ValueError, match="missing columns: level"):
        append(root=tmp_path, crossings=unscreened, stays=stays())
