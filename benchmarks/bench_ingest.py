"""A 300-person manifest parsed, filed, screened and persisted: figures per step, never asserted.

    python benchmarks/bench_ingest.py [--people 300] [--repeat 5] [--database-url URL]

Without --database-url a fresh SQLite file in a temp folder is used (JHU risk loaded first, not timed).
In process: parse, file and screen timed apart (best of --repeat; the same 300 people on every flight, so each
manifest also links to the earlier ones). Then through HTTP: one `kouan serve` process on a free loopback port
over a second fresh store, --repeat distinct manifests (other people on each flight: names, documents, birth
dates) posted one after another to `POST /api/voyages/paxlst`, the whole request timed (p50, p99); then each of
those manifests re-sent with one passenger changed (a new version) and re-sent unchanged (nothing new), timed too.
The last line is one JSON object: people, parse_ms, file_ms, screen_ms, p50_ms, p99_ms, manifests_per_s, then
resend_p50_ms, resend_p99_ms (one passenger changed), resend_same_p50_ms (unchanged) (through HTTP, screening
included), server_cpu_ms and resend_server_cpu_ms (the server process's CPU per manifest, first filings and
re-sends with one change) and resend_file_ms (in process, filing alone: a re-sent manifest of the in-process
flights with one passenger changed).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
from load_bench import _free_port, serve

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
from kouan.users.models import Role
from kouan.users.service import create_user


def manifest(*, people: int, flight: int, distinct: bool = False, changed: int | None = None) -> str:
    """The flight's manifest; ``distinct``: other people than on other flights; ``changed``: that passenger (by
    index) has another seat, as in a carrier's corrected list."""
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
            surname=f"P{flight}X{i:04d}" if distinct else f"PERSON{i:04d}",
            given_names="TEST",
            role="passenger",
            sex="MF"[i % 2],
            birth_date=_born(i=i, flight=flight) if distinct else date(1950 + i % 60, 1 + i % 12, 1 + i % 28),
            nationality=("ITA", "CHN", "FRA")[i % 3],
            documents=(Document(type="P", number=f"E{flight:04d}{i:05d}", issuer="CHN", expiry=date(2030, 1, 1)),),
            embarkation=("MXP", "FCO")[i % 2],
            debarkation="PEK",
            seat="99K" if i == changed else f"{1 + i // 6}{'ABCDEF'[i % 6]}",
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


def _born(*, i: int, flight: int) -> date:
    """A birth date spread over 70 years, other on each flight (other people share few birth dates)."""
    return date(1940, 1, 1) + timedelta(days=(flight * 7919 + i * 104_729) % 25_000)


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
    parser.add_argument("--no-http", action="store_true", help="only the in-process steps")
    args = parser.parse_args()
    url = prepare(args.database_url)
    timed_run(url=url, raw=manifest(people=args.people, flight=9000))  # warm-up: imports, DuckDB start
    runs = [timed_run(url=url, raw=manifest(people=args.people, flight=9001 + n)) for n in range(args.repeat)]
    print(f"{args.people}-person manifest, {args.repeat} runs, store {url.split(':')[0]}")
    base = min(r["parse"] for r in runs)
    for step in ("parse", "file", "screen", "total"):
        best = min(r[step] for r in runs)
        print(f"  {step:7s} best {best * 1000:8.1f} ms   ×{best / base:6.1f} of parsing")
    summary = {"people": args.people, **{f"{step}_ms": _ms(min(r[step] for r in runs)) for step in STEPS}}
    changed = [manifest(people=args.people, flight=9001 + n, changed=n) for n in range(args.repeat)]
    resent = [resend_file(url=url, raw=raw) for raw in changed]
    print(f"  re-sent with one passenger changed: file best {min(resent) * 1000:.1f} ms")
    if not args.no_http:
        summary |= through_http(people=args.people, repeat=args.repeat)
    print(json.dumps(summary | {"resend_file_ms": _ms(min(resent))}))


def resend_file(*, url: str, raw: str) -> float:
    """Seconds to file (parsed beforehand, not screened) a new version of a manifest filed before."""
    message = parse_paxlst(raw)
    with unit_of_work(url) as session:
        start = time.perf_counter()
        result = ingest_paxlst(session=session, message=message, raw=raw, port="PEK")
        took = time.perf_counter() - start
    assert result.created and result.version == 2
    return took


STEPS = ("parse", "file", "screen")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def through_http(*, people: int, repeat: int) -> dict[str, float]:
    """p50/p99 of whole POSTs of distinct manifests to one running server, then of re-sends of them."""
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'http.sqlite3'}"
    token = prepare_with_user(url)
    port = _free_port()
    server = serve(url=url, port=port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"}) as client:
            return _posts(client=client, people=people, repeat=repeat, server_pid=server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _posts(*, client: httpx.Client, people: int, repeat: int, server_pid: int) -> dict[str, float]:
    flights = [7001 + n for n in range(repeat)]
    _post(client, manifest(people=people, flight=7000, distinct=True))  # warm-up: imports, DuckDB start
    started, cpu = time.perf_counter(), [_cpu_ms(server_pid)]
    first = [_post(client, manifest(people=people, flight=f, distinct=True)) for f in flights]
    elapsed, cpu = time.perf_counter() - started, [*cpu, _cpu_ms(server_pid)]
    changed = [_post(client, manifest(people=people, flight=f, distinct=True, changed=people // 2)) for f in flights]
    cpu.append(_cpu_ms(server_pid))
    same = [_post(client, manifest(people=people, flight=f, distinct=True, changed=people // 2)) for f in flights]
    print(
        f"  HTTP: {repeat} manifests p50 {statistics.median(first):.1f} ms; re-sent with one passenger changed "
        f"p50 {statistics.median(changed):.1f} ms; re-sent unchanged p50 {statistics.median(same):.1f} ms"
    )
    return {
        "p50_ms": round(statistics.median(first), 1),
        "p99_ms": round(_p99(first), 1),
        "manifests_per_s": round(repeat / elapsed, 2),
        "resend_p50_ms": round(statistics.median(changed), 1),
        "resend_p99_ms": round(_p99(changed), 1),
        "resend_same_p50_ms": round(statistics.median(same), 1),
        "server_cpu_ms": round((cpu[1] - cpu[0]) / repeat, 1),
        "resend_server_cpu_ms": round((cpu[2] - cpu[1]) / repeat, 1),
    }


def _cpu_ms(pid: int) -> float:
    """CPU time the server process has used (user + system, Linux): on a shared machine it moves less than wall
    time with other work."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _post(client: httpx.Client, body: str) -> float:
    started = time.perf_counter()
    answer = client.post("/api/voyages/paxlst", content=body, timeout=600)
    took = (time.perf_counter() - started) * 1000
    if answer.status_code != 201:
        raise SystemExit(f"the manifest was answered {answer.status_code}: {answer.text[:200]}")
    return took


def _p99(ms: list[float]) -> float:
    ordered = sorted(ms)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def prepare_with_user(url: str) -> str:
    prepare(url)
    with unit_of_work(url) as session:
        return create_user(session=session, username="bench", role=Role.officer)[1]


if __name__ == "__main__":
    main()
