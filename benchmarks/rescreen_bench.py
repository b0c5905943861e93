"""Re-screening a crossing history after one region is raised back-dated: figures, never asserted.

    python benchmarks/rescreen_bench.py --days D --per-day N [--backend duckdb|spark] [--seed S] [--keep DIR]

1. Generates ``--days`` days of ``--per-day`` crossings from 1 Jan 2020 (``kouan.history.generate``: ports weighted
   by traffic, nationalities, 0-3 stays an arrival), screens each day with the engine and appends it to a history
   under a temp dir (Parquet by day). Not timed.
2. Raises one region (JPN, to high) with a designation recorded the day after the last day and valid from 13 days
   before it: a back-dated change in force on the last 14 days.
3. change_rescreen_s: the change-driven re-screen (``rescreen_change``: the 14 affected days' partitions, the
   stays in JPN only) on a fresh connection. full_rescreen_s: every crossing re-screened (``rescreen_all``) on
   another fresh one. Both end with the crossings whose level rose as Arrow; the two must agree (the script
   exits with an error when they do not).

DuckDB runs with ``memory_limit=8GB``; Spark with ``master local[2]``, driver memory 6 GB, UI off (its start is
not timed). Peak memory is the largest resident size of this process plus its children (getrusage) plus, on
Spark, the JVM's own peak (its VmHWM: the JVM outlives the session, so getrusage never sees it). The last line is
one JSON object: {"crossings", "stays", "change_rescreen_s", "full_rescreen_s", "peak_memory_gb", "backend"}.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
from ibis.backends import BaseBackend
from link_bench import spark_session  # the benchmarks' one local Spark session (a script sibling)

from kouan.history.generate import generate_history, synthetic_risk
from kouan.history.rescreen import Rules, change_days, rescreen_all, rescreen_change
from kouan.measures.ranks import HIGH, rank_of
from kouan.screening import engine

FIRST = date(2020, 1, 1)
RAISED = "JPN"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--per-day", type=int, default=100_000)
    parser.add_argument("--backend", choices=engine.BACKENDS, default="duckdb")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--keep", type=Path, default=None, help="write the history here and keep it")
    return parser.parse_args(argv)


def raised(*, last: date) -> pa.Table:
    """JPN raised to high, recorded the day after ``last``, valid from 13 days before it (open-ended)."""
    row = {
        "designation_id": 1,
        "region_code": RAISED,
        "level_rank": rank_of(HIGH),
        "valid_from": last - timedelta(days=13),
        "valid_to": None,
        "recorded_date": last + timedelta(days=1),
    }
    return pa.Table.from_pylist([row], schema=engine.DESIGNATIONS_SCHEMA)


def _connect(*, backend: str, session: Any) -> BaseBackend:
    if backend == "spark":
        return engine.connect(backend="spark", spark_session=session)
    return ibis.duckdb.connect(memory_limit="8GB")


def _timed(label: str, run: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - started
    print(f"{label}: {seconds:.2f} s", file=sys.stderr)
    return result, seconds


def _peak_gb(*, jvm_kb: int = 0) -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children + jvm_kb) / 1024 / 1024  # kilobytes on Linux


def _jvm_peak_kb(session: Any) -> int:
    """The Spark JVM's peak resident size (VmHWM): it outlives the session, so getrusage never counts it."""
    try:
        pid = session.sparkContext._gateway.proc.pid
        status = Path(f"/proc/{pid}/status").read_text()
    except (AttributeError, OSError):
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)


def bench(*, root: Path, days: int, per_day: int, backend: str, seed: int) -> dict[str, Any]:
    last = FIRST + timedelta(days=days - 1)
    risk = synthetic_risk(first=FIRST, last=last, seed=seed)
    before = Rules(risk=risk, designations=engine.DESIGNATIONS_SCHEMA.empty_table(), known_on=last)
    (crossings, stays), _ = _timed(
        "generate+screen+append",
        lambda: generate_history(root=root, first=FIRST, days=days, per_day=per_day, seed=seed, rules=before),
    )
    now = Rules(risk=risk, designations=raised(last=last), known_on=last + timedelta(days=1))
    session = spark_session() if backend == "spark" else None
    try:
        affected = change_days(root=root, valid_from=last - timedelta(days=13), valid_to=None)
        change, change_s = _timed(
            "change re-screen",
            lambda: (
                rescreen_change(
                    con=_connect(backend=backend, session=session),
                    root=root,
                    regions=[RAISED],
                    days=affected,
                    rules=now,
                ).rises
            ),
        )
        full, full_s = _timed(
            "full re-screen",
            lambda: rescreen_all(con=_connect(backend=backend, session=session), root=root, rules=now).rises,
        )
    finally:
        jvm_kb = _jvm_peak_kb(session) if session is not None else 0
        if session is not None:
            session.stop()
    print(f"rose: {change.num_rows} (change) {full.num_rows} (full)", file=sys.stderr)
    if not change.equals(full):
        raise SystemExit("the change-driven and the full re-screen disagree")
    return {
        "crossings": crossings,
        "stays": stays,
        "change_rescreen_s": round(change_s, 3),
        "full_rescreen_s": round(full_s, 3),
        "peak_memory_gb": round(_peak_gb(jvm_kb=jvm_kb), 3),
        "backend": backend,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = _arguments(argv)
    with tempfile.TemporaryDirectory(prefix="kouan-history-") as scratch:
        root = args.keep or Path(scratch)
        figures = bench(root=root, days=args.days, per_day=args.per_day, backend=args.backend, seed=args.seed)
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
