"""The same ibis expressions on a local Spark session give the same reasons and levels as on DuckDB."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from kouan.screening import engine

from .helpers import generated_stays, risk_row, stays_table

pytestmark = pytest.mark.spark

UNKNOWN_REGIONS = ["XKX", "AUS", "CN-XJ"]


@pytest.fixture(scope="module")
def risk(jhu_risk: pa.Table) -> pa.Table:
    """JHU figures plus corrections: every 50th row re-recorded 5 days later with ten times the rate, and a
    few NaN rates."""
    rows = jhu_risk.take(np.arange(0, jhu_risk.num_rows, 50))
    later = pc.add(rows["recorded_date"].cast(pa.int32()), pa.scalar(5, pa.int32())).cast(pa.date32())
    corrected = rows.set_column(2, "rate_14d", pc.multiply(rows["rate_14d"], 10.0)).set_column(
        3, "recorded_date", later
    )
    nan = pa.Table.from_pylist(
        [
            risk_row(region_code="ITA", data_date=date(2020, 4, d), rate_14d=float("nan"), source="who")
            for d in (1, 2, 3)
        ],
        schema=engine.RISK_SCHEMA,
    )
    return pa.concat_tables([jhu_risk, corrected.cast(engine.RISK_SCHEMA), nan])


@pytest.fixture(scope="module")
def stays(jhu_risk: pa.Table) -> pa.Table:
    regions = pc.unique(jhu_risk["region_code"]).to_pylist() + UNKNOWN_REGIONS
    return generated_stays(travellers=1500, regions=regions)


def test_spark_gives_the_same_reasons_and_levels_as_duckdb(spark_session: Any, stays: pa.Table, risk: pa.Table) -> None:
    on_duckdb = engine.run(stays=stays, risk=risk)
    on_spark = engine.run(stays=stays, risk=risk, backend="spark", spark_session=spark_session)
    assert on_duckdb.reasons.num_rows > 2000
    assert set(on_duckdb.levels["level"].to_pylist()) == {"low", "unknown", "medium", "high"}
    assert on_spark.reasons.equals(on_duckdb.reasons)
    assert on_spark.levels.equals(on_duckdb.levels)


def test_the_issue_example_on_spark_leaves_no_temp_views(spark_session: Any, jhu_risk: pa.Table) -> None:
    on = date(2020, 3, 20)
    stays = stays_table(
        [
            {
                "traveller_id": t,
                "stay_id": t,
                "region_code": code,
                "place": place,
                "stay_date": on,
                "screen_date": on,
                "arrival_date": on,
                "source": "manifest-embarkation",
            }
            for t, code, place in [(1, "ITA", "FCO"), (2, "MNG", "ULN")]
        ]
    )
    views = {t.name for t in spark_session.catalog.listTables()}
    levels = engine.run(stays=stays, risk=jhu_risk, backend="spark", spark_session=spark_session).levels
    assert levels.to_pylist() == [
        {"traveller_id": 1, "level_rank": 3, "level": "high"},
        {"traveller_id": 2, "level_rank": 0, "level": "low"},
    ]
    assert {t.name for t in spark_session.catalog.listTables()} == views


def test_parquet_inputs_on_spark(spark_session: Any, tmp_path: Path, stays: pa.Table, risk: pa.Table) -> None:
    pq.write_table(stays, tmp_path / "stays.parquet")
    pq.write_table(risk, tmp_path / "risk.parquet")
    con = engine.connect(backend="spark", spark_session=spark_session)
    stays_t, risk_t = engine.read_parquet_inputs(
        con=con, stays_path=tmp_path / "stays.parquet", risk_path=tmp_path / "risk.parquet"
    )
    levels = engine.traveller_levels(engine.screen_stays(stays=stays_t, risk=risk_t)).to_pyarrow()
    expected = engine.run(stays=stays, risk=risk).levels
    assert levels.sort_by("traveller_id").cast(engine.LEVELS_SCHEMA).equals(expected)
