"""The counter API under load: passport scans at increasing request rates, p50 / p99 latency. Figures, never asserted.

    .venv/bin/python benchmarks/counter_bench.py [--rates 50 100 200 300] [--seconds 5] [--flights 6]

What one run does: a temporary SQLite store with the JHU risk figures; the first N passenger lists of the demo night
filed and screened; every passenger's passport MRZ written with kouan's own writer; the API served by one uvicorn
process (`kouan serve`) on loopback; then, for each rate, scans sent open-loop at that rate for the given seconds
(each one a `POST /api/counter/scans` that finds the traveller, reads screening and declaration, flags, and stores a
counter check). Latency runs from each request's scheduled moment to its answer, so a queue behind a slow answer
counts. The baseline is the same scan's service call in this process, without HTTP.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kouan.counter.schemas import ScanIn
from kouan.counter.service import scan_in
from kouan.db import unit_of_work
from kouan.demo.night import generate_night
from kouan.formats.documents_write import passport_mrz
from kouan.formats.paxlst import parse_paxlst
from kouan.measures.cli import BUNDLED_JHU
from kouan.measures.jhu import read_jhu
from kouan.measures.service import import_risk, load_regions
from kouan.migrate import upgrade
from kouan.screening.service import screen_voyage
from kouan.travel.registry.queries import current_travellers, get_voyage
from kouan.travel.registry.service import ingest_paxlst
from kouan.users.models import Role
from kouan.users.service import create_user


def prepare(*, url: str, flights: int) -> list[str]:
    """The store, the night's first passenger lists filed and screened; the passengers' MRZs."""
    upgrade(url)
    with unit_of_work(url) as session:
        load_regions(session=session)
        import_risk(session=session, rows=read_jhu(BUNDLED_JHU))
    lists = [m for m in generate_night() if m.message_type == "passengers"][:flights]
    scans = []
    for message in lists:
        with unit_of_work(url) as session:
            filed = ingest_paxlst(session=session, message=parse_paxlst(message.text), raw=message.text, port="PEK")
            voyage = get_voyage(session=session, voyage_id=filed.voyage_id)
            assert voyage is not None
            screen_voyage(session=session, voyage=voyage)
            scans += [_mrz(t) for t in current_travellers(session=session, voyage_id=voyage.id) if t.document_number]
    return scans


def _mrz(traveller: object) -> str:
    t = traveller
    lines = passport_mrz(surname=t.surname, given=t.given_names, number=t.document_number, nationality=t.nationality,  # type: ignore[attr-defined]
                         born=t.birth_date, sex=t.sex or "<", expiry=t.document_expiry or t.birth_date)  # type: ignore[attr-defined]  # fmt: skip
    return "\n".join(lines)


def serve(*, url: str, port: int, workers: int = 1, access_log: bool = True) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KOUAN_DATABASE_URL": url, "KOUAN_PORT_OF_ENTRY": "PEK"}
    command = [sys.executable, "-m", "kouan.cli", "serve", "--port", str(port), "--workers", str(workers)]
    command += [] if access_log else ["--no-access-log"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/api/health")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the API did not start")


class Client(threading.local):
    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)


def drive(*, port: int, token: str, scans: list[str], rate: float, seconds: float) -> dict[str, float]:
    """Open loop: request i is due at start + i / rate, whatever happened to the ones before."""
    client, total = Client(port), int(rate * seconds)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    latencies: list[float] = []
    errors = 0

    def one(index: int, due: float) -> None:
        nonlocal errors
        body = json.dumps({"kind": "mrz", "data": scans[index % len(scans)]})
        try:
            client.connection.request("POST", "/api/counter/scans", body=body, headers=headers)
            answer = client.connection.getresponse()
            answer.read()
            errors += answer.status != 201
        except (OSError, http.client.HTTPException):  # counted, and the thread's connection made anew
            errors += 1
            client.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        latencies.append(time.perf_counter() - due)

    cpu = time.process_time()
    start = time.perf_counter() + 0.2
    with ThreadPoolExecutor(max_workers=64) as pool:
        for index in range(total):
            due = start + index / rate
            time.sleep(max(0.0, due - time.perf_counter()))
            pool.submit(one, index, due)
    figures = _figures(latencies=latencies, errors=errors, rate=rate, elapsed=time.perf_counter() - start)
    return figures | {"client_cpu_ms": round((time.process_time() - cpu) * 1000 / max(1, total), 2)}


def _figures(*, latencies: list[float], errors: int, rate: float, elapsed: float) -> dict[str, float]:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    p50 = statistics.median(ordered)
    return {"rate": rate, "requests": len(ordered), "errors": errors, "p50_ms": round(p50 * 1000, 1),
            "p99_ms": round(p99 * 1000, 1), "achieved_per_s": round(len(ordered) / elapsed, 1)}  # fmt: skip


def baseline(*, url: str, scans: list[str], count: int = 200) -> float:
    """Milliseconds per scan called in-process (no HTTP, no server)."""
    started = time.perf_counter()
    for index in range(count):
        with unit_of_work(url) as session:
            scan_in(session=session, scan=ScanIn(kind="mrz", data=scans[index % len(scans)]), port="PEK", officer="b")
    return (time.perf_counter() - started) * 1000 / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rates", type=float, nargs="+", default=[50, 100, 200, 300])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--flights", type=int, default=6)
    parser.add_argument("--workers", type=int, default=1, help="server processes (kouan serve --workers)")
    parser.add_argument("--no-access-log", dest="access_log", action="store_false", help="serve without it")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds at 50/s before measuring (not counted)")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kouan-counter-") as folder:
        url = f"sqlite:///{Path(folder) / 'counter.sqlite3'}"
        scans = prepare(url=url, flights=args.flights)
        with unit_of_work(url) as session:
            token = create_user(session=session, username="bench", role=Role.officer)[1]
        base = baseline(url=url, scans=scans)
        print(f"{len(scans)} passports on {args.flights} flights; in-process scan {base:.2f} ms (baseline)")
        server = serve(url=url, port=args.port, workers=args.workers, access_log=args.access_log)
        try:
            drive(port=args.port, token=token, scans=scans, rate=50, seconds=args.warmup)  # not counted
            results = [
                drive(port=args.port, token=token, scans=scans, rate=r, seconds=args.seconds) for r in args.rates
            ]
        finally:
            server.terminate()
            server.wait(timeout=10)
    for row in results:
        ratio = row["p99_ms"] / base
        print(f"{row['rate']:>6.0f}/s  p50 {row['p50_ms']:>7.1f} ms  p99 {row['p99_ms']:>7.1f} ms  ({ratio:.1f}x "
              f"baseline)  errors {row['errors']:.0f}  achieved {row['achieved_per_s']}/s  "
              f"load generator {row['client_cpu_ms']} ms CPU/request")  # fmt: skip
    print(json.dumps({"baseline_ms": round(base, 2), "results": results}))


if __name__ == "__main__":
    main()
