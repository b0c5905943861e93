"""A 300-person manifest parsed, filed, screened and persisted: figures per step, never asserted.

    python benchmarks/bench_ingest.py [--people 300] [--repeat 5] [--database-url URL]

Without --database-url a fresh SQLite file in a temp folder is used (JHU risk loaded first, not timed).
The baseline is parsing alone, in the same process: each step is also printed as a multiple of it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from kouan.db import unit_of_work
from kouan.formats.paxlst import parse_paxlst, write_paxlst
from kouan.formats.records import Document, Leg, PaxlstMessage, Person
from kouan.measures.cli import BUNDLED_JHU
from kouan.measures.jhu import read_jhu
from kouan.measures.service import import_risk, load_regions
from kouan.migrate import upgrade
from kouan.screening.service import screen_voyage
from kouan.travel.registry.queries import get_voyage
from kouan.travel.registry.service import ingest_paxlst


def manifest(*, people: int, flight: int) -> str:
    legs = [
        Leg(
            origin="MXP",
            destination="FCO",
            departure=datetime(2020, 3, 20, 14),
            arrival=datetime(2020, 3, 20, 15),
            carrier="CA",
            number=f"CA{flight}",
        ),
        Leg(
            origin="FCO",
            destination="PEK",
            departure=datetime(2020, 3, 20, 18),
            arrival=datetime(2020, 3, 21, 10),
            carrier="CA",
            number=f"CA{flight}",
        ),
    ]
    persons = [
        Person(
            surname=f"PERSON{i:04d}",
            given_names="TEST",
            role="passenger",
            sex="MF"[i % 2],
            birth_date=date(1950 + i % 60, 1 + i % 12, 1 + i % 28),
            nationality=("ITA", "CHN", "FRA")[i % 3],
            documents=(Document(type="P", number=f"E{flight:04d}{i:05d}", issuer="CHN", expiry=date(2030, 1, 1)),),
            embarkation=("MXP", "FCO")[i % 2],
            debarkation="PEK",
            seat=f"{1 + i // 6}{'ABCDEF'[i % 6]}",
        )
        for i in range(people)
    ]
    return write_paxlst(
        PaxlstMessage(
            message_type="passengers",
            carrier="CA",
            number=f"CA{flight}",
            legs=legs,
            travellers=persons,
            declared_count=people,
        )
    )


def prepare(url: str | None) -> str:
    url = url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    upgrade(url)
    with unit_of_work(url) as session:
        load_regions(session=session)
        import_risk(session=session, rows=read_jhu(BUNDLED_JHU))
    return url


def timed_run(*, url: str, raw: str) -> dict[str, float]:
    times: dict[str, float] = {}
    start = time.perf_counter()
    message = parse_paxlst(raw)
    times["parse"] = time.perf_counter() - start
    with unit_of_work(url) as session:
        result = ingest_paxlst(session=session, message=message, raw=raw, port="PEK")
        times["file"] = time.perf_counter() - start - times["parse"]
        voyage = get_voyage(session=session, voyage_id=result.voyage_id)
        assert voyage is not None
        screen_voyage(session=session, voyage=voyage)
        times["screen"] = time.perf_counter() - start - times["parse"] - times["file"]
    times["total"] = time.perf_counter() - start
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = prepare(args.database_url)
    timed_run(url=url, raw=manifest(people=args.people, flight=9000))  # warm-up: imports, DuckDB start
    runs = [timed_run(url=url, raw=manifest(people=args.people, flight=9001 + n)) for n in range(args.repeat)]
    print(f"{args.people}-person manifest, {args.repeat} runs, store {url.split(':')[0]}")
    base = min(r["parse"] for r in runs)
    for step in ("parse", "file", "screen", "total"):
        best = min(r[step] for r in runs)
        print(f"  {step:7s} best {best * 1000:8.1f} ms   ×{best / base:6.1f} of parsing")


if __name__ == "__main__":
    main()
