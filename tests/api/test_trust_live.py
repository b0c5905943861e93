"""Findings 1 and 2 of [L] on a real server: carriers pushing manifests at once never stall the server, and a
server killed right after a 201 has kept every manifest it acknowledged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import select

from kouan.app import create_app
from kouan.db import unit_of_work
from kouan.migrate import upgrade
from kouan.settings import Settings
from kouan.travel.registry.models import Voyage
from kouan.users.models import Role
from kouan.users.service import create_user
from tests.support.live import free_port, live_server
from tests.support.messages import passenger_list

PEOPLE = [f"PERSON{i:03d}:TEST" for i in range(150)]


def _manifest(flight: int) -> str:
    return passenger_list(names=PEOPLE, number=f"CA{flight}")


def _officer(url: str) -> dict[str, str]:
    with unit_of_work(url) as session:
        return {"Authorization": f"Bearer {create_user(session=session, username='carrier', role=Role.officer)[1]}"}


def _store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'kouan.sqlite3'}"
    upgrade(url)
    return url


def test_uploads_at_once_queue_for_the_writer_while_health_answers(tmp_path: Path) -> None:
    url = _store(tmp_path)
    headers = _officer(url)
    app = create_app(Settings(database_url=url, port_of_entry="PEK"))
    with live_server(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        with ThreadPoolExecutor(8) as pool:
            posts = [pool.submit(client.post, "/api/voyages/paxlst", content=_manifest(900 + i), headers=headers)
                     for i in range(8)]  # fmt: skip
            waits = _health_waits(client, until=lambda: all(p.done() for p in posts))
        statuses = [p.result().status_code for p in posts]
    assert statuses == [201] * 8
    assert max(waits) < 2.0, waits


def _health_waits(client: httpx.Client, *, until) -> list[float]:  # type: ignore[no-untyped-def]
    waits = []
    while not until():
        started = time.perf_counter()
        assert client.get("/api/health").status_code == 200
        waits.append(time.perf_counter() - started)
        time.sleep(0.05)
    return waits


def test_a_server_killed_after_its_201s_has_kept_every_acknowledged_manifest(tmp_path: Path) -> None:
    url = _store(tmp_path)
    headers = _officer(url)
    port = free_port()
    server = _serve(url, port=port)
    acknowledged: list[str] = []
    try:
        _wait_for_health(port)
        _post_until_killed(port=port, server=server, headers=headers, acknowledged=acknowledged)
    finally:
        server.kill()
        server.wait(timeout=10)
    with unit_of_work(url) as session:
        stored = set(session.scalars(select(Voyage.number)))
    assert acknowledged and set(acknowledged) <= stored


def _serve(url: str, *, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KOUAN_DATABASE_URL": url}
    command = [sys.executable, "-m", "kouan.cli", "serve", "--port", str(port), "--no-access-log"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for_health(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"kouan serve did not answer on port {port} within 60 s")


def _post_until_killed(
    *, port: int, server: subprocess.Popen[bytes], headers: dict[str, str], acknowledged: list[str]
) -> None:
    """Three carriers post at once; the first 201 kills the server with SIGKILL (no chance to finish anything)."""
    lock = threading.Lock()

    def post(flight: int) -> None:
        try:
            answer = httpx.post(f"http://127.0.0.1:{port}/api/voyages/paxlst", content=_manifest(flight),
                                headers=headers, timeout=60)  # fmt: skip
        except httpx.HTTPError:
            return  # the server died before answering: nothing was acknowledged
        if answer.status_code == 201:
            with lock:
                acknowledged.append(str(flight))  # Voyage.number is the flight number without the carrier
                os.kill(server.pid, signal.SIGKILL)

    threads = [threading.Thread(target=post, args=(700 + i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
