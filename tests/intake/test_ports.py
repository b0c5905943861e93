"""One installation, several ports (SQLite and PostgreSQL): a manifest is filed at the first of the installation's
ports it arrives at; officers file, list, scan and browse at their own units' ports (or one of them they choose);
``KOUAN_PORT_OF_ENTRY`` is only the default of a single-port installation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kouan.api.deps import COOKIE
from kouan.app import create_app
from kouan.counter.models import CounterCheck
from kouan.db import unit_of_work
from kouan.demo.organisation import seed_organisation
from kouan.formats.paxlst import parse_paxlst
from kouan.intake.flows import file_paxlst
from kouan.settings import Settings
from kouan.travel.journey.models import Declaration
from kouan.travel.registry.models import Voyage
from kouan.travel.registry.ports import entry_port
from kouan.users.models import Role
from kouan.users.service import create_user
from tests.support.messages import passenger_list

VIA_PUDONG = [("FCO", "PVG", "2003141830"), ("PVG", "PEK", "2003151500")]  # enters China at Shanghai
TO_BAIYUN = [("FCO", "CAN", "2003141830")]


def test_the_port_of_entry_is_the_first_of_the_installations_ports_a_voyage_arrives_at() -> None:
    legs = ["PVG", "PEK"]
    assert entry_port(destinations=legs, ports=frozenset({"PEK", "PVG", "CAN"}), default="PEK") == "PVG"
    assert entry_port(destinations=legs, ports=frozenset({"PEK"}), default="PEK") == "PEK"
    assert entry_port(destinations=["PKX"], ports=frozenset({"BJS"}), default="BJS") == "PKX"  # a city's airport
    assert entry_port(destinations=["ICN", None], ports=frozenset({"CAN"}), default="PEK") == "PEK"  # none: default


def _file(url: str, *, legs: list[tuple[str, str, str]], number: str, organised: bool = True) -> Voyage:
    raw = passenger_list(names=["ROSSI:MARIO"], legs=legs, carrier="CA", number=number)
    with unit_of_work(url) as session:
        if organised:
            seed_organisation(session=session)
        filed = file_paxlst(session=session, raw=raw, message=parse_paxlst(raw), settings=_settings(url))
        voyage = session.get(Voyage, filed.result.voyage_id)
        assert voyage is not None
        session.expunge(voyage)
        return voyage


def _settings(url: str) -> Settings:
    return Settings(database_url=url, port_of_entry="PEK")


def test_a_manifest_is_filed_at_its_port_of_entry_among_the_units_ports(database_url: str) -> None:
    assert _file(database_url, legs=VIA_PUDONG, number="CA940").destination == "PVG"
    assert _file(database_url, legs=TO_BAIYUN, number="CA941").destination == "CAN"


def test_a_single_port_installation_files_at_its_default_port(database_url: str) -> None:
    assert _file(database_url, legs=VIA_PUDONG, number="CA940", organised=False).destination == "PEK"


def _client(url: str, *, username: str, unit: str | None) -> TestClient:
    with unit_of_work(url) as session:
        user, token = create_user(session=session, username=username, role=Role.officer)
        user.unit_id = seed_organisation(session=session).units[unit].id if unit else None
    client = TestClient(create_app(_settings(url)))
    client.cookies.set(COOKIE, token)
    return client


@pytest.fixture
def officers(database_url: str) -> Iterator[dict[str, TestClient]]:
    names = {"pek": "BJ-PEK", "gd": "GD", "pvg": "SH-PVG", "hq": None}
    clients = {name: _client(database_url, username=f"officer-{name}", unit=unit) for name, unit in names.items()}
    yield clients
    for client in clients.values():
        client.close()


def _post_manifest(client: TestClient, *, legs: list[tuple[str, str, str]], number: str) -> int:
    raw = passenger_list(names=["CONTI:LUCA"], legs=legs, carrier="CZ", number=number)
    return client.post("/api/voyages/paxlst", content=raw, headers={"Content-Type": "text/plain"}).status_code


def _voyages(client: TestClient, **params: str) -> tuple[int, set[str]]:
    answer = client.get("/api/voyages", params=params)
    return answer.status_code, {v["destination"] for v in answer.json().get("items", [])}


def test_officers_file_and_list_at_their_units_ports_only(database_url: str, officers: dict[str, TestClient]) -> None:
    assert _post_manifest(officers["pek"], legs=TO_BAIYUN, number="CZ0348") == 403  # Baiyun is not Capital's
    with unit_of_work(database_url) as session:
        assert session.scalar(select(func.count()).select_from(Voyage)) == 0  # the refusal filed nothing
    assert _post_manifest(officers["gd"], legs=TO_BAIYUN, number="CZ0348") == 201  # Guangdong's general station
    assert _post_manifest(officers["pvg"], legs=VIA_PUDONG, number="CZ0350") == 201
    assert _voyages(officers["gd"]) == (200, {"CAN"})
    assert _voyages(officers["pek"]) == (200, set())
    assert _voyages(officers["hq"]) == (200, {"CAN", "PVG"})
    assert _voyages(officers["hq"], port="PVG") == (200, {"PVG"})  # headquarters chooses one port
    assert _voyages(officers["gd"], port="PVG")[0] == 403  # not one of Guangdong's


def test_the_console_offers_the_officers_ports_and_shows_the_one_chosen(officers: dict[str, TestClient]) -> None:
    _post_manifest(officers["hq"], legs=TO_BAIYUN, number="CZ0348")
    _post_manifest(officers["hq"], legs=VIA_PUDONG, number="CZ0350")
    everything = officers["hq"].get("/console", params={"night": "2020-03-14"}).text
    assert 'name="port"' in everything and "CZ348" in everything and "CZ350" in everything
    for port in ("PEK", "PVG", "CAN", "CNMAA"):
        assert f'<option value="{port}"' in everything
    baiyun = officers["hq"].get("/console", params={"night": "2020-03-14", "port": "CAN"}).text
    assert "Arrivals at CAN" in baiyun and "CZ348" in baiyun and "CZ350" not in baiyun
    own = officers["pvg"].get("/console", params={"night": "2020-03-14"}).text
    assert "Arrivals at PVG" in own and 'name="port"' not in own  # one port: nothing to choose


def test_a_counter_scan_is_made_at_the_officers_own_port(database_url: str, officers: dict[str, TestClient]) -> None:
    scan = {"kind": "code", "data": "NOSUCHCODE12"}
    assert officers["pvg"].post("/api/counter/scans", json=scan).status_code == 201
    assert officers["hq"].post("/api/counter/scans", json=scan | {"port": "CAN"}).status_code == 201
    assert officers["pvg"].post("/api/counter/scans", json=scan | {"port": "CAN"}).status_code == 403
    with unit_of_work(database_url) as session:
        assert sorted(session.scalars(select(CounterCheck.port))) == ["CAN", "PVG"]  # not KOUAN_PORT_OF_ENTRY


def test_a_declaration_carries_its_flights_port_and_a_crossing_is_filed_at_the_callers(
    database_url: str, officers: dict[str, TestClient]
) -> None:
    _post_manifest(officers["gd"], legs=TO_BAIYUN, number="CZ0348")
    declared = {"surname": "CONTI", "given_names": "LUCA", "flight": "CZ348", "flight_date": "2020-03-14"}
    assert officers["pek"].post("/api/declarations", json=[declared]).status_code == 403  # Baiyun's flight
    assert officers["gd"].post("/api/declarations", json=[declared]).status_code == 201
    unflown = {"surname": "BIANCHI", "given_names": "SARA"}
    assert officers["pvg"].post("/api/declarations", json=[unflown]).status_code == 201
    with unit_of_work(database_url) as session:
        ports = session.execute(select(Declaration.surname, Declaration.port_of_entry).order_by(Declaration.id)).all()
    assert [tuple(p) for p in ports] == [("CONTI", "CAN"), ("BIANCHI", "PVG")]  # the refused one filed nothing
