"""The README's first command: `kouan demo` files and screens the night, and `kouan serve` answers on its port."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from kouan.cli import app
from kouan.counter.models import CounterCheck
from kouan.db import unit_of_work
from kouan.settings import get_settings
from kouan.travel.registry.models import Voyage
from kouan.users.models import Unit
from kouan.vessels.models import VesselCall
from kouan.violations.models import Violation
from tests.support.live import free_port


def test_demo_files_and_screens_the_night_and_names_a_featured_journey(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KOUAN_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    monkeypatch.setenv("KOUAN_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    with socket.socket() as holder:  # without serving, the demo's loopback API needs no fixed port: any will do
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        monkeypatch.setenv("KOUAN_PORT", str(holder.getsockname()[1]))
        try:
            result = CliRunner().invoke(app, ["demo", "--no-serve"])
        finally:
            get_settings.cache_clear()
    assert result.exit_code == 0, result.stderr
    assert "EK308" in result.stdout and "CA938" in result.stdout
    assert "featured journey" in result.stdout and "/console/travellers/" in result.stdout
    assert len(list((tmp_path / "demo" / "2020-03-15").glob("*_pax.edi"))) >= 30
    assert "Acknowledged / 已签收" in result.stdout and "acknowledged over the agency API: BJ-CHAOYANG" in result.stdout
    assert "/console/referrals" in result.stdout
    mrz = [line for line in result.stdout.splitlines() if len(line) == 44 and line.startswith("P<")]
    assert len(mrz) == 1 and "at the counter (/console/counter): e-declaration code" in result.stdout
    assert "Vessels arriving at Ma'anshan" in result.stdout and "HANSA MERIDIAN: Called at Busan" in result.stdout
    assert len(list((tmp_path / "demo" / "2020-03-15" / "vessels").glob("*_mdh.json"))) == 9
    assert re.search(r"crossing history: [1-9]\d{3,} crossings and \d+ stays appended", result.stdout)
    assert list((tmp_path / "history" / "crossings").glob("day=2020-03-1[56]/*.parquet"))
    assert "DXBPEKEK 0308" in result.stdout  # the featured traveller's own boarding pass, not a namesake's
    _the_departures_evening(result.stdout, url=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
                            folder=tmp_path / "demo" / "2020-03-15" / "departures")  # fmt: skip
    _each_port_under_its_station(f"sqlite:///{tmp_path / 'demo.sqlite3'}")


def _the_departures_evening(stdout: str, *, url: str, folder: Path) -> None:
    """Both exit bans (a Cantonese and a Wade-Giles spelling) and the stolen passport refused with their grounds, the
    two overstayers flagged with their days and let go (each a violation), the ended ban not stopped."""
    assert "Departures evening at PEK" in stdout and "3 hits confirmed by the review, 0 wait" in stdout
    assert len(list(folder.glob("*_exit.edi"))) == 3
    with unit_of_work(url) as session:
        checks = {c.surname: c for c in session.scalars(select(CounterCheck).where(CounterCheck.direction == "exit"))}
        fined = sorted(p["surname"] for v in session.scalars(select(Violation)) for p in v.people)
    shown = {name: {f["kind"]: f["text"] for f in check.flags} for name, check in checks.items()}
    assert {name: check.decision for name, check in checks.items()} == {
        "CHAN": "refuse", "CHANG": "refuse", "BRENNAN": "refuse", "OKAFOR": "release", "NGUYEN": "release",
        "LIU": "release"}  # fmt: skip
    assert "出境入境管理法 第十二条第二项" in shown["CHAN"]["exit_ban"] and "exit_ban" in shown["CHANG"]
    assert "Interpol SLTD" in shown["BRENNAN"]["document_held"]
    assert "26 days past 2020-02-18" in shown["OKAFOR"]["overstay"] and fined == ["NGUYEN", "OKAFOR"]
    assert set(shown["LIU"]) == set()  # her ban ended on 29 February


def _each_port_under_its_station(url: str) -> None:
    """One installation, the night at three airports and the week at Ma'anshan, each port under its general station."""
    with unit_of_work(url) as session:
        landed = set(session.scalars(select(Voyage.destination).where(Voyage.direction == "entry").distinct()))
        called = set(session.scalars(select(VesselCall.port).distinct()))
        stations = {u.port: u for u in session.scalars(select(Unit).where(Unit.port.is_not(None)))}
        parents = {port: session.get(Unit, unit.parent_id) for port, unit in stations.items()}
        assert landed == {"PEK", "PVG", "CAN"} and called == {"CNMAA"}
        assert {port: parent.code for port, parent in parents.items() if parent} == {
            "PEK": "BJ", "PVG": "SH", "CAN": "GD", "CNMAA": "AH"
        }  # fmt: skip
        assert all(parent and parent.level == "general_station" for parent in parents.values())


def test_serve_answers_health_on_the_given_port(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "KOUAN_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "kouan.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        answer = _poll(f"http://127.0.0.1:{port}/api/health")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert answer == {"status": "ok", "version": "0.1.0"}


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_a_taken_port_is_named_and_the_command_stops(tmp_path: Path, command: str) -> None:
    with socket.socket() as holder:  # another server already listens on the port
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        env = {**os.environ, "KOUAN_DATABASE_URL": f"sqlite:///{tmp_path / 'taken.sqlite3'}",
               "KOUAN_DATA_DIR": str(tmp_path), "KOUAN_HOST": "127.0.0.1", "KOUAN_PORT": str(port)}  # fmt: skip
        run = subprocess.run([sys.executable, "-m", "kouan.cli", command], env=env, capture_output=True, text=True,
                             timeout=30)  # fmt: skip
    assert run.returncode == 1
    assert f"port 127.0.0.1:{port} is taken" in run.stderr and "Traceback" not in run.stderr + run.stdout
    assert not (tmp_path / "demo").exists()  # the demo stopped before generating its night


def _poll(url: str) -> dict[str, str]:
    for _ in range(100):
        try:
            return httpx.get(url, timeout=1).json()
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered at {url}")
