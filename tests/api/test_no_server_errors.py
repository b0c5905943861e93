"""Finding 9 of [L] at the API: inputs that used to answer 500 now answer a 4xx that says what is wrong."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kouan.db import unit_of_work
from kouan.users.models import Role
from tests.api.conftest import token_for
from tests.support.loop import build_loop

HUGE = "9" * 30  # beyond any 64-bit integer: an OverflowError in the database driver before


@pytest.mark.parametrize(
    "path",
    [
        f"/api/voyages?offset={HUGE}",
        f"/api/referrals?offset={HUGE}",
    ],
)
def test_a_huge_offset_is_422_for_staff(client: TestClient, officer: dict[str, str], path: str) -> None:
    answer = client.get(path, headers=officer)
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"][-1] == "offset"


@pytest.mark.parametrize("path", [f"/api/agency/referrals?offset={HUGE}", f"/api/agency/feed?after={HUGE}"])
def test_a_huge_offset_or_cursor_is_422_for_an_agency(client: TestClient, database_url: str, path: str) -> None:
    with unit_of_work(database_url) as session:
        token = build_loop(session).org.tokens["CUSTOMS-PEK"]
    answer = client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"][-1] in ("offset", "after")


def test_a_second_zone_with_the_same_code_is_409_naming_it(client: TestClient, database_url: str) -> None:
    analyst = {"Authorization": f"Bearer {token_for(database_url, username='analyst9', role=Role.analyst)}"}
    zone = {"airport": "PEK", "code": "T3-D", "name": "T3-D"}
    first = client.post("/api/measures/zones", json=zone, headers=analyst)
    again = client.post("/api/measures/zones", json=zone, headers=analyst)
    assert first.status_code == 201
    assert again.status_code == 409 and again.json()["detail"] == "PEK already has a zone T3-D"
    assert len(client.get("/api/measures/zones", headers=analyst).json()) == 1


def test_a_legs_local_times_match_their_declared_schema(client: TestClient) -> None:
    leg = client.app.openapi()["components"]["schemas"]["LegRead"]["properties"]["departure_local"]  # type: ignore[attr-defined]
    declared = next(option for option in leg["anyOf"] if option.get("type") == "string")
    assert "format" not in declared and "without an offset" in declared["description"]


@pytest.mark.parametrize("path", ["/api/vessels/calls", "/api/counter/scans", "/api/declarations/cards"])
def test_deeply_nested_json_is_a_4xx(client: TestClient, officer: dict[str, str], path: str) -> None:
    body = b'{"a": ' * 50_000 + b"1" + b"}" * 50_000  # within the body limit, deeper than Python's recursion limit
    answer = client.post(path, content=body, headers={**officer, "Content-Type": "application/json"})
    assert 400 <= answer.status_code < 500
