"""End to end on SQLite and PostgreSQL: an exit-ban list imported by an administrator; a departure manifest with a
planted person under a Cantonese spelling of a Han entry raises a hit that explains itself; an officer confirms it in
the console; the person is stopped at the exit counter with the legal basis shown. Also at the exit lane: a person on
no manifest who meets an entry is held for review, a foreigner past their permitted stay is flagged with the days, and
a traveller cleared to leave is an exit in the registry (which closes their stay)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kouan.api.deps import COOKIE
from kouan.app import create_app
from kouan.db import unit_of_work
from kouan.demo.organisation import seed_organisation
from kouan.formats.documents_write import passport_mrz
from kouan.settings import Settings
from kouan.travel.journey.models import Crossing
from kouan.users.models import Role
from kouan.users.service import create_user
from tests.support.messages import manifest, person

DATA = Path(__file__).parent / "data"
TO_HONG_KONG = [("PEK", "HKG", "2003151930")]
CHAN = person("CHAN:CHI MING", born=date(1968, 9, 12), nationality="CHN", document="KJ0417735")
SMITH = person("SMITH:JOHN", born=date(1980, 1, 2), nationality="GBR", document="533000111")
OKAFOR = person("OKAFOR:CHUKWUEMEKA", born=date(1990, 7, 14), nationality="NGA", document="A07731942")


def _mrz(surname: str, given: str, *, number: str, nationality: str, born: date) -> str:
    return "\n".join(passport_mrz(surname=surname, given=given, number=number, nationality=nationality, born=born,
                                  sex="M", expiry=date(2027, 6, 30)))  # fmt: skip


def _client(url: str, *, username: str, role: Role, unit: str | None) -> TestClient:
    with unit_of_work(url) as session:
        user, token = create_user(session=session, username=username, role=role)
        user.unit_id = seed_organisation(session=session).units[unit].id if unit else None
    client = TestClient(create_app(Settings(database_url=url, port_of_entry="PEK")))
    client.cookies.set(COOKIE, token)
    return client


@pytest.fixture
def staff(database_url: str) -> Iterator[dict[str, TestClient]]:
    clients = {"admin": _client(database_url, username="admin", role=Role.admin, unit=None),
               "pek": _client(database_url, username="officer-pek", role=Role.officer, unit="BJ-PEK"),
               "analyst": _client(database_url, username="analyst-pek", role=Role.analyst, unit="BJ-PEK")}  # fmt: skip
    bans = (DATA / "exit_bans_han.csv").read_text()
    imported = clients["admin"].post("/api/watchlists/NIA-EXIT/versions", params={"kind": "exit_ban", "form": "csv"},
                                     content=bans, headers={"Content-Type": "text/csv"})  # fmt: skip
    assert imported.status_code == 201
    yield clients
    for client in clients.values():
        client.close()


def _exit_scan(client: TestClient, mrz: str) -> dict:  # type: ignore[type-arg]
    answer = client.post("/api/counter/scans", json={"kind": "mrz", "data": mrz, "direction": "exit"})
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_a_confirmed_exit_ban_hit_stops_the_person_at_the_exit_counter(staff: dict[str, TestClient]) -> None:
    pek = staff["pek"]
    filed = pek.post("/api/voyages/paxlst", content=manifest(people=[SMITH, CHAN], legs=TO_HONG_KONG, number="CA101"),
                     headers={"Content-Type": "text/plain"})  # fmt: skip
    assert filed.status_code == 201 and filed.json()["direction"] == "exit"
    (hit,) = pek.get("/api/watchlist-hits").json()
    assert (hit["person"]["surname"], hit["direction"], hit["port"]) == ("CHAN", "exit", "PEK")
    why = hit["explanation"]
    assert (why["alias"], why["spelling"], why["list_version"]) == ("陳志明", "cantonese", "NIA-EXIT@1")
    assert why["features"]["dob"] == "exact" and hit["entry"]["legal_basis"] == "出境入境管理法 第十二条第二项"
    assert "陳志明" in pek.get("/console/hits").text
    confirmed = pek.post(f"/console/hits/{hit['id']}/confirm", data={"reason": "photo, date of birth and HKSAR record"},
                         follow_redirects=False)  # fmt: skip
    assert confirmed.status_code == 303
    check = _exit_scan(pek, _mrz("CHAN", "CHI MING", number="KJ0417735", nationality="CHN", born=date(1968, 9, 12)))
    stop = next(f for f in check["flags"] if f["kind"] == "exit_ban")
    assert "出境入境管理法 第十二条第二项" in stop["text"] and "北京市公安局" in stop["text"]
    assert check["recommendation"] == "refuse" and check["traveller_id"] == hit["traveller_id"]
    refused = pek.post(f"/api/counter/checks/{check['check_id']}/decision",
                       json={"decision": "refuse", "reason": "不准出境: NIA-EB-0001"})  # fmt: skip
    assert refused.status_code == 200 and refused.json()["decision"] == "refuse"
    cleared = _exit_scan(pek, _mrz("SMITH", "JOHN", number="533000111", nationality="GBR", born=date(1980, 1, 2)))
    assert cleared["flags"] == [] and cleared["recommendation"] == "release"
    assert len(pek.get("/api/watchlist-hits").json()) == 0  # the counter raised no second hit for CHAN


def test_an_unreviewed_match_of_a_person_on_no_manifest_holds_them(staff: dict[str, TestClient]) -> None:
    pek = staff["pek"]
    check = _exit_scan(pek, _mrz("CHANG", "WEI KUO", number="302118406", nationality="TWN", born=date(1975, 2, 3)))
    kinds = {f["kind"] for f in check["flags"]}
    assert kinds == {"not_on_manifest", "watchlist_hit"} and check["recommendation"] == "refuse"
    (hit,) = pek.get("/api/watchlist-hits").json()
    assert (
        hit["entry_key"] == "NIA-EB-0002"
        and hit["voyage_id"] is None
        and hit["explanation"]["features"]["dob"] == "exact"
    )
    again = _exit_scan(pek, _mrz("CHANG", "WEI KUO", number="302118406", nationality="TWN", born=date(1975, 2, 3)))
    assert "watchlist_hit" in {f["kind"] for f in again["flags"]}
    assert len(pek.get("/api/watchlist-hits").json()) == 1  # the same person at the same lane: the same hit


def test_an_overstay_is_flagged_at_exit_and_a_release_closes_it(
    database_url: str, staff: dict[str, TestClient]
) -> None:
    entry = {"direction": "entry", "port": "PEK", "crossed_at": "2020-01-20T14:35:00+08:00", "surname": "OKAFOR",
             "given_names": "CHUKWUEMEKA", "nationality": "NGA", "document_number": "A07731942",
             "birth_date": "1990-07-14", "stay_basis": "visa", "visa_type": "L", "stay_days": 30}  # fmt: skip
    assert staff["analyst"].post("/api/crossings", json=[entry]).status_code == 201
    pek = staff["pek"]
    check = _exit_scan(pek, _mrz("OKAFOR", "CHUKWUEMEKA", number="A07731942", nationality="NGA",
                                 born=date(1990, 7, 14)))  # fmt: skip
    (overstay,) = [f for f in check["flags"] if f["kind"] == "overstay"]
    assert "past 2020-02-18" in overstay["text"] and "visa L" in overstay["text"]
    released = pek.post(f"/api/counter/checks/{check['check_id']}/decision",
                        json={"decision": "release", "reason": "fined CNY 5,000 (violation recorded)"})  # fmt: skip
    assert released.status_code == 200
    with unit_of_work(database_url) as session:
        (exit_record,) = session.scalars(select(Crossing).where(Crossing.direction == "exit")).all()
        assert (exit_record.document_number, exit_record.port) == ("A07731942", "PEK")
    later = _exit_scan(pek, _mrz("OKAFOR", "CHUKWUEMEKA", number="A07731942", nationality="NGA",
                                 born=date(1990, 7, 14)))  # fmt: skip
    assert "overstay" not in {f["kind"] for f in later["flags"]}  # the exit closed the stay
