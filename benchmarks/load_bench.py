"""Carriers pushing manifests at once while officers read: latency per kind of request and errors, never asserted.

    python benchmarks/load_bench.py [--carriers 4] [--officers 4] [--manifests 6] [--people 300] [--seconds 0]
                                    [--think-ms 1000] [--largest] [--database-url URL]

One `kouan serve` process on loopback (a fresh SQLite file unless --database-url), JHU risk loaded. Each carrier
posts its manifests one after another (closed loop: the next when the last was answered); each officer reads the
voyage list and a voyage's screening in turn, pausing --think-ms (1 s) between the two, until the carriers are
done. The baseline, in the same process: one manifest posted while nothing else runs. With --largest, a manifest
at the server's limits (KOUAN_MAX_MESSAGE_TRAVELLERS, KOUAN_MAX_MESSAGE_BYTES) is posted alone and timed too.
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx

from kouan.db import unit_of_work
from kouan.demo.names import given_name, surname
from kouan.formats.paxlst import write_paxlst
from kouan.formats.records import Document, Leg, PaxlstMessage, Person
from kouan.measures.cli import BUNDLED_JHU
from kouan.measures.jhu import read_jhu
from kouan.measures.service import import_risk, load_regions
from kouan.migrate import upgrade
from kouan.settings import Settings
from kouan.users.models import Role
from kouan.users.service import create_user


def manifest(*, people: int, flight: int) -> str:
    legs = [Leg(origin="FCO", destination="PEK", departure=datetime(2020, 3, 20, 18), arrival=datetime(2020, 3, 21, 10),
                carrier="CA", number=f"CA{flight}")]  # fmt: skip
    persons = [_person(i, flight) for i in range(people)]
    message = PaxlstMessage(message_type="passengers", carrier="CA", number=f"CA{flight}", legs=legs,
                            travellers=persons, declared_count=people)  # fmt: skip
    return write_paxlst(message)


def _person(i: int, flight: int) -> Person:
    """A different person on every flight, named as the demo names people (Faker and romanised lists per
    nationality), born on a random day: the load is many flights of different people."""
    rng = random.Random(flight * 100_000 + i)
    nationality, sex = rng.choice(NATIONALITIES), "MF"[i % 2]
    passport = Document(type="P", number=f"E{flight:04d}{i:05d}", issuer=nationality, expiry=date(2030, 1, 1))
    return Person(surname=surname(rng, nationality, sex), given_names=given_name(rng, nationality, sex),
                  role="passenger", sex=sex, birth_date=date(1940, 1, 1) + timedelta(days=rng.randrange(25_000)),
                  nationality=nationality, documents=(passport,), embarkation="FCO", debarkation="PEK",
                  seat=f"{1 + i // 6}{'ABCDEF'[i % 6]}")  # fmt: skip


NATIONALITIES = ["ITA", "CHN", "FRA", "DEU", "USA", "KOR", "JPN", "GBR", "ESP", "IRN"]


def prepare(url: str) -> str:
    upgrade(url)
    with unit_of_work(url) as session:
        load_regions(session=session)
        import_risk(session=session, rows=read_jhu(BUNDLED_JHU))
        return create_user(session=session, username="load", role=Role.officer)[1]


def serve(*, url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KOUAN_DATABASE_URL": url, "KOUAN_PORT_OF_ENTRY": "PEK"}
    command = [sys.executable, "-m", "kouan.cli", "serve", "--port", str(port), "--no-access-log"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"kouan serve did not answer on port {port} within 60 s")


class Tally:
    def __init__(self) -> None:
        self.lock, self.times, self.errors = threading.Lock(), {}, {}  # type: ignore[var-annotated]

    def add(self, kind: str, started: float, ok: bool) -> None:
        with self.lock:
            self.times.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
            self.errors[kind] = self.errors.get(kind, 0) + (not ok)

    def figures(self) -> dict[str, dict[str, float]]:
        return {kind: _summary(ms, self.errors[kind]) for kind, ms in self.times.items()}


def _summary(ms: list[float], errors: int) -> dict[str, float]:
    ms = sorted(ms)
    return {"count": len(ms), "errors": errors, "p50_ms": round(statistics.median(ms), 1),
            "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 1), "max_ms": round(ms[-1], 1)}  # fmt: skip


def timed(tally: Tally, kind: str, call) -> httpx.Response | None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    try:
        answer = call()
    except httpx.HTTPError:
        tally.add(kind, started, ok=False)
        return None
    tally.add(kind, started, ok=answer.status_code < 400)
    return answer


def carrier(*, client: httpx.Client, tally: Tally, flights: list[int], people: int) -> None:
    for flight in flights:
        body = manifest(people=people, flight=flight)
        timed(tally, "manifest", lambda b=body: client.post("/api/voyages/paxlst", content=b))


def officer(*, client: httpx.Client, tally: Tally, done: threading.Event, think: float) -> None:
    while not done.is_set():
        listed = timed(tally, "voyage list", lambda: client.get("/api/voyages", params={"limit": 50}))
        items = listed.json()["items"] if listed is not None and listed.status_code == 200 else []
        if items:
            voyage = items[len(items) // 2]["id"]
            timed(tally, "screening", lambda v=voyage: client.get(f"/api/voyages/{v}/screening"))
        time.sleep(think)


def run_load(*, base: str, token: str, args: argparse.Namespace) -> tuple[dict[str, dict[str, float]], float]:
    tally, done, headers = Tally(), threading.Event(), {"Authorization": f"Bearer {token}"}
    clients = [httpx.Client(base_url=base, headers=headers, timeout=300) for _ in range(args.carriers + args.officers)]
    people = args.people
    flights = [[2000 + c * 100 + m for m in range(args.manifests)] for c in range(args.carriers)]
    readers = [threading.Thread(target=officer, kwargs={"client": c, "tally": tally, "done": done,
                                                        "think": args.think_ms / 1000})
               for c in clients[args.carriers:]]  # fmt: skip
    writers = [threading.Thread(target=carrier, kwargs={"client": c, "tally": tally, "flights": f, "people": people})
               for c, f in zip(clients, flights, strict=False)]  # fmt: skip
    started = time.perf_counter()
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    elapsed = time.perf_counter() - started
    done.set()
    for thread in readers:
        thread.join()
    return tally.figures(), elapsed


def alone(*, base: str, token: str, body: str) -> float:
    started = time.perf_counter()
    answer = httpx.post(f"{base}/api/voyages/paxlst", content=body, headers={"Authorization": f"Bearer {token}"},
                        timeout=600)  # fmt: skip
    if answer.status_code != 201:
        raise SystemExit(f"the manifest alone was answered {answer.status_code}: {answer.text[:200]}")
    return (time.perf_counter() - started) * 1000


def largest_manifest(settings: Settings) -> tuple[int, str]:
    """The most people the server accepts in one manifest: its traveller limit, or fewer to fit its byte limit."""
    per_person = len(manifest(people=1000, flight=9999).encode()) / 1000
    people = min(settings.max_message_travellers, int(settings.max_message_bytes / per_person))
    body = manifest(people=people, flight=9999)
    while len(body.encode()) > settings.max_message_bytes:
        people = int(people * 0.99)
        body = manifest(people=people, flight=9999)
    return people, body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--carriers", type=int, default=4)
    parser.add_argument("--officers", type=int, default=4)
    parser.add_argument("--manifests", type=int, default=6, help="per carrier")
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--think-ms", type=int, default=1000, help="an officer's pause between two page reads")
    parser.add_argument("--largest", action="store_true", help="also time a manifest just under the message limit")
    parser.add_argument("--database-url")
    parser.add_argument("--port", type=int, default=0, help="0: a free loopback port")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="kouan-load-")
    url = args.database_url or f"sqlite:///{Path(folder) / 'kouan.sqlite3'}"
    port = args.port or _free_port()
    token = prepare(url)
    server = serve(url=url, port=port)
    base = f"http://127.0.0.1:{port}"
    try:
        baseline = alone(base=base, token=token, body=manifest(people=args.people, flight=1))
        figures, elapsed = run_load(base=base, token=token, args=args)
        largest = _largest(base=base, token=token) if args.largest else None
        peak_mb = _peak_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(args=args, baseline=baseline, figures=figures, elapsed=elapsed, largest=largest, peak_mb=peak_mb)


def _largest(*, base: str, token: str) -> dict[str, float]:
    people, body = largest_manifest(Settings())
    return {"people": people, "bytes": len(body.encode()), "ms": round(alone(base=base, token=token, body=body), 1)}


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _peak_mb(pid: int) -> float:
    """The server's peak resident memory so far (Linux's VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def report(*, args, baseline: float, figures, elapsed: float, largest, peak_mb: float) -> None:  # type: ignore[no-untyped-def]
    manifests = figures.get("manifest", {}).get("count", 0)
    print(f"one {args.people}-person manifest alone (baseline): {baseline:.0f} ms")
    for kind, row in figures.items():
        ratio = row["p50_ms"] / baseline
        print(f"{kind:12} {row['count']:5d} requests, {row['errors']} errors, p50 {row['p50_ms']:.0f} ms "
              f"({ratio:.2f}x baseline), p99 {row['p99_ms']:.0f} ms, max {row['max_ms']:.0f} ms")  # fmt: skip
    print(f"server's peak memory: {peak_mb:.0f} MB")
    print(f"{manifests} manifests in {elapsed:.1f} s: {manifests / elapsed:.2f} manifests/s")
    if largest:
        print(f"largest manifest under the limit: {largest['people']} people, {largest['bytes']} bytes, "
              f"{largest['ms']:.0f} ms")  # fmt: skip
    summary = {
        "carriers": args.carriers,
        "officers": args.officers,
        "people": args.people,
        "baseline_ms": round(baseline, 1),
        "manifests_per_s": round(manifests / elapsed, 2),
        "by_kind": figures,
        "largest": largest,
        "server_peak_mb": peak_mb,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
