"""Departures as crossings (SQLite and PostgreSQL): a departure manifest (PAXLST of an outbound flight) is filed as an
exit at the port it leaves from, is not screened for epidemic risk, is listed with the day's departures and not with
the arrivals, and the counter's exit lane finds its travellers without raising the epidemic flags."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kouan.api.deps import COOKIE
from kouan.app import create_app
from kouan.db import unit_of_work
from kouan.demo.organisation import seed_organisation
from kouan.formats.documents_write import boarding_pass, passport_mrz
from kouan.screening.models import ScreeningResult
from kouan.settings import Settings
from kouan.travel.registry.models import Stay, Voyage, VoyageVersion
from kouan.travel.registry.ports import Crossing, crossing
from kouan.users.models import Role
from kouan.users.service import create_user
from tests.support.messages import passenger_list

DEPARTURE = (Path(__file__).parents[1] / "formats" / "data" / "paxlst_ca937_departure_d05b.edi").read_text()
CAPITAL, SEVERAL = frozenset({"PEK"}), frozenset({"PEK", "PVG", "CAN"})
BROWN_MRZ = "\n".join(
    passport_mrz(
        surname="BROWN",
        given="EMMA JANE",
        number="533012345",
        nationality="GBR",
        born=date(1991, 4, 22),
        sex="F",
        expiry=date(2027, 9, 30),
    )  # fmt: skip
)


def test_a_leg_from_abroad_makes_an_entry_at_the_first_of_our_ports_as_before() -> None:
    assert crossing(route=[("LHR", "PEK")], ports=CAPITAL, default="PEK") == Crossing("entry", "PEK")
    assert crossing(route=[("FCO", "PVG"), ("PVG", "PEK")], ports=SEVERAL, default="PEK") == Crossing("entry", "PVG")
    assert crossing(route=[("FCO", "PVG"), ("PVG", "PEK")], ports=CAPITAL, default="PEK") == Crossing("entry", "PEK")
    assert crossing(route=[("HKG", "CAN")], ports=SEVERAL, default="PEK") == Crossing("entry", "CAN")


def test_a_leg_leaving_the_mainland_makes_an_exit_at_its_origin() -> None:
    assert crossing(route=[("PEK", "LHR")], ports=CAPITAL, default="PEK") == Crossing("exit", "PEK")
    assert crossing(route=[("PEK", "HKG")], ports=CAPITAL, default="PEK") == Crossing("exit", "PEK")  # HKG: abroad
    assert crossing(route=[("PVG", "TPE")], ports=SEVERAL, default="PEK") == Crossing("exit", "PVG")


def test_a_domestic_leg_before_the_border_leg_leaves_from_the_latest_of_our_ports() -> None:
    route = [("PEK", "PVG"), ("PVG", "FRA")]
    assert crossing(route=route, ports=SEVERAL, default="PEK") == Crossing("exit", "PVG")  # the border leg's origin
    assert crossing(route=route, ports=CAPITAL, default="PEK") == Crossing("exit", "PEK")  # ours before it


def test_the_first_border_crossing_decides_and_none_of_our_ports_stays_an_entry_at_the_default() -> None:
    assert crossing(route=[("FCO", "PEK"), ("PEK", "HKG")], ports=CAPITAL, default="PEK") == Crossing("entry", "PEK")
    assert crossing(route=[("CAN", "LHR")], ports=CAPITAL, default="PEK") == Crossing("entry", "PEK")
    assert crossing(route=[("CAN", "HKG"), ("HKG", "PEK")], ports=CAPITAL, default="PEK") == Crossing("entry", "PEK")
    assert crossing(route=[("ICN", "NRT")], ports=SEVERAL, default="PEK") == Crossing("entry", "PEK")


def _client(url: str, *, username: str, unit: str | None) -> TestClient:
    with unit_of_work(url) as session:
        user, token = create_user(session=session, username=username, role=Role.officer)
        user.unit_id = seed_organisation(session=session).units[unit].id if unit else None
    client = TestClient(create_app(Settings(database_url=url, port_of_entry="PEK")))
    client.cookies.set(COOKIE, token)
    return client


@pytest.fixture
def officers(database_url: str) -> Iterator[dict[str, TestClient]]:
    clients = {name: _client(database_url, username=f"officer-{name}", unit=unit)
               for name, unit in {"pek": "BJ-PEK", "gd": "GD", "hq": None}.items()}  # fmt: skip
    yield clients
    for client in clients.values():
        client.close()


def _file(client: TestClient, raw: str = DEPARTURE) -> tuple[int, dict]:
    answer = client.post("/api/voyages/paxlst", content=raw, headers={"Content-Type": "text/plain"})
    return answer.status_code, answer.json()


def _count(url: str, model: type) -> int:
    with unit_of_work(url) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_departure_manifest_is_an_exit_at_its_origin_and_is_not_screened(
    database_url: str, officers: dict[str, TestClient]
) -> None:
    status, filed = _file(officers["pek"])
    assert status == 201 and filed["direction"] == "exit" and filed["screening"] is None
    with unit_of_work(database_url) as session:
        voyage = session.get(Voyage, filed["voyage_id"])
        assert voyage is not None
        assert (voyage.carrier, voyage.number, voyage.flight_date) == ("CA", "937", date(2020, 3, 15))
        assert (voyage.direction, voyage.origin, voyage.destination, voyage.our_port) == ("exit", "PEK", "LHR", "PEK")
        assert voyage.scheduled_departure == datetime(2020, 3, 15, 5, 30, tzinfo=UTC)  # 13:30 in Beijing
    assert _count(database_url, ScreeningResult) == 0 and _count(database_url, Stay) == 0


def test_a_departure_is_listed_with_the_days_departures_not_with_the_arrivals(officers: dict[str, TestClient]) -> None:
    _file(officers["pek"])
    _file(officers["pek"], passenger_list(names=["ROSSI:MARIO"], legs=[("FCO", "PEK", "2003141830")]))
    arrivals = officers["pek"].get("/api/voyages").json()["items"]
    assert [v["number"] for v in arrivals] == ["940"]
    departures = officers["pek"].get("/api/departures", params={"day": "2020-03-15"}).json()
    (only,) = departures["items"]
    assert (only["flight"], only["destination"], only["traveller_count"]) == ("CA937", "LHR", 3)
    assert only["scheduled_departure"] == "2020-03-15T05:30:00Z"
    assert officers["pek"].get("/api/departures", params={"day": "2020-03-14"}).json()["items"] == []
    assert officers["pek"].get("/api/departures").json()["day"] == "2020-03-15"  # the latest day by default
    assert officers["gd"].get("/api/departures", params={"day": "2020-03-15"}).json()["items"] == []  # not Baiyun's
    assert officers["gd"].get("/api/departures", params={"port": "PEK"}).status_code == 403
    for edge in ("0001-01-01", "9999-12-31"):  # a day whose midnight at the port falls outside the calendar in UTC
        assert officers["pek"].get("/api/departures", params={"day": edge}).status_code == 422


def test_the_departures_page_offers_the_officers_ports_and_opens_a_departures_travellers(
    officers: dict[str, TestClient],
) -> None:
    voyage_id = _file(officers["pek"])[1]["voyage_id"]
    everything = officers["hq"].get("/console/departures", params={"day": "2020-03-15"}).text
    assert "CA937" in everything and "LHR" in everything and 'name="port"' in everything
    assert all(f'<option value="{port}"' in everything for port in ("PEK", "PVG", "CAN"))
    assert "CA937" not in officers["hq"].get("/console/departures", params={"day": "2020-03-15", "port": "PVG"}).text
    own = officers["pek"].get("/console/departures").text
    assert "Departures from PEK" in own and "CA937" in own and 'name="port"' not in own  # one port: no choice
    travellers = officers["pek"].get(f"/console/departures/{voyage_id}").text
    assert all(name in travellers for name in ("LI, MING", "BROWN, EMMA JANE", "CHEN, XIAOHONG"))


def test_refiling_the_same_departure_makes_no_new_version(database_url: str, officers: dict[str, TestClient]) -> None:
    first, again = _file(officers["pek"])[1], _file(officers["pek"])[1]
    assert (again["voyage_id"], again["version"], again["created"]) == (first["voyage_id"], 1, False)
    assert again["direction"] == "exit" and _count(database_url, VoyageVersion) == 1


def test_an_officer_of_another_port_cannot_file_or_see_it(database_url: str, officers: dict[str, TestClient]) -> None:
    assert _file(officers["gd"])[0] == 403
    assert _count(database_url, Voyage) == 0  # the refusal filed nothing
    voyage_id = _file(officers["pek"])[1]["voyage_id"]
    assert officers["gd"].get(f"/api/voyages/{voyage_id}").status_code == 404
    mine = officers["pek"].get(f"/api/voyages/{voyage_id}").json()
    assert (mine["direction"], mine["origin"], mine["flagged_count"]) == ("exit", "PEK", 0)
    assert officers["gd"].get(f"/console/departures/{voyage_id}").status_code == 404
    assert officers["pek"].get(f"/console/departures/{voyage_id}").status_code == 200


def test_departures_are_not_screened_rescreened_or_traced(officers: dict[str, TestClient]) -> None:
    voyage_id = _file(officers["pek"])[1]["voyage_id"]
    assert officers["pek"].post(f"/api/voyages/{voyage_id}/screen").status_code == 422
    trace = officers["pek"].post(f"/api/voyages/{voyage_id}/contacts", json={"seats": ["31C"], "refer": False})
    assert trace.status_code == 422 and "departure" in trace.text


def _scan(client: TestClient, **extra: str) -> dict:
    answer = client.post("/api/counter/scans", json={"kind": "mrz", "data": BROWN_MRZ, **extra})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_the_exit_lane_finds_the_traveller_on_the_departure_without_epidemic_flags(
    officers: dict[str, TestClient],
) -> None:
    _file(officers["pek"])
    seen = _scan(officers["pek"], direction="exit")
    assert (seen["direction"], seen["surname"], seen["flight"], seen["seat"]) == ("exit", "BROWN", "CA937", "31D")
    assert seen["flags"] == [] and seen["level"] is None and seen["declaration"] is None
    check = f"/api/counter/checks/{seen['check_id']}"
    hot = officers["pek"].post(f"{check}/temperature", json={"temperature": 38.6}).json()
    assert hot["flags"] == [] and hot["recommendation"] == "release"  # a temperature is no exit flag
    refer = officers["pek"].post(f"{check}/decision", json={"decision": "refer", "reason": "fever"})
    assert refer.status_code == 422 and "exit" in refer.text
    released = officers["pek"].post(f"{check}/decision", json={"decision": "release", "reason": "cleared"}).json()
    assert released["decision"] == "release" and released["referral_id"] is None


def test_a_boarding_pass_in_the_exit_lane_finds_the_traveller_by_the_flight_leaving(
    officers: dict[str, TestClient],
) -> None:
    _file(officers["pek"])
    text = boarding_pass(surname="LI", given="MING MR", booking="NX4K2P", origin="PEK", destination="LHR",
                         carrier="CA", flight="937", day=date(2020, 3, 15), seat="31C")  # fmt: skip
    answer = officers["pek"].post("/api/counter/scans", json={"kind": "bcbp", "data": text, "direction": "exit",
                                                               "reference": "2020-03-15"})  # fmt: skip
    assert answer.status_code == 201, answer.text
    seen = answer.json()
    assert (seen["surname"], seen["flight"], seen["direction"], seen["flags"]) == ("LI", "CA937", "exit", [])


def test_at_entry_the_same_passport_is_on_no_arriving_manifest(officers: dict[str, TestClient]) -> None:
    _file(officers["pek"])
    seen = _scan(officers["pek"])
    assert (
        seen["direction"] == "entry" and seen["traveller_id"] is None and seen["flags"][0]["kind"] == "not_on_manifest"
    )


def test_a_refusal_at_exit_stops_the_traveller_on_the_check(database_url: str, officers: dict[str, TestClient]) -> None:
    _file(officers["pek"])
    seen = _scan(officers["pek"], direction="exit")
    answer = officers["pek"].post(f"/api/counter/checks/{seen['check_id']}/decision",
                                  json={"decision": "refuse", "reason": "不准出境"})  # fmt: skip
    assert answer.status_code == 200 and answer.json()["decision"] == "refuse" and answer.json()["referral_id"] is None
    divert = _scan(officers["pek"], direction="exit")
    assert officers["pek"].post(f"/api/counter/checks/{divert['check_id']}/decision",
                                json={"decision": "divert", "reason": "x"}).status_code == 422  # fmt: skip
