"""Hits on SQLite and PostgreSQL: a filed manifest's travellers are checked against the lists in force (a Cantonese
spelling of a Han entry, a stolen passport by its number), each hit explains itself and is raised once per person and
voyage; officers of the hit's port confirm it (a decision with the entry's legal basis, audited) or dismiss it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kouan.api.deps import COOKIE
from kouan.app import create_app
from kouan.audit.models import AuditEvent
from kouan.db import WriterBusy, unit_of_work
from kouan.demo.organisation import seed_organisation
from kouan.formats.documents_write import passport_mrz
from kouan.formats.fal import parse_fal
from kouan.formats.mdh import parse_mdh
from kouan.settings import Settings
from kouan.users.models import Role
from kouan.users.service import create_user
from kouan.vessels.service import file_call
from kouan.watchlist.entries import read_entries
from kouan.watchlist.hits.checks import KINDS_AT, lists_index
from kouan.watchlist.hits.models import WatchlistHit
from kouan.watchlist.models import ListKind
from kouan.watchlist.service import Source, import_list
from tests.support.messages import manifest, person

DATA = Path(__file__).parent / "data"
FORMATS = Path(__file__).parents[1] / "formats" / "data"
MDH = (FORMATS / "mdh_jin_hai_fortune_all_no.json").read_text()
CHAN = person("CHAN:TAI MAN", born=date(1970, 5, 4), nationality="HKG")
ROSSI = person("ROSSI:MARIO", born=date(1970, 5, 4), nationality="ITA")
CHAN_MRZ = "\n".join(passport_mrz(surname="CHAN", given="TAI MAN", number="KJ0000001", nationality="HKG",
                                   born=date(1970, 5, 4), sex="M", expiry=date(2027, 1, 1)))  # fmt: skip
GARCIA = person("GARCIA:ANA", born=date(1990, 1, 9), nationality="ESP", document="PAB-123456", sex="F")


def _lists(url: str) -> None:
    with unit_of_work(url) as session:
        seed_organisation(session=session)
        for name, kind in (("NIA-ENTRY", ListKind.entry_ban), ("SLTD", ListKind.lost_or_stolen_document)):
            file = "entry_bans.csv" if kind == ListKind.entry_ban else "lost_documents.csv"
            read = read_entries((DATA / file).read_text(), form="csv")
            import_list(session=session, name=name, kind=kind, read=read,
                        source=Source(name=file, form="csv", actor="admin"))  # fmt: skip


def _client(url: str, *, username: str, unit: str) -> TestClient:
    with unit_of_work(url) as session:
        user, token = create_user(session=session, username=username, role=Role.officer)
        user.unit_id = seed_organisation(session=session).units[unit].id
    client = TestClient(create_app(Settings(database_url=url, port_of_entry="PEK")))
    client.cookies.set(COOKIE, token)
    return client


@pytest.fixture
def officers(database_url: str) -> Iterator[dict[str, TestClient]]:
    _lists(database_url)
    clients = {name: _client(database_url, username=f"officer-{name}", unit=unit)
               for name, unit in (("pek", "BJ-PEK"), ("pvg", "SH-PVG"))}  # fmt: skip
    yield clients
    for client in clients.values():
        client.close()


def _post(client: TestClient, raw: str) -> int:
    return client.post("/api/voyages/paxlst", content=raw, headers={"Content-Type": "text/plain"}).status_code


def test_a_filed_manifest_raises_explained_hits_once(database_url: str, officers: dict[str, TestClient]) -> None:
    raw = manifest(people=[ROSSI, CHAN, GARCIA])
    answer = officers["pek"].post("/api/voyages/paxlst", content=raw, headers={"Content-Type": "text/plain"})
    assert answer.status_code == 201 and "hit" not in answer.text.lower()  # the carrier learns nothing of a list
    assert _post(officers["pek"], manifest(people=[ROSSI, CHAN, GARCIA, person("BIANCHI:SARA", born=date(1985, 3, 3),
                                                                         nationality="ITA")])) == 201  # fmt: skip
    queue = officers["pek"].get("/api/watchlist-hits").json()
    assert sorted((h["person"]["surname"], h["watchlist"], h["kind"]) for h in queue) == [
        ("CHAN", "NIA-ENTRY", "entry_ban"), ("GARCIA", "SLTD", "lost_or_stolen_document")]  # fmt: skip
    chan = next(h for h in queue if h["person"]["surname"] == "CHAN")
    assert chan["explanation"]["alias"] == "陳大文" and chan["explanation"]["spelling"] == "cantonese"
    assert chan["explanation"]["features"]["dob"] == "exact" and chan["explanation"]["list_version"] == "NIA-ENTRY@1"
    assert chan["entry"]["legal_basis"] == "出境入境管理法 第二十一条" and chan["port"] == "PEK"
    garcia = next(h for h in queue if h["person"]["surname"] == "GARCIA")
    assert garcia["explanation"]["key"] == "document PAB123456"
    assert officers["pvg"].get("/api/watchlist-hits").json() == []  # Pudong's officers see Pudong's hits


def test_a_confirmed_hit_is_a_decision_with_its_legal_basis(database_url: str, officers: dict[str, TestClient]) -> None:
    _post(officers["pek"], manifest(people=[CHAN]))
    (hit,) = officers["pek"].get("/api/watchlist-hits").json()
    url = f"/api/watchlist-hits/{hit['id']}"
    assert officers["pvg"].post(f"{url}/confirm", json={"reason": "not mine"}).status_code == 404
    assert officers["pek"].post(f"{url}/confirm", json={"reason": ""}).status_code == 422
    decided = officers["pek"].post(f"{url}/confirm", json={"reason": "photo and date of birth agree"})
    assert decided.status_code == 200
    assert decided.json()["kind"] == "entry_refused" and decided.json()["legal_basis"] == "出境入境管理法 第二十一条"
    assert decided.json()["traveller_id"] == hit["traveller_id"] and decided.json()["authority"] == "公安部出入境管理局"
    assert officers["pek"].post(f"{url}/dismiss", json={"reason": "changed my mind"}).status_code == 409
    assert officers["pek"].get("/api/watchlist-hits").json() == []  # the queue holds open hits
    assert officers["pek"].get("/api/watchlist-hits", params={"status": "confirmed"}).json()[0]["reviewed_by"]
    assert [d["id"] for d in officers["pek"].get("/api/enforcement-decisions").json()] == [decided.json()["id"]]
    with unit_of_work(database_url) as session:
        (event,) = session.scalars(select(AuditEvent).where(AuditEvent.entity == "watchlist_hit")).all()
        assert event.action == "watchlist.hit.confirmed" and event.basis == "photo and date of birth agree"


def test_a_dismissed_hit_leaves_no_decision(database_url: str, officers: dict[str, TestClient]) -> None:
    _post(officers["pek"], manifest(people=[GARCIA]))
    (hit,) = officers["pek"].get("/api/watchlist-hits").json()
    answer = officers["pek"].post(f"/api/watchlist-hits/{hit['id']}/dismiss", json={"reason": "renewed passport"})
    assert answer.status_code == 200 and answer.json()["status"] == "dismissed"
    assert officers["pek"].get("/api/enforcement-decisions").json() == []
    with unit_of_work(database_url) as session:
        assert session.scalars(select(WatchlistHit.reason)).all() == ["renewed passport"]


def test_the_console_explains_a_hit_and_confirms_it_into_the_travellers_record(
    officers: dict[str, TestClient],
) -> None:
    pek = officers["pek"]
    _post(pek, manifest(people=[CHAN]))
    page = pek.get("/console/hits").text
    assert "陳大文" in page and "cantonese" in page and "出境入境管理法 第二十一条" in page and "NIA-ENTRY v1" in page
    (hit,) = pek.get("/api/watchlist-hits").json()
    refused = pek.post(f"/console/hits/{hit['id']}/confirm", data={"reason": " "}, follow_redirects=False)
    assert refused.status_code == 422 and "a reason is required" in refused.text
    assert pek.get("/api/watchlist-hits").json()[0]["status"] == "open"  # nothing was written
    done = pek.post(f"/console/hits/{hit['id']}/confirm", data={"reason": "same person"}, follow_redirects=False)
    assert done.status_code == 303
    record = pek.get(f"/console/travellers/{hit['traveller_id']}").text
    assert "Entry refused / 不准入境" in record and "出境入境管理法 第二十一条" in record
    assert "No hit waits for review" in pek.get("/console/hits").text


def test_a_ships_crew_list_is_checked_against_the_lists_once(
    database_url: str, officers: dict[str, TestClient]
) -> None:
    crew = (
        FORMATS / "fal5_maanshan_2020.csv"
    ).read_text() + "6,KIM,MINJUN,Cook,KOR,1988-11-30 Busan,Passport M55123478\n"
    with unit_of_work(database_url) as session:
        for _ in range(2):  # the agent sends the call again: it replaces the first
            call = file_call(session=session, mdh=parse_mdh(MDH), crew=parse_fal(crew), eta=None, port="CNMAA",
                             actor="agent")  # fmt: skip
        hits = session.scalars(select(WatchlistHit)).all()
        assert [(h.person["surname"], h.watchlist, h.port, h.vessel_call_id) for h in hits] == [
            ("KIM", "NIA-ENTRY", "CNMAA", call.id)]  # fmt: skip
        assert hits[0].explanation["alias"] == "KIM MIN-JUN" and hits[0].explanation["features"]["dob"] == "exact"


def test_an_entry_meets_only_travellers_of_the_days_it_is_in_force(officers: dict[str, TestClient]) -> None:
    before = manifest(people=[CHAN], legs=[("FCO", "PEK", "1912301830")], number="CA938")  # the ban starts in 2020
    during = manifest(people=[CHAN], legs=[("FCO", "PEK", "2003201830")], number="CA938")
    assert _post(officers["pek"], before) == 201
    assert officers["pek"].get("/api/watchlist-hits").json() == []
    assert _post(officers["pek"], during) == 201  # the same kept index, another day
    assert [h["person"]["surname"] for h in officers["pek"].get("/api/watchlist-hits").json()] == ["CHAN"]


def test_the_lists_index_is_never_built_on_the_event_loop(database_url: str, officers: dict[str, TestClient]) -> None:
    with unit_of_work(database_url, wait=False) as session, pytest.raises(WriterBusy):
        lists_index(session=session, kinds=KINDS_AT["entry"])  # the counter's scan on the loop: it moves to a thread
    check = officers["pek"].post("/api/counter/scans", json={"kind": "mrz", "data": CHAN_MRZ})
    assert check.status_code == 201 and "watchlist_hit" in {f["kind"] for f in check.json()["flags"]}
    with unit_of_work(database_url, wait=False) as session:
        assert lists_index(session=session, kinds=KINDS_AT["entry"]).entries  # built on the thread, kept


def test_a_traveller_of_the_other_sex_raises_no_hit_on_a_name(officers: dict[str, TestClient]) -> None:
    namesake = person("CHAN:TAI MAN", born=date(1970, 5, 4), nationality="HKG", sex="F")  # the entry is a man's
    assert _post(officers["pek"], manifest(people=[namesake])) == 201
    assert officers["pek"].get("/api/watchlist-hits").json() == []
    assert _post(officers["pek"], manifest(people=[CHAN], number="CA938")) == 201
    (hit,) = officers["pek"].get("/api/watchlist-hits").json()
    assert hit["explanation"]["features"]["sex"] == "agree" and hit["person"]["sex"] == "M"
