"""The journey API: PNRGOV pushes, our crossings and declarations in bulk, and a traveller's whole journey."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kouan.users.models import Role
from tests.api.conftest import token_for
from tests.support.messages import document_number, passenger_list, pnr_push

ROSSI_PASSPORT = document_number("ROSSI:MARIO")

MANIFEST = passenger_list(names=["ROSSI:MARIO"], legs=[("DXB", "PEK", "2003200340")], carrier="EK", number="EK308")
BOOKING = pnr_push(
    booking_ref="ABC123",
    people=["ROSSI:MARIO"],
    legs=[("EK", "92", "MXP", "DXB", "2003191030"), ("EK", "308", "DXB", "PEK", "2003200340")],
    documents=[ROSSI_PASSPORT],
)
EXIT = {
    "direction": "exit",
    "port": "PEK",
    "crossed_at": "2020-02-20T09:00:00+08:00",
    "surname": "ROSSI",
    "given_names": "MARIO",
    "birth_date": "1970-01-01",
    "nationality": "ITA",
    "document_number": ROSSI_PASSPORT,
    "country": "ITA",
}
DECLARATION = {
    "surname": "ROSSI",
    "given_names": "MARIO",
    "document_number": ROSSI_PASSPORT,
    "birth_date": "1970-01-01",
    "flight": "EK308",
    "flight_date": "2020-03-20",
    "places": [{"country": "AE", "date_from": "2020-03-10", "date_to": "2020-03-19"}],
}


def text(client: TestClient, path: str, headers: dict[str, str], raw: str):
    return client.post(path, content=raw, headers={**headers, "Content-Type": "text/plain"})


def test_a_push_joins_the_manifest_and_the_journey_shows_each_source(
    client: TestClient, officer: dict[str, str], database_url: str
) -> None:
    analyst = {"Authorization": f"Bearer {token_for(database_url, username='analyst1', role=Role.analyst)}"}
    assert client.post("/api/crossings", json=[EXIT], headers=analyst).json() == {"added": 1, "received": 1}
    voyage_id = text(client, "/api/voyages/paxlst", officer, MANIFEST).json()["voyage_id"]
    pushed = text(client, "/api/pnrgov", officer, BOOKING)
    assert pushed.status_code == 201 and pushed.json()["voyage_id"] == voyage_id
    filed = client.post("/api/declarations", json=[DECLARATION], headers=officer).json()
    assert filed["voyages_rescreened"] == [voyage_id]
    result = client.get(f"/api/voyages/{voyage_id}/screening", headers=officer).json()["results"][0]
    assert result["level"] == "high" and {f["region"] for f in result["findings"]} == {"ITA"}
    journey = client.get(f"/api/travellers/{result['traveller_id']}/journey", headers=officer).json()
    assert {s["source"] for s in journey["stays"]} >= {
        "manifest-embarkation",
        "pnr-origin",
        "exit-record",
        "declaration",
    }
    assert {link["kind"] for link in journey["links"]} == {"pnr", "crossing", "declaration"}
    assert all(0 < link["score"] <= 1 and link["evidence"] for link in journey["links"])


def test_crossings_need_an_analyst_and_bad_rows_name_the_field(client: TestClient, officer: dict[str, str]) -> None:
    assert client.post("/api/crossings", json=[EXIT], headers=officer).status_code == 403
    bad = client.post("/api/declarations", json=[{**DECLARATION, "flight_date": "20/03/2020"}], headers=officer)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "flight_date"


def test_a_bad_push_is_a_4xx_naming_the_position(client: TestClient, officer: dict[str, str]) -> None:
    response = text(client, "/api/pnrgov", officer, "UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'")
    assert response.status_code == 422 and response.json()["detail"]["position"]
    assert client.get("/api/travellers/424242/journey", headers=officer).status_code == 404


def test_a_declared_city_written_out_is_kept_as_evidence(client, officer) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL holds a stay's place to 5 characters: "Dubai Marina" must not break the filing."""
    voyage_id = text(client, "/api/voyages/paxlst", officer, MANIFEST).json()["voyage_id"]
    place = {"country": "AE", "place": "Dubai Marina", "date_from": "2020-03-10", "date_to": "2020-03-19"}
    filed = client.post("/api/declarations", json=[{**DECLARATION, "places": [place]}], headers=officer)
    assert filed.status_code == 201 and filed.json()["voyages_rescreened"] == [voyage_id]
    result = client.get(f"/api/voyages/{voyage_id}/screening", headers=officer).json()["results"][0]
    journey = client.get(f"/api/travellers/{result['traveller_id']}/journey", headers=officer).json()
    declared = [s for s in journey["stays"] if s["source"] == "declaration"]
    assert [(s["place"], s["evidence"]) for s in declared] == [(None, "health declaration: Dubai Marina")]
