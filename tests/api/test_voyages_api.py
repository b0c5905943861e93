"""The HTTP API: carriers file PAXLST, officers read voyages and explained results; bad input is a 4xx."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import SAMPLES
from tests.support.messages import passenger_list

ROME_AND_ULAANBAATAR = [
    passenger_list(names=["ROSSI:MARIO"], legs=[("FCO", "PEK", "2003201830")], number="CA940"),
    passenger_list(names=["BATAA:BOLD"], legs=[("ULN", "PEK", "2003201030")], carrier="OM", number="OM223"),
]


def post(client: TestClient, headers: dict[str, str], raw: str | bytes):
    return client.post("/api/voyages/paxlst", content=raw, headers={**headers, "Content-Type": "text/plain"})


def test_every_endpoint_but_health_needs_a_token(client: TestClient) -> None:
    assert client.get("/api/health").status_code == 200
    assert client.get("/api/voyages").status_code == 401
    assert post(client, {}, ROME_AND_ULAANBAATAR[0]).status_code == 401
    assert client.get("/api/voyages", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_posting_a_manifest_files_and_screens_it_with_reasons(client: TestClient, officer: dict[str, str]) -> None:
    rome, ulaanbaatar = (post(client, officer, raw).json() for raw in ROME_AND_ULAANBAATAR)
    rossi, bataa = rome["screening"]["results"][0], ulaanbaatar["screening"]["results"][0]
    assert (rossi["level"], bataa["level"]) == ("high", "low")
    reason = rossi["reasons"][0]
    assert reason["region"] == "ITA" and reason["source_date"] == "2020-03-19"
    assert "FCO" in reason["text"] and "Italy" in reason["text"]
    assert any("quarantine" in action for action in rossi["actions"])


def test_voyages_list_and_one_voyage_screening(client: TestClient, officer: dict[str, str]) -> None:
    filed = [post(client, officer, raw).json() for raw in ROME_AND_ULAANBAATAR]
    page = client.get("/api/voyages", headers=officer).json()
    assert page["total"] == 2
    assert {(v["carrier"], v["number"], v["flagged_count"]) for v in page["items"]} == {
        ("CA", "940", 1),
        ("OM", "223", 0),
    }
    night = client.get("/api/voyages", params={"night": "2020-03-20"}, headers=officer).json()
    assert night["total"] == 2
    stored = client.get(f"/api/voyages/{filed[0]['voyage_id']}/screening", headers=officer).json()
    assert stored["results"][0]["level"] == "high"


def test_screening_as_of_an_earlier_day_uses_only_what_was_known_then(
    client: TestClient, officer: dict[str, str]
) -> None:
    voyage_id = post(client, officer, ROME_AND_ULAANBAATAR[0]).json()["voyage_id"]
    early = client.post(f"/api/voyages/{voyage_id}/screen", params={"as_of": "2020-02-15"}, headers=officer)
    assert early.status_code == 200
    assert early.json()["results"][0]["level"] == "low"
    assert early.json()["results"][0]["reasons"][0]["source_date"] == "2020-02-14"


@pytest.mark.parametrize(
    ("body", "position"),
    [
        (b"", "body"),
        (b"hello, this is not EDIFACT", None),
        (b"UNA:+.? 'UNB+UNOA:4+X+Y+200320:1200+1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'", None),
        (b"\x00\xff\x10binary", "byte"),
    ],
)
def test_bad_input_is_a_clear_4xx_and_loses_nothing(
    client: TestClient, officer: dict[str, str], body: bytes, position: str | None
) -> None:
    accepted = post(client, officer, ROME_AND_ULAANBAATAR[0])
    response = post(client, officer, body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["position"] and detail["message"]
    if position:
        assert detail["position"].startswith(position)
    assert client.get(f"/api/voyages/{accepted.json()['voyage_id']}", headers=officer).status_code == 200


def test_the_real_carrier_sample_is_accepted(client: TestClient, officer: dict[str, str]) -> None:
    response = post(client, officer, (SAMPLES / "paxlst_gtas_multileg_d05b.edi").read_text())
    assert response.status_code == 201
    assert [t["surname"] for t in response.json()["screening"]["results"]] == ["BARRETT", "LANG"]


def test_unknown_voyage_is_404_and_openapi_is_served(client: TestClient, officer: dict[str, str]) -> None:
    assert client.get("/api/voyages/999999", headers=officer).status_code == 404
    schema = client.get("/openapi.json").json()
    assert "/api/voyages/paxlst" in schema["paths"]
    assert client.get("/docs").status_code == 200
