"""Vessels over HTTP on both stores: a call's Maritime Declaration of Health and crew list are screened before
arrival, the port's customs health quarantine and maritime authority are warned (each within its scope), a new
declaration replaces the call's, and bad input is refused naming the place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kouan.db import unit_of_work
from kouan.sharing.agencies.models import AgencyCreate, AgencyKind
from kouan.sharing.agencies.service import create_agency
from kouan.users.models import Role
from tests.api.conftest import token_for

DATA = Path(__file__).parents[1] / "formats" / "data"
FEVER = json.loads((DATA / "mdh_ocean_crest_fever.json").read_text())  # CNWHI, Q2 and Q4 yes, crew change at Busan
QUIET = json.loads((DATA / "mdh_jin_hai_fortune_all_no.json").read_text())  # CNMAA, all no, crew change at Singapore
QUIET_CREW = (DATA / "fal5_maanshan_2020.csv").read_text()


@pytest.fixture
def agencies(database_url: str) -> dict[str, dict[str, str]]:
    """Wuhu's customs health quarantine and maritime authority, each with its API token."""
    headers = {}
    with unit_of_work(database_url) as session:
        for code, kind in (("CUSTOMS-WHI", AgencyKind.customs_quarantine), ("MSA-WHI", AgencyKind.maritime_authority)):
            item = AgencyCreate(code=code, name=code, kind=kind, port="CNWHI")
            headers[code] = {"Authorization": f"Bearer {create_agency(session=session, item=item)[1]}"}
    return headers


def file(client: TestClient, officer: dict[str, str], **body: object) -> dict:
    answer = client.post("/api/vessels/calls", json=body, headers=officer)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_an_ill_seafarer_raises_the_vessel_to_the_top_level(client, officer) -> None:  # type: ignore[no-untyped-def]
    call = file(client, officer, declaration=FEVER, eta="2020-03-22T02:00:00+08:00")
    assert call["level"] == "high" and call["port"] == "CNWHI" and call["arrival_date"] == "2020-03-21"
    assert any(r["kind"] == "health_answer" for r in call["reasons"])
    assert any("quarantine" in action.lower() for action in call["actions"])
    moroz = next(c for c in call["crew"] if c["surname"] == "MOROZ")  # joined at Busan 19 days before: aboard since
    assert moroz["level"] == "high" and any("fever" in r["text"] for r in moroz["reasons"])


def test_the_crew_list_names_each_seafarer_and_where_they_joined(client, officer) -> None:  # type: ignore[no-untyped-def]
    call = file(client, officer, declaration=QUIET, crew_list=QUIET_CREW, eta="2020-03-09T06:00:00Z")
    assert call["name"] == "JIN HAI FORTUNE" and call["imo"] == "9321483" and len(call["crew"]) == 10
    joined = {c["surname"]: c["joined_at"] for c in call["crew"]}
    assert joined["SANTOS"] == "SGSIN" and joined["GARCIA"] == "SGSIN" and joined["WANG"] is None
    assert all(c["level"] in ("low", "unknown", "medium", "high") and c["reasons"] is not None for c in call["crew"])


def test_the_port_is_warned_before_arrival_each_agency_within_its_scope(client, officer, agencies) -> None:  # type: ignore[no-untyped-def]
    call = file(client, officer, declaration=FEVER)
    assert call["warned_at"] is not None
    customs = client.get("/api/agency/feed", headers=agencies["CUSTOMS-WHI"]).json()["events"]
    maritime = client.get("/api/agency/feed", headers=agencies["MSA-WHI"]).json()["events"]
    assert [e["type"] for e in customs] == [e["type"] for e in maritime] == ["vessel.screened"]
    seen_by_customs, seen_by_maritime = customs[0]["data"]["vessel"], maritime[0]["data"]["vessel"]
    assert seen_by_customs["level"] == seen_by_maritime["level"] == "high"
    assert {c["surname"] for c in seen_by_customs["crew"]} >= {"MOROZ"}
    assert "crew" not in seen_by_maritime and "MOROZ" not in json.dumps(seen_by_maritime)


def test_a_call_at_a_port_without_partner_agencies_is_kept_unwarned(client, officer) -> None:  # type: ignore[no-untyped-def]
    call = file(client, officer, declaration=QUIET, crew_list=QUIET_CREW)
    assert call["port"] == "CNMAA" and call["warned_at"] is None


def test_a_new_declaration_replaces_the_calls(client, officer) -> None:  # type: ignore[no-untyped-def]
    first = file(client, officer, declaration=QUIET, crew_list=QUIET_CREW)
    amended = json.loads(json.dumps(QUIET))
    amended["health_questions"][3]["answer"] = "yes"  # question 4: someone is ill now
    second = file(client, officer, declaration=amended, crew_list=QUIET_CREW)
    assert second["id"] == first["id"] and second["level"] == "high"
    listed = client.get("/api/vessels/calls?port=CNMAA", headers=officer).json()
    assert [c["id"] for c in listed] == [first["id"]]


def test_a_crew_list_of_another_ship_is_flagged(client, officer) -> None:  # type: ignore[no-untyped-def]
    call = file(client, officer, declaration=FEVER, crew_list=QUIET_CREW)
    assert any("IMO" in d["text"] for d in call["discrepancies"])


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"declaration": {"header": "nonsense"}}, "header"),
        ({"declaration": {**QUIET, "header": {**QUIET["header"], "registration_or_imo_no": "9321484"}}}, "IMO"),
        ({"declaration": QUIET, "crew_list": "6 No.,7 Family name\n"}, "crew"),
        ({"declaration": QUIET, "crew_list": (DATA / "fal6_weihai_ferry.csv").read_text()}, "passenger list"),
        ({"declaration": {**QUIET, "header": {**QUIET["header"], "submitted_at_port": None}}}, "port"),
    ],
)
def test_bad_input_is_refused_naming_the_place(client, officer, body, named) -> None:  # type: ignore[no-untyped-def]
    answer = client.post("/api/vessels/calls", json=body, headers=officer)
    assert answer.status_code == 422 and named.lower() in answer.text.lower()
    assert client.get("/api/vessels/calls", headers=officer).json() == []  # nothing half-filed


def test_analysts_read_calls_but_only_officers_file_them(client, officer, database_url) -> None:  # type: ignore[no-untyped-def]
    analyst = {"Authorization": f"Bearer {token_for(database_url, username='analyst1', role=Role.analyst)}"}
    assert client.post("/api/vessels/calls", json={"declaration": QUIET}, headers=analyst).status_code == 403
    call = file(client, officer, declaration=QUIET)
    assert client.get(f"/api/vessels/calls/{call['id']}", headers=analyst).json()["imo"] == "9321483"
    assert client.get("/api/vessels/calls/987654", headers=analyst).status_code == 404
