"""The loop over HTTP: officers of a unit, agencies with their own tokens, illegal moves as 409 (both stores)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kouan.audit.models import AuditEvent
from kouan.db import unit_of_work, utcnow
from kouan.referrals.models import Referral
from kouan.users.models import Role, User
from kouan.users.service import create_user
from tests.support.loop import LoopWorld, build_loop


@pytest.fixture
def world(database_url: str) -> LoopWorld:
    with unit_of_work(database_url) as session:
        world = build_loop(session)
        ids = {name: r.id for name, r in world.referrals.items()}
    world.referrals = ids  # type: ignore[assignment]
    return world


def user_headers(url: str, *, name: str, role: Role = Role.officer, unit: str | None, world: LoopWorld) -> dict:
    with unit_of_work(url) as session:
        user, token = create_user(session=session, username=name, role=role)
        user.unit_id = world.org.units[unit].id if unit else None
    return {"Authorization": f"Bearer {token}"}


def agency_headers(world: LoopWorld, code: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.org.tokens[code]}"}


def test_an_officer_sees_the_referrals_of_the_station_and_its_teams_only(
    client: TestClient, database_url: str, world: LoopWorld
) -> None:
    team = user_headers(database_url, name="team1", unit="BJ-PEK-1", world=world)
    station = user_headers(database_url, name="pek", unit="BJ-PEK", world=world)
    general = user_headers(database_url, name="bj", unit="BJ", world=world)
    pudong = user_headers(database_url, name="pvg", unit="SH-PVG", world=world)
    surnames = lambda h: {i["subject"]["surname"] for i in client.get("/api/referrals", headers=h).json()["items"]}  # noqa: E731
    assert surnames(station) == surnames(general) == {"ROSSI", "BIANCHI", "VERDI", "NERI"}
    assert surnames(pudong) == {"CONTI"}
    assert surnames(team) == set()  # a duty team sees its own referrals, not its station's
    assert client.get(f"/api/referrals/{world.referrals['ROSSI']}", headers=pudong).status_code == 404


def test_overdue_referrals_come_first_and_are_counted(client: TestClient, database_url: str, world: LoopWorld) -> None:
    with unit_of_work(database_url) as session:
        late = session.get(Referral, world.referrals["NERI"])
        assert late is not None
        late.due_at = utcnow() - timedelta(minutes=5)
    officer = user_headers(database_url, name="pek", unit="BJ-PEK", world=world)
    page = client.get("/api/referrals", headers=officer).json()
    assert page["overdue"] == 1 and page["items"][0]["subject"]["surname"] == "NERI" and page["items"][0]["overdue"]
    only = client.get("/api/referrals?overdue=true", headers=officer).json()
    assert [i["subject"]["surname"] for i in only["items"]] == ["NERI"]


def test_the_unresolved_queue_and_stating_a_destination(
    client: TestClient, database_url: str, world: LoopWorld
) -> None:
    officer = user_headers(database_url, name="pek", unit="BJ-PEK", world=world)
    queue = client.get("/api/referrals?queue=unresolved", headers=officer).json()
    assert {i["subject"]["surname"] for i in queue["items"]} == {"VERDI", "NERI"}
    done = client.post(
        f"/api/referrals/{world.referrals['NERI']}/destination",
        headers=officer,
        json={"address": "广州市天河区体育西路1号"},
    )
    assert done.status_code == 200
    assert done.json()["destination_agency_id"] == world.org.agencies["GD-HEALTH"].id
    assert done.json()["destination_division"] == "440106"
    bad = client.post(f"/api/referrals/{world.referrals['NERI']}/destination", headers=officer, json={"division": "1"})
    assert bad.status_code == 422


def test_a_division_no_place_has_is_422_on_its_field_and_a_closed_loops_destination_409(
    client: TestClient, database_url: str, world: LoopWorld
) -> None:
    officer = user_headers(database_url, name="pek", unit="BJ-PEK", world=world)
    rossi, neri = world.referrals["ROSSI"], world.referrals["NERI"]
    acknowledge = {"event": "acknowledge"}
    assert client.post(f"/api/agency/referrals/{rossi}/events", headers=agency_headers(world, "CUSTOMS-PEK"),
                       json=acknowledge).status_code == 200  # fmt: skip
    unknown = client.post(f"/api/referrals/{rossi}/destination", headers=officer, json={"division": "99"})
    assert unknown.status_code == 422 and unknown.json()["detail"]["field"] == "division"
    assert "'99'" in unknown.json()["detail"]["message"]
    kept = client.get(f"/api/referrals/{rossi}", headers=officer).json()
    assert (kept["destination_division"], kept["destination_agency_id"]) == (
        "110105", world.org.agencies["BJ-CHAOYANG"].id)  # fmt: skip
    assert client.post(f"/api/referrals/{neri}/events", headers=officer, json={"event": "refuse"}).status_code == 200
    closed = client.post(f"/api/referrals/{neri}/destination", headers=officer, json={"division": "110113"})
    assert closed.status_code == 409 and "refused" in closed.json()["detail"]
    assert client.get(f"/api/referrals/{neri}", headers=officer).json()["destination_agency_id"] is None


def test_agencies_move_the_loop_and_illegal_moves_are_409(
    client: TestClient, world: LoopWorld, database_url: str
) -> None:
    rossi = world.referrals["ROSSI"]
    customs, chaoyang = agency_headers(world, "CUSTOMS-PEK"), agency_headers(world, "BJ-CHAOYANG")
    url = f"/api/agency/referrals/{rossi}/events"
    assert client.post(url, headers=customs, json={"event": "acknowledge"}).json()["state"] == "acknowledged"
    assert client.post(url, headers=customs, json={"event": "accept"}).status_code == 409
    assert client.post(url, headers=chaoyang, json={"event": "accept"}).status_code == 403
    assert client.post(url, headers=customs, json={"event": "fly"}).status_code == 409
    assert client.post(url, headers=customs, json={}).status_code == 422
    officer = user_headers(database_url, name="pek", unit="BJ-PEK", world=world)
    moved = client.post(f"/api/referrals/{rossi}/events", headers=officer, json={"event": "hand_over", "note": "T3"})
    assert moved.status_code == 200 and moved.json()["state"] == "handed_over"
    assert [s["event"] for s in moved.json()["steps"]] == ["create", "acknowledge", "hand_over"]


def test_a_retried_report_with_the_same_key_moves_once(client: TestClient, world: LoopWorld) -> None:
    url, customs = f"/api/agency/referrals/{world.referrals['ROSSI']}/events", agency_headers(world, "CUSTOMS-PEK")
    for _ in range(2):
        answer = client.post(url, headers=customs, json={"event": "acknowledge", "idempotency_key": "k1"})
        assert answer.status_code == 200
    assert [s["event"] for s in answer.json()["steps"]] == ["create", "acknowledge"]


def test_the_pull_feed_pages_with_a_cursor_and_marks_referrals_sent(client: TestClient, world: LoopWorld) -> None:
    customs = agency_headers(world, "CUSTOMS-PEK")
    first = client.get("/api/agency/feed?limit=2", headers=customs).json()
    rest = client.get(f"/api/agency/feed?after={first['next_cursor']}", headers=customs).json()
    ids = [e["event_id"] for e in first["events"] + rest["events"]]
    assert len(ids) == len(set(ids)) == 4 and len(first["events"]) == 2
    assert client.get(f"/api/agency/feed?after={rest['next_cursor']}", headers=customs).json()["events"] == []
    states = {i["state"] for i in client.get("/api/agency/referrals", headers=customs).json()["items"]}
    assert states == {"sent"}


def test_every_agency_read_is_audited(client: TestClient, world: LoopWorld, database_url: str) -> None:
    client.get(f"/api/agency/referrals/{world.referrals['ROSSI']}", headers=agency_headers(world, "BJ-CHAOYANG"))
    with unit_of_work(database_url) as session:
        reads = session.scalars(select(AuditEvent).where(AuditEvent.action.like("agency.read.%"))).all()
    assert [(e.actor, e.after) for e in reads] == [("agency:BJ-CHAOYANG", {"referrals": [world.referrals["ROSSI"]]})]


def test_a_bad_or_missing_agency_token_is_401(client: TestClient, world: LoopWorld, database_url: str) -> None:
    assert client.get("/api/agency/referrals").status_code == 401
    assert client.get("/api/agency/referrals", headers={"Authorization": "Bearer agt_nope"}).status_code == 401
    officer = user_headers(database_url, name="pek", unit="BJ-PEK", world=world)
    assert client.get("/api/agency/referrals", headers=officer).status_code == 401  # a user token is not an agency's


def test_making_referrals_for_a_voyage_is_idempotent(client: TestClient, world: LoopWorld, database_url: str) -> None:
    with unit_of_work(database_url) as session:
        voyage_id = session.get(Referral, world.referrals["ROSSI"]).voyage_id  # type: ignore[union-attr]
        assert session.scalar(select(User).where(User.username == "x")) is None
    officer = user_headers(database_url, name="pek", unit="BJ-PEK", world=world)
    assert client.post(f"/api/voyages/{voyage_id}/referrals", headers=officer).json() == []
    assert client.post("/api/voyages/999999/referrals", headers=officer).status_code == 404
