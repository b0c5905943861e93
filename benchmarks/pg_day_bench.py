"""A national day's manifests filed into PostgreSQL by several writers at once: figures, never asserted.

    python benchmarks/pg_day_bench.py [--flights 6000] [--writers 4] [--duplicates 8] [--database-url URL]

Without --database-url a throwaway PostgreSQL cluster is started on a loopback port (as the tests do) and removed
afterwards. The day: ``--flights`` arriving flights (about 6,000 a day in 2019 at China's ports) from 30 foreign
airports to 6 Chinese ones, their sizes drawn (seeded) from narrow- to wide-body loads, about 250 people on average.
Each writer is a process of its own; each manifest is filed through ``intake.flows.file_paxlst`` in its own
transaction (file, relink, screen), as ``POST /api/voyages/paxlst`` does; the writers are started and warmed before
the clock starts, as a server's workers are. Then one manifest is filed ``--duplicates`` times at once by every
writer: the registry must still hold one version of it.

The last line is one JSON object: {"flights", "writers", "people", "seconds", "manifests_per_s", "p50_ms",
"p99_ms", "last_tenth_p50_ms", "errors", "duplicate_filings", "duplicate_versions", "voyages_filed"}; the last
tenth's p50 is the day's end, when the earlier voyages each manifest is linked against are the most.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support.postgres: the throwaway cluster

from kouan.db import unit_of_work  # noqa: E402
from kouan.formats.paxlst import parse_paxlst, write_paxlst  # noqa: E402
from kouan.formats.records import Document, Leg, PaxlstMessage, Person  # noqa: E402
from kouan.intake.flows import file_paxlst  # noqa: E402
from kouan.measures.cli import BUNDLED_JHU  # noqa: E402
from kouan.measures.jhu import read_jhu  # noqa: E402
from kouan.measures.service import import_risk, load_regions  # noqa: E402
from kouan.migrate import upgrade  # noqa: E402
from kouan.screening import engine  # noqa: E402
from kouan.settings import Settings  # noqa: E402
from kouan.travel.registry.models import Voyage, VoyageVersion  # noqa: E402

DAY = date(2020, 3, 20)
SPAWN = multiprocessing.get_context("spawn")  # a forked writer would share the parent's pooled connections
ORIGINS = (
    *("NRT", "ICN", "FRA", "LHR", "CDG", "JFK", "LAX", "SIN", "BKK", "SYD", "DXB", "IST", "SVO", "DEL", "KUL"),
    *("MNL", "SGN", "HKG", "TPE", "MXP", "FCO", "MAD", "AMS", "ZRH", "VIE", "YVR", "SFO", "DOH", "CAI", "JNB"),
)
DESTINATIONS = ("PEK", "PVG", "CAN", "CTU", "SZX", "XIY")
LOADS = (120, 160, 180, 220, 280, 350, 420)  # people on board, narrow- to wide-body
NATIONALITIES = ("CHN", "KOR", "JPN", "DEU", "GBR", "FRA", "USA", "ITA", "SGP", "THA", "AUS", "RUS", "IND")


def flight_plan(*, flights: int, seed: int = 20200320) -> list[tuple[int, str, str, int]]:
    """(flight number, origin, destination, people) for each flight of the day."""
    rng = np.random.default_rng(seed)
    origins = rng.choice(len(ORIGINS), size=flights)
    destinations = rng.choice(len(DESTINATIONS), size=flights)
    loads = rng.choice(LOADS, size=flights)
    chosen = zip(origins, destinations, loads, strict=True)
    return [(1000 + n, ORIGINS[o], DESTINATIONS[d], int(p)) for n, (o, d, p) in enumerate(chosen)]


SURNAMES = (
    *("WANG", "LI", "ZHANG", "LIU", "CHEN", "YANG", "HUANG", "ZHAO", "WU", "ZHOU", "XU", "SUN", "MA", "ZHU", "HU"),
    *("GUO", "HE", "LIN", "GAO", "LUO", "KIM", "PARK", "LEE", "SATO", "SUZUKI", "TANAKA", "MUELLER", "SCHMIDT"),
    *("SMITH", "JONES", "BROWN", "MARTIN", "BERNARD", "ROSSI", "RUSSO", "NGUYEN", "TRAN", "SHARMA", "IVANOV"),
)
SYLLABLES = (
    *("WEI", "FANG", "MIN", "JING", "LEI", "JUN", "YAN", "HUI", "XIN", "TAO", "MING", "HONG", "YU", "LING", "QIANG"),
    *("PING", "HUA", "JIE", "LAN", "BO", "CHAO", "DAN", "FEI", "GANG", "HAO", "JIAN", "KAI", "LONG", "NA", "PENG"),
    *("ANNA", "JOHN", "MARIA", "DAVID", "SARAH", "PETER", "LUCA", "YUKI", "HANA", "MINJUN", "SOFIA", "OLIVER"),
)


def person(*, flight: int, index: int, origin: str, destination: str, rng: np.random.Generator) -> Person:
    """A distinct traveller: names from common surnames and given-name syllables (namesakes happen, as in life),
    born on any day of 75 years."""
    given = " ".join(SYLLABLES[s] for s in rng.choice(len(SYLLABLES), size=1 + int(rng.integers(2))))
    return Person(
        surname=SURNAMES[int(rng.integers(len(SURNAMES)))],
        given_names=given,
        role="passenger",
        sex="MF"[int(rng.integers(2))],
        birth_date=date(1945, 1, 1) + timedelta(days=int(rng.integers(75 * 365))),
        nationality=NATIONALITIES[int(rng.integers(len(NATIONALITIES)))],
        documents=(Document(type="P", number=f"E{flight:05d}{index:04d}", issuer="CHN", expiry=date(2030, 1, 1)),),
        embarkation=origin,
        debarkation=destination,
        seat=f"{1 + index // 9}{'ABCDEFGHK'[index % 9]}",
    )


def manifest(*, flight: int, origin: str, destination: str, people: int) -> str:
    departure = datetime(DAY.year, DAY.month, DAY.day, 1) + timedelta(minutes=flight % 600)
    leg = Leg(origin=origin, destination=destination, departure=departure, arrival=departure + timedelta(hours=9),
              carrier="CA", number=f"CA{flight}")  # fmt: skip
    rng = np.random.default_rng(flight)
    board = {"origin": origin, "destination": destination}
    travellers = [person(flight=flight, index=i, rng=rng, **board) for i in range(people)]
    message = PaxlstMessage(message_type="passengers", carrier="CA", number=f"CA{flight}", legs=[leg],
                            travellers=travellers, declared_count=people)  # fmt: skip
    return write_paxlst(message)


def file_one(url: str, raw: str, port: str) -> tuple[float, bool]:
    """Seconds to file and screen one manifest in its own transaction, and whether it failed."""
    settings = Settings(database_url=url, port_of_entry=port)
    start = time.perf_counter()
    for attempt in (1, 2):  # a concurrent filing of the same message may win the race: try once more, as a client
        try:
            with unit_of_work(url) as session:
                file_paxlst(session=session, raw=raw, message=parse_paxlst(raw), settings=settings)
            return time.perf_counter() - start, False
        except IntegrityError:
            if attempt == 2:
                return time.perf_counter() - start, True
    raise AssertionError("unreachable")


def prepare(url: str) -> None:
    upgrade(url)
    with unit_of_work(url) as session:
        load_regions(session=session)
        import_risk(session=session, rows=read_jhu(BUNDLED_JHU))


def warm(url: str) -> None:
    """A writer as a server's worker is after its first request: modules imported, the screening SQL compiled, its
    DuckDB open and a connection in the pool."""
    empty = {"stays": engine.STAYS_SCHEMA.empty_table(), "risk": engine.RISK_SCHEMA.empty_table()}
    engine.run(**empty, designations=engine.DESIGNATIONS_SCHEMA.empty_table())
    with unit_of_work(url) as session:
        session.execute(select(1))


def ready(_: int) -> None:
    time.sleep(0.5)  # busy long enough that every writer process is started (and warmed) to take one


def writer_pool(*, url: str, writers: int) -> ProcessPoolExecutor:
    pool = ProcessPoolExecutor(max_workers=writers, mp_context=SPAWN, initializer=warm, initargs=(url,))
    list(pool.map(ready, range(writers)))
    return pool


def file_day(*, url: str, plan: list[tuple[int, str, str, int]], writers: int) -> tuple[list[float], int, float]:
    """Seconds per manifest in the order filed, failures, and the wall time of the day (writers started before)."""
    raws = [manifest(flight=f, origin=o, destination=d, people=p) for f, o, d, p in plan]
    ports = [d for _, _, d, _ in plan]
    with writer_pool(url=url, writers=writers) as pool:
        start = time.perf_counter()
        results = list(pool.map(file_one, [url] * len(raws), raws, ports, chunksize=1))
        wall = time.perf_counter() - start
    return [seconds for seconds, _ in results], sum(failed for _, failed in results), wall


def file_duplicates(*, url: str, writers: int, copies: int) -> int:
    """The same manifest filed ``copies`` times at once: how many versions the registry made of it."""
    raw = manifest(flight=99999, origin="ICN", destination="PEK", people=300)
    with writer_pool(url=url, writers=writers) as pool:
        list(pool.map(file_one, [url] * copies, [raw] * copies, ["PEK"] * copies))
    with unit_of_work(url) as session:
        voyage = select(Voyage.id).where(Voyage.number == "99999").scalar_subquery()
        return int(session.scalar(select(func.count()).where(VoyageVersion.voyage_id == voyage)) or 0)


def voyages_held(url: str) -> int:
    with unit_of_work(url) as session:
        return int(session.scalar(select(func.count()).select_from(Voyage)) or 0)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(
    *, args: argparse.Namespace, people: int, times: list[float], errors: int, wall: float, versions: int
) -> dict[str, float]:
    return {
        "flights": args.flights,
        "writers": args.writers,
        "people": people,
        "seconds": round(wall, 1),
        "manifests_per_s": round(len(times) / wall, 1),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p99_ms": round(percentile(times, 0.99) * 1000, 1),
        "last_tenth_p50_ms": round(statistics.median(times[-max(1, len(times) // 10) :]) * 1000, 1),
        "errors": errors,
        "duplicate_filings": args.duplicates,
        "duplicate_versions": versions,
    }


def run(args: argparse.Namespace, url: str) -> dict[str, float]:
    prepare(url)
    plan = flight_plan(flights=args.flights)
    times, errors, wall = file_day(url=url, plan=plan, writers=args.writers)
    filed = voyages_held(url)
    versions = file_duplicates(url=url, writers=args.writers, copies=args.duplicates)
    people = sum(p for *_, p in plan)
    return {**report(args=args, people=people, times=times, errors=errors, wall=wall, versions=versions),
            "voyages_filed": filed}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flights", type=int, default=6000)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--duplicates", type=int, default=8)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    if args.database_url:
        figures = run(args, args.database_url)
    else:
        from tests.support.postgres import start_cluster

        cluster = start_cluster()
        try:
            figures = run(args, cluster.create_database("kouan_day"))
        finally:
            cluster.stop()
    print(f"{figures['flights']} flights ({figures['people']} people), {figures['writers']} writers, PostgreSQL")
    print(f"  {figures['manifests_per_s']} manifests/s, p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms")
    print(f"  the same manifest filed {args.duplicates} times at once: {figures['duplicate_versions']} version(s)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
