"""The history re-screened on a local Spark session gives the same answers as on DuckDB (a small year: CI)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from kouan.history.read import open_history, release_history
from kouan.history.rescreen import Rules, change_days, rescreen_all, rescreen_change
from kouan.screening import engine

from .conftest import LAST
from .test_rescreen import RAISED_FROM, raised

pytestmark = pytest.mark.spark


def test_spark_reads_the_same_history(spark_session: Any, history: Path) -> None:
    con = engine.connect(backend="spark", spark_session=spark_session)
    read = open_history(con=con, root=history, days=[date(2020, 3, 5)])
    on_spark = read.crossings.order_by("crossing_id").to_pyarrow()
    release_history(con=con, history=read)
    on_duckdb = open_history(con=engine.connect(), root=history, days=[date(2020, 3, 5)]).crossings
    assert on_spark.equals(on_duckdb.order_by("crossing_id").to_pyarrow())
    assert on_spark.num_rows == 2000
    assert not [t for t in spark_session.catalog.listTables() if t.name.startswith("kouan_")]


def test_spark_rescreens_as_duckdb_does(spark_session: Any, history: Path, figures: pa.Table) -> None:
    rules = Rules(risk=figures, designations=raised(), known_on=LAST + timedelta(days=1))
    days = change_days(root=history, valid_from=RAISED_FROM, valid_to=None)
    spark = engine.connect(backend="spark", spark_session=spark_session)
    changed = rescreen_change(con=spark, root=history, regions=["JPN"], days=days, rules=rules).rises
    full = rescreen_all(con=spark, root=history, rules=rules).rises
    assert changed.num_rows > 100
    assert changed.equals(
        rescreen_change(con=engine.connect(), root=history, regions=["JPN"], days=days, rules=rules).rises
    )
    assert full.equals(rescreen_all(con=engine.connect(), root=history, rules=rules).rises)
    assert not [t for t in spark_session.catalog.listTables() if t.name.startswith("kouan_")]
