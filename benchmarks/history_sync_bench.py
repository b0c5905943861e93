"""Appending the operational store's arrived crossings to the history: how long `kouan history sync` takes for a
store of --voyages voyages of --travellers travellers each, and how long running it again (nothing new) takes.
Never asserted.

    python benchmarks/history_sync_bench.py [--voyages 400] [--travellers 250] [--database-url URL]

A fresh SQLite file unless --database-url (migrated; it must hold no voyage yet). The voyages land into PEK over
20 days from 1 March 2020; each traveller has two stays and an answer at arrival. They are inserted as rows (not
timed): the filing and the screening have their own benchmarks; this one times the sync (claim, read, Parquet
write, record), then the second run. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from kouan.db import unit_of_work
from kouan.history.sync import sync_history
from kouan.migrate import upgrade
from kouan.screening.models import ScreeningResult
from kouan.travel.registry.models import Stay, Traveller, Voyage, VoyageVersion

FIRST, DAYS = date(2020, 3, 1), 20
UNTIL = datetime(2020, 4, 1, tzinfo=UTC)
ROWS_A_STATEMENT = 20_000


def arrival(voyage: int) -> datetime:
    return datetime.combine(FIRST + timedelta(days=voyage % DAYS), datetime.min.time(), tzinfo=UTC) + timedelta(
        hours=12
    )


def voyage_rows(voyages: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    now = datetime.now(UTC)
    flights = [
        {"id": v + 1, "carrier": "CA", "number": f"{v:05d}", "flight_date": arrival(v).date(), "destination": "PEK",
         "scheduled_arrival": arrival(v), "created_at": now}
        for v in range(voyages)
    ]  # fmt: skip
    versions = [
        {"id": v + 1, "voyage_id": v + 1, "version": 1, "message_type": "passengers", "message_sha256": f"{v:064d}",
         "raw": "", "warnings": [], "received_at": now}
        for v in range(voyages)
    ]  # fmt: skip
    return flights, versions


def traveller_rows(voyage: int, travellers: int) -> tuple[list[dict[str, Any]], ...]:
    day, now = arrival(voyage).date(), datetime.now(UTC)
    people, stays, results = [], [], []
    result = {"voyage_id": voyage + 1, "level": "high", "level_rank": 3, "as_of": day, "classifier": "rate14-v1",
              "reasons": [], "actions": [], "findings": [], "screened_at": now}  # fmt: skip
    for n in range(travellers):
        i = voyage * travellers + n + 1
        people.append({"id": i, "voyage_version_id": voyage + 1, "seq": n, "role": "passenger", "surname": f"S{i}",
                       "given_names": "G", "nationality": "ITA", "document_number": f"D{i}"})  # fmt: skip
        stays += [
            {"traveller_id": i, "region_code": "ITA", "stay_date": day - timedelta(days=1), "source": "manifest"},
            {"traveller_id": i, "region_code": "KOR", "stay_date": day - timedelta(days=5), "source": "pnr-origin"},
        ]
        results.append({**result, "traveller_id": i})
    return people, stays, results


def fill(*, url: str, voyages: int, travellers: int) -> None:
    upgrade(url)
    flights, versions = voyage_rows(voyages)
    with unit_of_work(url) as session:
        session.execute(insert(Voyage), flights)
        session.execute(insert(VoyageVersion), versions)
        for voyage in range(voyages):
            people, stays, results = traveller_rows(voyage, travellers)
            for table, rows in ((Traveller, people), (Stay, stays), (ScreeningResult, results)):
                for start in range(0, len(rows), ROWS_A_STATEMENT):
                    session.execute(insert(table), rows[start : start + ROWS_A_STATEMENT])


def timed(*, url: str, root: Path) -> tuple[dict[str, Any], float]:
    started = time.perf_counter()
    done = sync_history(url=url, root=root, until=UNTIL, port="PEK")
    return done.as_json(), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voyages", type=int, default=400)
    parser.add_argument("--travellers", type=int, default=250)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'kouan.sqlite3'}"
        fill(url=url, voyages=args.voyages, travellers=args.travellers)
        first, sync_s = timed(url=url, root=Path(folder) / "history")
        again, again_s = timed(url=url, root=Path(folder) / "history")
    figures = {
        "store": url.split(":", 1)[0].split("+", 1)[0],
        "voyages": first["voyages"],
        "crossings": first["crossings"],
        "stays": first["stays"],
        "days": len(first["days"]),
        "sync_s": round(sync_s, 2),
        "crossings_per_s": round(first["crossings"] / sync_s),
        "again_s": round(again_s, 3),
        "again_crossings": again["crossings"],
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
