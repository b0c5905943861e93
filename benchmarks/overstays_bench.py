"""The overstays list over a large crossing table: how long `overstays` takes for one port and nationally, and
`overstay_for` (the exit counter's question) per document. Figures, never asserted.

    PYTHONPATH=src .venv/bin/python benchmarks/overstays_bench.py [--people 100000] [--database-url URL]

What one run does: a store (a temporary SQLite file unless ``--database-url`` names an empty PostgreSQL database)
migrated to head; N foreigners, each with one to three visits (entry, then an exit for all but about one in ten of
the last visits) over 2019-2020 at PEK, PVG or CAN, on 30-day L visas, 144-hour transit, residence permits or no
basis recorded; a third of the exits carry no document (matched by names and birth date); on PostgreSQL the table is
analysed, as autovacuum would after such a load (without statistics the planner reads the unique index instead of the
document index, and ``overstay_for`` took 37 ms a document instead of 2 ms). Then ``overstays`` on
2020-06-30 for PEK and for every port, and ``overstay_for`` for 1,000 documents, each timed in a fresh read.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from kouan.db import read_only, unit_of_work
from kouan.migrate import upgrade
from kouan.overstays.service import overstay_for, overstays
from kouan.travel.journey.models import Crossing

PORTS = ("PEK", "PVG", "CAN")
BASES: tuple[dict[str, Any], ...] = (
    {"stay_basis": "visa", "visa_type": "L", "stay_days": 30},
    {"stay_basis": "transit_144h"},
    {"stay_basis": "residence_permit", "visa_type": "Z", "permit_until": date(2020, 3, 31)},
    {},
)
START = datetime(2019, 1, 1, tzinfo=UTC)
STAY = ("stay_basis", "visa_type", "stay_days", "permit_until")  # every row names every column


def person_rows(number: int, rng: random.Random) -> list[dict[str, Any]]:
    born = date(1950, 1, 1) + timedelta(days=number % 20000)
    who = {"surname": f"SURNAME{number}", "given_names": f"GIVEN {number % 997}", "nationality": "DEU",
           "birth_date": born, "document_number": f"D{number:09d}"} | dict.fromkeys(STAY)  # fmt: skip
    rows, at = [], START + timedelta(minutes=rng.randrange(0, 60 * 24 * 300))
    visits = rng.randint(1, 3)
    for visit in range(visits):
        rows.append(who | {"direction": "entry", "port": rng.choice(PORTS), "crossed_at": at} | rng.choice(BASES))
        at += timedelta(days=rng.randint(1, 40))
        if visit < visits - 1 or rng.random() > 0.1:
            exit_who = who | ({"document_number": None} if rng.random() < 0.33 else {})
            rows.append(exit_who | {"direction": "exit", "port": rng.choice(PORTS), "crossed_at": at})
            at += timedelta(days=rng.randint(1, 60))
    return rows


def fill(url: str, *, people: int) -> int:
    upgrade(url)
    rng, total = random.Random(20200315), 0
    for first in range(0, people, 10_000):
        rows = [row for n in range(first, min(first + 10_000, people)) for row in person_rows(n, rng)]
        with unit_of_work(url) as session:
            session.execute(insert(Crossing), rows)
        total += len(rows)
    if url.startswith("postgresql"):
        with unit_of_work(url) as session:
            session.execute(text("ANALYZE crossing"))  # what autovacuum does after a bulk load
    return total


def timed(url: str, call: Any) -> tuple[float, Any]:
    with read_only(url) as session:
        started = time.perf_counter()
        result = call(session)
        return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        started = time.perf_counter()
        crossings = fill(url, people=args.people)
        print(f"store: {url.split(':')[0]}, {args.people:,} people, {crossings:,} crossings "
              f"(filled in {time.perf_counter() - started:.1f} s)")  # fmt: skip
        on = date(2020, 6, 30)
        for label, ports in (("PEK", frozenset({"PEK"})), ("every port", None)):
            seconds, found = timed(url, lambda s, p=ports: overstays(session=s, on=on, ports=p))
            print(f"overstays {label}: {seconds:.2f} s, {len(found.items):,} listed, {found.cannot_say:,} cannot say")
        documents = [f"D{n:09d}" for n in random.Random(1).sample(range(args.people), min(1000, args.people))]
        ask = lambda s: [overstay_for(session=s, document_number=d, nationality="DEU", on=on) for d in documents]  # noqa: E731
        seconds, answers = timed(url, ask)
        print(f"overstay_for: {seconds / len(documents) * 1000:.2f} ms per document "
              f"({sum(a is not None for a in answers)} of {len(documents)} overstaying)")  # fmt: skip


if __name__ == "__main__":
    main()
