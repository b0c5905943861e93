"""The person index at national volume: 30 days of history linked into persons, then a new day against them.

Prints figures; the last line is one JSON object: arrivals, history_rows, persons, link_s, precision, recall,
peak_memory_gb (the whole run's, generation included), then link_peak_memory_gb (the new day's link alone, run in
a fresh process), build_s and the machine's cores. Examples::

    PYTHONPATH=src .venv/bin/python benchmarks/person_index_bench.py --scale 0.01
    PYTHONPATH=src .venv/bin/python benchmarks/person_index_bench.py           # the issue's 1.84 M x 30 days

The population is `link_bench.generate`'s (planted people: kept and renewed passports, typos, swapped names, PNR
titles without a document, birth days off by one, pinyin namesakes). History is linked day by day, in date order,
into an empty index (`build_s`); then the new day (`link_s`, the figure the goal is about). Precision and recall
are over (arrival, history crossing) pairs: an arrival is paired with every history crossing of the person the
index holds it to be now (merges included), the truth pairs with every crossing of its planted person.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))

import link_bench  # noqa: E402

from kouan.travel.persons.corrections import current_persons  # noqa: E402
from kouan.travel.persons.index import THRESHOLD, link_day  # noqa: E402


def build(*, root: Path, history: pa.Table, options: dict[str, Any]) -> float:
    """Links history into the index one day at a time; returns the seconds spent."""
    ordered = history.sort_by("event_date").combine_chunks()
    days = ordered.column("event_date").to_numpy()
    spent = 0.0
    for value in np.unique(days):
        first, last = days.searchsorted(value, "left"), days.searchsorted(value, "right")
        started = time.perf_counter()
        rows = ordered.slice(first, last - first)
        link_day(root=root, day=value.item(), records=rows, **options)
        spent += time.perf_counter() - started
    return spent


def accuracy(*, now: pa.Table, arrivals: pa.Table, history: pa.Table) -> tuple[float, float]:
    """Pair precision and recall of the arrivals against history (see the module)."""
    con = duckdb.connect()
    for name, table in (("now_t", now.select(["record_id", "person_id"])), ("a", arrivals), ("h", history)):
        con.register(name, table)
    row = con.sql(
        """WITH ca AS (SELECT a.person_id AS t, c.person_id AS p FROM a JOIN now_t c USING (record_id)),
            ch AS (SELECT h.person_id AS t, c.person_id AS p FROM h JOIN now_t c USING (record_id)),
            hp AS (SELECT p, count(*) AS n FROM ch GROUP BY p), ht AS (SELECT t, count(*) AS n FROM ch GROUP BY t),
            hpt AS (SELECT p, t, count(*) AS n FROM ch GROUP BY ALL)
        SELECT (SELECT sum(n) FROM ca JOIN hp USING (p)), (SELECT sum(n) FROM ca JOIN ht USING (t)),
            (SELECT sum(n) FROM ca JOIN hpt USING (p, t))"""
    ).fetchone()
    found, truth, right = (float(value or 0) for value in (row or (0, 0, 0)))
    return right / max(found, 1), right / max(truth, 1)


def peak_memory_gb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024**2, 2)


def link_new_day(*, root: Path, arrivals: Path, options: dict[str, Any]) -> tuple[float, list[dict[str, object]]]:
    """In a fresh process (its peak memory is the link's own): the new day read and linked; seconds, methods."""
    records = pq.read_table(arrivals)
    today = pc.min(records.column("event_date")).as_py()
    started = time.perf_counter()
    linked = link_day(root=root, day=today, records=records, **options)
    link_s = time.perf_counter() - started
    return link_s, linked.group_by("method").aggregate([("record_id", "count")]).to_pylist()


def _generated(day: int, history_days: int) -> tuple[pa.Table, pa.Table]:
    started = time.perf_counter()
    arrivals, history = link_bench.generate(day=day, history_days=history_days)
    print(f"generated {arrivals.num_rows:,} arrivals, {history.num_rows:,} history rows in "
          f"{time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip
    return arrivals, history


def run(*, day: int, history_days: int, root: Path, scratch: Path, options: dict[str, Any]) -> dict[str, object]:
    arrivals, history = _generated(day, history_days)
    truth_a, truth_h = arrivals.select(["record_id", "person_id"]), history.select(["record_id", "person_id"])
    pq.write_table(arrivals, scratch / "arrivals.parquet")
    del arrivals
    build_s = build(root=root, history=history, options=options)
    print(f"built the index over {history_days} days in {build_s:.1f} s", flush=True)
    history_rows = history.num_rows
    del history
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        task = pool.submit(link_new_day, root=root, arrivals=scratch / "arrivals.parquet", options=options)
        link_s, methods = task.result()
    link_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
    print("new day: " + ", ".join(f"{row['method']} {row['record_id_count']:,}" for row in methods), flush=True)
    now = current_persons(root=root)
    precision, recall = accuracy(now=now, arrivals=truth_a, history=truth_h)
    return {
        "arrivals": truth_a.num_rows,
        "history_rows": history_rows,
        "persons": len(pc.unique(now.column("person_id"))),
        "link_s": round(link_s, 2),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "peak_memory_gb": peak_memory_gb(),
        "link_peak_memory_gb": round(link_peak, 2),
        "build_s": round(build_s, 1),
        "threshold": options["threshold"],
        "cores": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--day", type=int, default=1_840_000, help="arrivals in the day (the issue's national figure)")
    parser.add_argument("--history-days", type=int, default=30, help="days of history, each as large as the day")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply --day by this (e.g. 0.01 for a quick run)")
    parser.add_argument("--root", type=Path, help="index folder (default: a temporary one, removed after)")
    parser.add_argument("--memory-limit", help="DuckDB's memory_limit, e.g. 12GB")
    parser.add_argument("--threshold", type=float, default=THRESHOLD, help="posterior a fuzzy link needs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kouan-persons-") as scratch:
        root = args.root or Path(scratch) / "persons"
        size = {"day": int(args.day * args.scale), "history_days": args.history_days}
        options = {"memory_limit": args.memory_limit, "threshold": args.threshold}
        figures = run(**size, root=root, scratch=Path(scratch), options=options)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
