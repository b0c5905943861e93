"""Analysts' designations in the engine: the stricter of figure and designation, as known on the screen date,
and the same answer on Spark."""

from __future__ import annotations

from datetime import date
from typing import Any

import pyarrow as pa
import pytest

from kouan.measures.classifiers import LEVEL_RANK
from kouan.screening import engine

from .helpers import stays_table
from .test_engine import MARCH_20, boarded


def designations(rows: list[dict[str, Any]]) -> pa.Table:
    defaults = {"valid_to": None, "recorded_date": date(2020, 3, 1)}
    return pa.Table.from_pylist([{**defaults, **row} for row in rows], schema=engine.DESIGNATIONS_SCHEMA)


def mongolia(level: str, **extra: Any) -> dict[str, Any]:
    return {
        "designation_id": extra.pop("designation_id", 1),
        "region_code": "MNG",
        "level_rank": LEVEL_RANK[level],
        "valid_from": date(2020, 3, 1),
        **extra,
    }


def levels(rows: list[dict[str, Any]], *, risk: pa.Table, backend: str = "duckdb", spark_session: Any = None) -> list:
    stays = stays_table([boarded(traveller_id=1, region_code="MNG", on=MARCH_20)])
    output = engine.run(
        stays=stays, risk=risk, designations=designations(rows), backend=backend, spark_session=spark_session
    )
    return output.reasons.select(["level", "designated_level"]).to_pylist()


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], {"level": "low", "designated_level": None}),
        ([mongolia("high")], {"level": "high", "designated_level": "high"}),
        ([mongolia("low")], {"level": "low", "designated_level": None}),
        ([mongolia("high", valid_to=MARCH_20)], {"level": "low", "designated_level": None}),
        ([mongolia("high", valid_from=date(2020, 3, 22))], {"level": "low", "designated_level": None}),
        ([mongolia("high", recorded_date=date(2020, 3, 25))], {"level": "low", "designated_level": None}),
        (
            [mongolia("high"), mongolia("medium", designation_id=2, recorded_date=date(2020, 3, 5))],
            {"level": "medium", "designated_level": "medium"},
        ),
    ],
    ids=["none", "raised", "lower-ignored", "ended", "not-yet-valid", "recorded-later", "corrected"],
)
def test_the_stricter_of_figure_and_designation_known_on_the_screen_date(
    rows: list, expected: dict, jhu_risk: pa.Table
) -> None:
    assert levels(rows, risk=jhu_risk) == [expected]


@pytest.mark.spark
def test_spark_gives_the_same_designated_levels(spark_session: Any, jhu_risk: pa.Table) -> None:
    rows = [mongolia("high"), mongolia("medium", designation_id=2, recorded_date=date(2020, 3, 5))]
    assert levels(rows, risk=jhu_risk, backend="spark", spark_session=spark_session) == levels(rows, risk=jhu_risk)
