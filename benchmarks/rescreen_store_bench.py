"""Retroactive re-screening on the operational store: how long a back-dated designation takes to rescreen and refer
the past arrivals it changes, and how long running it again (which changes nothing) takes. Never asserted.

    python benchmarks/rescreen_store_bench.py [--flights 10] [--people 300] [--database-url URL]

A fresh SQLite file unless --database-url (migrated, JHU risk and the demo organisation loaded). --flights flights
of --people different passengers from Ulaanbaatar to PEK, one a day from 1 March 2020 (Mongolia was low then), are
filed and screened (not timed). Then, timed: Mongolia designated high from 1 March 2020 and the re-screening that
follows, in one transaction (every passenger rises and is referred, with an outbox event per agency); then
`kouan rescreen` over the same window again (nobody rises). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from kouan.db import unit_of_work
from kouan.demo.names import given_name, surname
from kouan.demo.organisation import seed_organisation
from kouan.formats.paxlst import parse_paxlst, write_paxlst
from kouan.formats.records import Document, Leg, PaxlstMessage, Person
from kouan.intake.flows import file_paxlst
from kouan.intake.rescreen import after_designation, rescreen_arrivals
from kouan.measures.cli import BUNDLED_JHU
from kouan.measures.designations import designate
from kouan.measures.jhu import read_jhu
from kouan.measures.models import DesignationCreate
from kouan.measures.service import import_risk, load_regions
from kouan.migrate import upgrade
from kouan.settings import Settings

FIRST = date(2020, 3, 1)


def manifest(*, people: int, flight: int) -> str:
    day = datetime.combine(FIRST + timedelta(days=flight % 28), datetime.min.time()).replace(hour=8)
    number = f"CA{900 + flight}"
    legs = [Leg(origin="ULN", destination="PEK", departure=day, arrival=day + timedelta(hours=3), carrier="CA",
                number=number)]  # fmt: skip
    persons = [_person(i, flight) for i in range(people)]
    message = PaxlstMessage(message_type="passengers", carrier="CA", number=number, legs=legs, travellers=persons,
                            declared_count=people)  # fmt: skip
    return write_paxlst(message)


def _person(i: int, flight: int) -> Person:
    """A different person on every flight, named as the demo names people, born on a random day (as in
    load_bench.py: identical names would make the filing's relinking, not the re-screening, the cost)."""
    rng = random.Random(flight * 100_000 + i)
    nationality, sex = rng.choice(NATIONALITIES), "MF"[i % 2]
    passport = Document(type="P", number=f"E{flight:04d}{i:05d}", issuer=nationality, expiry=date(2030, 1, 1))
    return Person(surname=surname(rng, nationality, sex), given_names=given_name(rng, nationality, sex),
                  role="passenger", sex=sex, birth_date=date(1940, 1, 1) + timedelta(days=rng.randrange(25_000)),
                  nationality=nationality, documents=(passport,), embarkation="ULN", debarkation="PEK",
                  seat=f"{1 + i // 6}{'ABCDEF'[i % 6]}")  # fmt: skip


NATIONALITIES = ["MNG", "CHN", "RUS", "KOR", "JPN", "DEU", "USA"]


def prepare(*, url: str, settings: Settings, flights: int, people: int) -> float:
    upgrade(url)
    with unit_of_work(url) as session:
        load_regions(session=session)
        import_risk(session=session, rows=read_jhu(BUNDLED_JHU))
        seed_organisation(session=session)
    started = time.perf_counter()
    for flight in range(flights):
        raw = manifest(people=people, flight=flight)
        with unit_of_work(url) as session:
            file_paxlst(session=session, raw=raw, message=parse_paxlst(raw), settings=settings)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flights", type=int, default=10)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'kouan.sqlite3'}"
        settings = Settings(database_url=url, port_of_entry="PEK")
        filing = prepare(url=url, settings=settings, flights=args.flights, people=args.people)
        item = DesignationCreate(region_code="MNG", level="high", valid_from=FIRST, reason="benchmark")
        started = time.perf_counter()
        with unit_of_work(url) as session:
            designation = designate(session=session, item=item, actor="bench")
            first = after_designation(session=session, designation=designation, settings=settings)
        designated = time.perf_counter() - started
        started = time.perf_counter()
        with unit_of_work(url) as session:
            again = rescreen_arrivals(session=session, settings=settings, since=FIRST, until=FIRST + timedelta(days=60),
                                      regions=["MNG"], actor="bench")  # fmt: skip
        repeated = time.perf_counter() - started
    print(json.dumps({
        "store": url.split(":")[0], "flights": args.flights, "people": args.people, "filing_s": round(filing, 2),
        "designate_and_rescreen_s": round(designated, 2), "rescreened": first.rescreened, "raised": len(first.raised),
        "referrals": first.referrals, "again_s": round(repeated, 2), "again_raised": len(again.raised),
        "again_referrals": again.referrals,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
