"""Batch screening throughput: generated stays over the real JHU regions and dates, on DuckDB and Spark.

Prints figures, asserts nothing. Examples::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_screening.py --rows 1000000 --backend duckdb
    PYTHONPATH=src .venv/bin/python benchmarks/bench_screening.py --all   # 1 M + 10 M DuckDB, 1 M Spark
    PYTHONPATH=src .venv/bin/python benchmarks/bench_screening.py --all --repeat 2   # cold, then warm

Each run: generate N stays (travellers arriving over Feb-Jun 2020, 1-3 stays each, about 1 in 6 outside the
14-day window) with numpy, write them and the JHU risk rows to Parquet in a temp dir, then on a fresh
connection read both, screen (reasons written to Parquet) and compute traveller levels from those reasons
(written to Parquet). Spark's session start is timed apart and not counted in the screening time; with
``--repeat`` the same files are screened again on a fresh connection (Spark: same session, warm JVM).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv
import pyarrow.parquet as pq

from kouan.measures.jhu import BUNDLED
from kouan.screening import engine

JHU_CSV = BUNDLED
CHINA_PROVINCES = {"Hubei": "CN-HB", "Beijing": "CN-BJ", "Shanghai": "CN-SH", "Guangdong": "CN-GD"}
UNKNOWN_REGIONS = ["XKX", "AUS"]  # no JHU country row: screened "unknown"
FEB_1, JUN_30 = np.datetime64("2020-02-01", "D"), np.datetime64("2020-06-30", "D")


@dataclass(frozen=True)
class Figure:
    backend: str
    rows: int
    attempt: int
    reasons: int
    travellers: int
    reasons_seconds: float
    levels_seconds: float

    @property
    def seconds(self) -> float:
        return self.reasons_seconds + self.levels_seconds

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds


def jhu_risk(path: Path = JHU_CSV) -> pa.Table:
    """Country rows by iso3 and a few Chinese provinces by "CN-XX", recorded the day after the data date."""
    types = {"Province_State": pa.string(), "iso3": pa.string(), "rate_14d_per_100k": pa.float64()}
    raw = pv.read_csv(path, convert_options=pv.ConvertOptions(column_types=types, strings_can_be_null=True))
    province = raw["Province_State"].to_numpy(zero_copy_only=False)
    china = raw["Country_Region"].to_numpy(zero_copy_only=False) == "China"
    mapped = np.array([CHINA_PROVINCES.get(p) if c else None for p, c in zip(province, china, strict=True)])
    region = np.where(
        pc.is_null(raw["Province_State"]).to_numpy(zero_copy_only=False),
        raw["iso3"].to_numpy(zero_copy_only=False),
        mapped,
    )
    keep = np.array([r is not None for r in region])
    data_date = raw["date"].to_numpy().astype("datetime64[D]")[keep]
    return pa.table(
        {
            "region_code": pa.array(region[keep], pa.string()),
            "data_date": data_date,
            "rate_14d": raw["rate_14d_per_100k"].filter(pa.array(keep)),
            "recorded_date": data_date + 1,
            "source": pa.repeat("jhu-csse", int(keep.sum())),
        }
    ).cast(engine.RISK_SCHEMA)


def generate_stays(*, rows: int, regions: list[str], seed: int = 2020) -> pa.Table:
    """About ``rows`` stays: 1-3 per traveller, regions uniform over ``regions``, vectorised."""
    rng = np.random.default_rng(seed)
    counts = rng.integers(1, 4, size=rows)
    counts = counts[: np.searchsorted(np.cumsum(counts), rows) + 1]
    traveller = np.repeat(np.arange(1, len(counts) + 1, dtype=np.int64), counts)[:rows]
    arrival = (FEB_1 + rng.integers(0, (JUN_30 - FEB_1).astype(int) + 1, size=len(counts)))[traveller - 1]
    stay_date = arrival - rng.integers(0, 18, size=rows)
    codes = np.array(regions, dtype=object)[rng.integers(0, len(regions), size=rows)]
    sources = np.array(["manifest-embarkation", "manifest-leg"], dtype=object)[rng.integers(0, 2, size=rows)]
    return pa.table(
        {
            "traveller_id": traveller,
            "stay_id": np.arange(1, rows + 1, dtype=np.int64),
            "region_code": pa.array(codes, pa.string()),
            "place": pa.nulls(rows, pa.string()),
            "stay_date": stay_date,
            "screen_date": arrival,
            "arrival_date": arrival,
            "source": pa.array(sources, pa.string()),
        }
    ).cast(engine.STAYS_SCHEMA)


def write_inputs(*, rows: int, risk: pa.Table, directory: Path) -> tuple[Path, Path]:
    regions = pc.unique(risk["region_code"]).to_pylist() + UNKNOWN_REGIONS
    stays_path, risk_path = directory / f"stays_{rows}.parquet", directory / "risk.parquet"
    pq.write_table(generate_stays(rows=rows, regions=regions), stays_path, row_group_size=1_000_000)
    pq.write_table(risk, risk_path)
    return stays_path, risk_path


def screen_files(*, con: Any, stays_path: Path, risk_path: Path, out: Path) -> tuple[int, int, float, float]:
    """Reasons, then levels from those reasons, written to Parquet under ``out``: row counts and seconds."""
    stays, risk = engine.read_parquet_inputs(con=con, stays_path=stays_path, risk_path=risk_path)
    _, reasons_seconds = timed(
        lambda: con.to_parquet(engine.screen_stays(stays=stays, risk=risk), out / "reasons.parquet")
    )
    reasons = con.read_parquet(str(out / "reasons.parquet"))
    _, levels_seconds = timed(lambda: con.to_parquet(engine.traveller_levels(reasons), out / "levels.parquet"))
    levels = con.read_parquet(str(out / "levels.parquet"))
    return _count(reasons), _count(levels), reasons_seconds, levels_seconds


def _count(table: Any) -> int:
    return int(table.count().to_pyarrow().as_py())


def timed(function: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def bench(*, backend: str, rows: int, risk: pa.Table, directory: Path, repeat: int, spark: Any = None) -> list[Figure]:
    """``repeat`` screenings of the same generated files, each on a fresh connection."""
    stays_path, risk_path = write_inputs(rows=rows, risk=risk, directory=directory)
    return [
        attempt(backend=backend, rows=rows, number=n, paths=(stays_path, risk_path), directory=directory, spark=spark)
        for n in range(1, repeat + 1)
    ]


def attempt(*, backend: str, rows: int, number: int, paths: tuple[Path, Path], directory: Path, spark: Any) -> Figure:
    out = Path(tempfile.mkdtemp(dir=directory, prefix=f"{backend}_{rows}_{number}_"))
    con = engine.connect(backend=backend, spark_session=spark)
    counts = screen_files(con=con, stays_path=paths[0], risk_path=paths[1], out=out)
    if backend == "duckdb":
        con.disconnect()
    return Figure(backend, rows, number, *counts)


def spark_session() -> Any:
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master("local[*]")
        .appName("kouan-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.driver.memory", "6g")
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def report(figure: Figure) -> None:
    print(
        f"{figure.backend:7} #{figure.attempt} {figure.rows:>11,} stays {figure.reasons:>11,} reasons "
        f"{figure.travellers:>10,} travellers | reasons {figure.reasons_seconds:6.2f} s + levels "
        f"{figure.levels_seconds:5.2f} s = {figure.seconds:6.2f} s | {figure.rows_per_second:>10,.0f} stays/s",
        flush=True,
    )


def runs(arguments: argparse.Namespace) -> list[tuple[str, int]]:
    if arguments.all:
        return [("duckdb", 1_000_000), ("duckdb", 10_000_000), ("spark", 1_000_000)]
    return [(arguments.backend, arguments.rows)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="stays to generate (default 1 M)")
    parser.add_argument("--backend", choices=engine.BACKENDS, default="duckdb")
    parser.add_argument("--all", action="store_true", help="1 M and 10 M on DuckDB, 1 M on Spark")
    parser.add_argument("--repeat", type=int, default=1, help="screenings of the same files (first is cold)")
    arguments = parser.parse_args()
    risk, spark, figures = jhu_risk(), None, []
    with tempfile.TemporaryDirectory(prefix="kouan-bench-") as directory:
        for backend, rows in runs(arguments):
            if backend == "spark" and spark is None:
                spark, started = timed(spark_session)
                print(f"spark   session started in {started:.1f} s (not counted below)", flush=True)
            for figure in bench(
                backend=backend, rows=rows, risk=risk, directory=Path(directory), repeat=arguments.repeat, spark=spark
            ):
                report(figure)
                figures.append(figure)
    print_ratio(figures)


def print_ratio(figures: list[Figure]) -> None:
    best: dict[tuple[str, int], Figure] = {}
    for figure in figures:
        key = (figure.backend, figure.rows)
        if key not in best or figure.seconds < best[key].seconds:
            best[key] = figure
    for (backend, rows), figure in best.items():
        duckdb = best.get(("duckdb", rows))
        if backend == "spark" and duckdb:
            print(f"spark / duckdb at {rows:,} stays (best of each): {figure.seconds / duckdb.seconds:.1f}x the time")


if __name__ == "__main__":
    main()
