"""Close contacts over HTTP on both stores: a case is named by seat, the people within the rule's rows and the crew
become contacts kept on the voyage and referred into the loop with the case; the rest are general contacts."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kouan.db import unit_of_work
from kouan.formats.paxlst import parse_paxlst
from kouan.referrals.models import Referral
from kouan.screening.service import screen_voyage
from kouan.travel.registry.queries import get_voyage
from kouan.travel.registry.service import ingest_paxlst
from kouan.users.models import Role
from tests.api.conftest import token_for
from tests.support.messages import crew_list, passenger_list

NAMES = [f"PASSENGER{n}:ANNA" for n in range(10)]  # seated 10A, 11A ... 19A, one row each
LEGS = [("FCO", "PEK", "2003141830")]


@pytest.fixture
def voyage_id(database_url: str) -> int:
    """CA940 from Rome into PEK: ten passengers one row apart, and two cabin crew with no seat."""
    filed = 0
    for raw in (passenger_list(names=NAMES, legs=LEGS), crew_list(names=["CREW:ONE", "CREW:TWO"], legs=LEGS)):
        with unit_of_work(database_url) as session:
            filed = ingest_paxlst(session=session, message=parse_paxlst(raw), raw=raw, port="PEK").voyage_id
            voyage = get_voyage(session=session, voyage_id=filed)
            assert voyage is not None
            screen_voyage(session=session, voyage=voyage)
    return filed


def trace(client: TestClient, officer: dict[str, str], voyage_id: int, **body: object) -> dict:
    answer = client.post(f"/api/voyages/{voyage_id}/contacts", json=body, headers=officer)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_the_2020_rule_takes_three_rows_each_way_and_the_crew(client, officer, voyage_id) -> None:  # type: ignore[no-untyped-def]
    found = trace(client, officer, voyage_id, seats=["15A"])
    passengers = {c["seat"]: c["rows_from_index"] for c in found["close"] if c["role"] == "passenger"}
    assert passengers == {"12A": 3, "13A": 2, "14A": 1, "16A": 1, "17A": 2, "18A": 3}
    assert {c["surname"] for c in found["close"] if c["role"] == "crew"} == {"CREW"}
    assert found["rule"] == "cn-2020-aircraft" and found["general_count"] == 3  # 10A, 11A and 19A
    assert all(c["index_traveller_id"] == found["index_cases"][0]["traveller_id"] for c in found["close"])


def test_a_named_rule_of_two_rows_finds_fewer(client, officer, voyage_id) -> None:  # type: ignore[no-untyped-def]
    found = trace(client, officer, voyage_id, seats=["15A"], rule="rows-2", refer=False)
    seats = sorted(c["seat"] for c in found["close"] if c["role"] == "passenger")
    assert seats == ["13A", "14A", "16A", "17A"] and found["rule"] == "rows-2"


def test_contacts_and_the_case_are_referred_with_the_reason(client, officer, voyage_id, database_url) -> None:  # type: ignore[no-untyped-def]
    found = trace(client, officer, voyage_id, seats=["15A"])
    assert all(c["referral_id"] is not None for c in found["close"])
    with unit_of_work(database_url) as session:
        referrals = list(session.scalars(select(Referral).where(Referral.voyage_id == voyage_id)))
        by_seat = {r.subject["seat"]: r for r in referrals}
    assert by_seat["15A"].subject["reasons"][0].startswith("Index case in seat 15A")
    assert "Close contact" in by_seat["12A"].subject["reasons"][0] and by_seat["12A"].level == "high"
    assert "10A" not in by_seat  # a general contact is not referred


def test_tracing_twice_keeps_one_referral_per_person(client, officer, voyage_id, database_url) -> None:  # type: ignore[no-untyped-def]
    first = trace(client, officer, voyage_id, seats=["15A"])
    second = trace(client, officer, voyage_id, seats=["15A"])
    assert {c["referral_id"] for c in first["close"]} == {c["referral_id"] for c in second["close"]}
    listed = client.get(f"/api/voyages/{voyage_id}/contacts", headers=officer).json()
    assert [t["id"] for t in listed] == [second["id"], first["id"]]


def test_two_cases_widen_the_2020_rule_to_the_cabin(client, officer, voyage_id) -> None:  # type: ignore[no-untyped-def]
    found = trace(client, officer, voyage_id, seats=["11A", "18A"], refer=False)
    passengers = {c["seat"] for c in found["close"] if c["role"] == "passenger"}
    assert passengers == {f"{row}A" for row in range(10, 20)} - {"11A", "18A"}
    assert found["general_count"] == 0


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"seats": ["40K"]}, "40K"),
        ({"seats": ["ZZ9"]}, "ZZ9"),
        ({"seats": ["15A"], "rule": "no-such-rule"}, "cn-2020-aircraft"),
        ({"traveller_ids": [999999]}, "999999"),
        ({}, "index case"),
    ],
)
def test_a_request_that_cannot_be_met_says_why(client, officer, voyage_id, body, named) -> None:  # type: ignore[no-untyped-def]
    answer = client.post(f"/api/voyages/{voyage_id}/contacts", json=body, headers=officer)
    assert answer.status_code == 422 and named in answer.text


def test_only_officers_trace_and_an_unknown_voyage_is_404(client, officer, voyage_id, database_url) -> None:  # type: ignore[no-untyped-def]
    analyst = {"Authorization": f"Bearer {token_for(database_url, username='analyst1', role=Role.analyst)}"}
    refused = client.post(f"/api/voyages/{voyage_id}/contacts", json={"seats": ["15A"]}, headers=analyst)
    assert refused.status_code == 403
    assert client.get(f"/api/voyages/{voyage_id}/contacts", headers=analyst).status_code == 200
    assert client.post("/api/voyages/424242/contacts", json={"seats": ["15A"]}, headers=officer).status_code == 404


def test_the_aircraft_type_must_have_a_known_layout(client, officer, voyage_id) -> None:  # type: ignore[no-untyped-def]
    known = client.put(f"/api/voyages/{voyage_id}/aircraft", json={"aircraft": "A333"}, headers=officer)
    assert known.status_code == 200
    unknown = client.put(f"/api/voyages/{voyage_id}/aircraft", json={"aircraft": "ZZZ9"}, headers=officer)
    assert unknown.status_code == 422 and "ZZZ9" in unknown.text
