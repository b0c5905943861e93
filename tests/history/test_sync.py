"""The operational store's arrived crossings reach the history once (SQLite and PostgreSQL): each current traveller
of an arrived voyage is one crossing (its traveller id) with its answer at arrival and its stays; a second run, a
voyage not yet landed, a manifest filed after the append, and a crash between the write and the commit add nothing
twice and lose nothing. Also through `kouan history sync`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from kouan.cli import app as cli
from kouan.db import unit_of_work
from kouan.history import sync as history_sync
from kouan.history.read import open_history
from kouan.history.store import day_files
from kouan.screening import engine
from kouan.screening.models import ScreeningResult
from kouan.settings import get_settings
from kouan.travel.registry.models import Stay, Traveller, Voyage, VoyageVersion
from tests.history.filed import FLIGHTS, LATE_FLIGHT, file_arrivals, file_flight, sync

MARCH = [date(2020, 2, d) for d in (1, 25)] + [date(2020, 3, d) for d in (1, 9, 11, 14)]
LATE_DAY = date(2020, 3, 20)  # CA960's arrival day (UTC)
ON_TIME = sum(len(names) for names, _ in FLIGHTS.values()) + 1  # and CA902's crew member
runner = CliRunner()


def read_back(root: Path) -> tuple[list[dict], list[dict]]:
    con = engine.connect()
    history = open_history(con=con, root=root)
    crossings = history.crossings.order_by("crossing_id").to_pyarrow().to_pylist()
    stays = history.stays.order_by(["crossing_id", "region_code", "date_to"]).to_pyarrow().to_pylist()
    con.disconnect()
    return crossings, stays


def store_view(url: str) -> tuple[dict[int, tuple[str, date, str]], list[tuple[int, str, date]]]:
    """Each screened traveller's (level at arrival, arrival day, flight) and every stay, read from the store."""
    with unit_of_work(url) as session:
        rows = session.execute(
            select(ScreeningResult.traveller_id, ScreeningResult.level, ScreeningResult.as_of, Voyage.number)
            .join(Voyage, Voyage.id == ScreeningResult.voyage_id)
            .where(ScreeningResult.known_on.is_(None))
        ).all()
        stays = session.execute(select(Stay.traveller_id, Stay.region_code, Stay.stay_date)).all()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}, sorted((s[0], s[1], s[2]) for s in stays)


def test_arrived_crossings_are_appended_once_with_their_answer_at_arrival_and_their_stays(
    database_url: str, tmp_path: Path
) -> None:
    file_arrivals(database_url)
    done = sync(database_url, tmp_path)
    assert done.as_json() == {
        "voyages": len(FLIGHTS),
        "crossings": ON_TIME,
        "stays": done.stays,
        "days": [d.isoformat() for d in MARCH],
    }
    crossings, stays = read_back(tmp_path)
    screened, registry_stays = store_view(database_url)
    landed = {t: v for t, v in screened.items() if v[1] < LATE_DAY}
    assert {c["crossing_id"]: (c["level"], c["day"]) for c in crossings} == {t: v[:2] for t, v in landed.items()}
    assert {c["port"] for c in crossings} == {"PEK"} and {c["direction"] for c in crossings} == {"arrival"}
    assert {c["known_on"] == c["day"] for c in crossings} == {True}  # screened on the arrival day
    assert {c["level"] for c in crossings} >= {"low", "high"}  # Italy was high in March 2020
    assert [(s["crossing_id"], s["region_code"], s["date_to"]) for s in stays] == [
        s for s in registry_stays if s[0] in landed
    ]
    assert done.stays == len(stays) > 0
    assert sync(database_url, tmp_path).as_json() == {"voyages": 0, "crossings": 0, "stays": 0, "days": []}
    assert read_back(tmp_path)[0] == crossings


def test_a_voyage_not_yet_landed_is_appended_once_it_has(database_url: str, tmp_path: Path) -> None:
    file_arrivals(database_url)
    sync(database_url, tmp_path)
    later = sync(database_url, tmp_path, until=datetime(2020, 3, 21, tzinfo=UTC))
    assert later.as_json() == {"voyages": 1, "crossings": 1, "stays": 1, "days": ["2020-03-20"]}
    with unit_of_work(database_url) as session:
        neri = session.scalar(select(Traveller.id).where(Traveller.surname == "NERI"))
    assert [c["crossing_id"] for c in read_back(tmp_path)[0]].count(neri) == 1


def test_a_manifest_filed_after_the_append_adds_no_second_crossing(database_url: str, tmp_path: Path) -> None:
    file_arrivals(database_url, late=False)
    sync(database_url, tmp_path)
    before, _ = read_back(tmp_path)
    names, legs = FLIGHTS["CA902"]
    with unit_of_work(database_url) as session:  # a corrected passenger list: a new version, new traveller rows
        file_flight(session, database_url, number="CA902", names=[*names, "ERDENE:TUYA"], legs=legs)
    assert sync(database_url, tmp_path).voyages == 0
    assert read_back(tmp_path)[0] == before


def test_a_crash_between_the_write_and_the_commit_loses_nothing_and_doubles_nothing(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file_arrivals(database_url)

    def crash(**_: object) -> None:
        raise RuntimeError("power cut")

    with monkeypatch.context() as patch:
        patch.setattr(history_sync, "mark_written", crash)
        with pytest.raises(RuntimeError, match="power cut"):
            sync(database_url, tmp_path)
    written, _ = read_back(tmp_path)
    assert len(written) == ON_TIME  # on disk, not recorded in the store

    again = sync(database_url, tmp_path)
    assert (again.voyages, again.crossings) == (len(FLIGHTS), ON_TIME)  # written again under the same names
    crossings, _ = read_back(tmp_path)
    assert crossings == written and len({c["crossing_id"] for c in crossings}) == ON_TIME
    assert len(day_files(root=tmp_path, table="crossings")) == len(MARCH)
    assert sync(database_url, tmp_path).crossings == 0


def test_a_crash_after_the_claim_loses_nothing(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file_arrivals(database_url)

    def crash(**_: object) -> None:
        raise RuntimeError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(history_sync, "write_batch", crash)
        with pytest.raises(RuntimeError, match="disk full"):
            sync(database_url, tmp_path)
    assert read_back(tmp_path)[0] == []
    assert sync(database_url, tmp_path).crossings == ON_TIME  # the claimed batch is written by the next run
    assert len(read_back(tmp_path)[0]) == ON_TIME


def test_kouan_history_sync_prints_what_it_appended(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file_arrivals(store)
    monkeypatch.setenv("KOUAN_CROSSING_HISTORY_DIR", str(tmp_path / "history"))
    get_settings.cache_clear()
    result = runner.invoke(cli, ["history", "sync", "--until", "2020-03-20T00:00:00"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed == {"voyages": len(FLIGHTS), "crossings": ON_TIME, "stays": printed["stays"],
                       "days": [d.isoformat() for d in MARCH]}  # fmt: skip
    assert len(read_back(tmp_path / "history")[0]) == ON_TIME
    again = runner.invoke(cli, ["history", "sync", "--until", "2020-03-20T00:00:00"])
    assert json.loads(again.stdout) == {"voyages": 0, "crossings": 0, "stays": 0, "days": []}


def test_kouan_history_sync_writes_under_the_data_dir_when_no_history_dir_is_set(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file_arrivals(store)
    monkeypatch.delenv("KOUAN_CROSSING_HISTORY_DIR", raising=False)
    monkeypatch.setenv("KOUAN_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    assert get_settings().crossing_history_path() == tmp_path / "var" / "history"
    result = runner.invoke(cli, ["history", "sync", "--until", "2020-03-20T00:00:00+08:00"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["crossings"] == ON_TIME
    assert len(read_back(tmp_path / "var" / "history")[0]) == ON_TIME


def test_kouan_history_sync_refuses_an_instant_it_cannot_read(store: str) -> None:
    result = runner.invoke(cli, ["history", "sync", "--until", "the ides of March"])
    assert result.exit_code == 2 and "--until" in result.output


def unscheduled_voyage(url: str, *, number: str, screened: bool) -> int:
    """A voyage whose manifest gave no arrival time (flight date 19 March 2020), one traveller; its id."""
    with unit_of_work(url) as session:
        voyage = Voyage(carrier="CA", number=number, flight_date=date(2020, 3, 19), destination="PVG")
        version = VoyageVersion(version=1, message_type="passengers", message_sha256="0" * 64, raw="", voyage=voyage)
        traveller = Traveller(seq=0, role="passenger", surname="LI", given_names="NA", nationality=None)
        version.travellers.append(traveller)
        session.add(version)
        session.flush()
        if screened:
            session.add(ScreeningResult(traveller_id=traveller.id, voyage_id=voyage.id, level="low", level_rank=0,
                                        as_of=date(2020, 3, 19), classifier="rate14-v1"))  # fmt: skip
        return traveller.id


def test_a_voyage_without_an_arrival_time_is_appended_once_its_day_is_past_and_only_once_screened(
    database_url: str, tmp_path: Path
) -> None:
    screened = unscheduled_voyage(database_url, number="CA970", screened=True)
    unscreened = unscheduled_voyage(database_url, number="CA972", screened=False)
    assert sync(database_url, tmp_path, until=datetime(2020, 3, 19, 23, 59, tzinfo=UTC)).voyages == 0
    assert sync(database_url, tmp_path, until=datetime(2020, 3, 20, tzinfo=UTC)).as_json() == {
        "voyages": 1, "crossings": 1, "stays": 0, "days": ["2020-03-19"],
    }  # fmt: skip
    [crossing] = read_back(tmp_path)[0]
    assert crossing["crossing_id"] == screened != unscreened
    assert (crossing["port"], crossing["nationality"]) == ("PVG", "XXX")  # the voyage's port; nationality unknown
    assert crossing["arrival_time"] == datetime(2020, 3, 19, tzinfo=UTC)


def test_kouan_history_sync_every_keeps_appending_what_arrives(store: str, tmp_path: Path) -> None:
    """The service form: one JSON line per run; a flight filed while it runs is appended by a later run."""
    file_arrivals(store)
    env = os.environ | {"KOUAN_DATABASE_URL": store, "KOUAN_CROSSING_HISTORY_DIR": str(tmp_path / "history")}
    command = [sys.executable, "-m", "kouan.cli", "history", "sync", "--every", "0.2"]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as service:
        try:
            assert service.stdout is not None
            assert json.loads(service.stdout.readline())["crossings"] == ON_TIME + len(LATE_FLIGHT[0])
            with unit_of_work(store) as session:
                file_flight(session, store, number="CA970", names=["NERI:LUCA"], legs=[("FCO", "PEK", "2003151830")])
            runs = [json.loads(service.stdout.readline()) for _ in range(50)]
            assert next(r for r in runs if r["voyages"])["crossings"] == 1
        finally:
            service.terminate()
