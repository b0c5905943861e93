"""The scope matrix: every principal (officers of two units, an analyst, an admin, every demo agency) against every
referral endpoint. No agency reads another's referrals or a field outside its kind's scope; staff see their units."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from kouan.db import unit_of_work
from kouan.demo.organisation import AGENCIES
from kouan.sharing.scope import visible_fields
from kouan.users.models import Role
from kouan.users.service import create_user
from tests.support.loop import LoopWorld, build_loop

OWNED = {  # agency → the surnames it was routed (see tests/support/loop.py)
    "CUSTOMS-PEK": {"ROSSI", "BIANCHI", "VERDI", "NERI"},
    "CUSTOMS-PVG": {"CONTI"},
    "BJ-CHAOYANG": {"ROSSI"},
    "SH-HEALTH": {"BIANCHI"},
    "BJ-HEALTH": {"CONTI"},
}
KINDS = {code: kind for code, _, kind, _, _ in AGENCIES}
STAFF = {  # name → (role, unit, surnames visible)
    "officer-pek": (Role.officer, "BJ-PEK", {"ROSSI", "BIANCHI", "VERDI", "NERI"}),
    "officer-pvg": (Role.officer, "SH-PVG", {"CONTI"}),
    "analyst": (Role.analyst, None, {"ROSSI", "BIANCHI", "VERDI", "NERI", "CONTI"}),
    "admin": (Role.admin, None, {"ROSSI", "BIANCHI", "VERDI", "NERI", "CONTI"}),
}
EXTRA = {"allowed_events", "steps"}  # loop metadata every agency gets for its own referrals


@pytest.fixture
def world(database_url: str) -> tuple[LoopWorld, dict[str, int], dict[str, dict[str, str]]]:
    with unit_of_work(database_url) as session:
        world = build_loop(session)
        ids = {name: r.id for name, r in world.referrals.items()}
        headers = {code: {"Authorization": f"Bearer {token}"} for code, token in world.org.tokens.items()}
        for name, (role, unit, _) in STAFF.items():
            user, token = create_user(session=session, username=name, role=role)
            user.unit_id = world.org.units[unit].id if unit else None
            headers[name] = {"Authorization": f"Bearer {token}"}
    return world, ids, headers


def _fields(view: dict[str, Any]) -> set[str]:
    return set(view) | set(view.get("subject", {}))


def _within_scope(view: dict[str, Any], *, code: str) -> bool:
    return _fields(view) <= visible_fields(kind=KINDS[code]) | EXTRA


CODES = [code for code, *_ in AGENCIES]


def test_an_agency_lists_only_its_referrals_and_only_its_fields(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    _, _, headers = world
    for code in CODES:
        items = client.get("/api/agency/referrals", headers=headers[code]).json()["items"]
        assert {i["subject"]["surname"] for i in items} == OWNED.get(code, set()), code
        assert all(_within_scope(i, code=code) for i in items), code


def test_an_agency_reads_and_moves_no_referral_of_another(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    _, ids, headers = world
    for code in CODES:
        for surname, referral_id in ids.items():
            one = client.get(f"/api/agency/referrals/{referral_id}", headers=headers[code])
            path = f"/api/agency/referrals/{referral_id}/events"
            moved = client.post(path, headers=headers[code], json={"event": "report_test"})
            mine = surname in OWNED.get(code, set())
            assert one.status_code == (200 if mine else 404), (code, surname)
            assert moved.status_code == (409 if mine else 404), (code, surname)  # only owners learn it is too early
            assert not mine or _within_scope(one.json(), code=code), (code, surname)


def test_an_agencys_feed_holds_only_its_events_within_its_scope(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    _, _, headers = world
    for code in CODES:
        events = client.get("/api/agency/feed?limit=1000", headers=headers[code]).json()["events"]
        referrals = [e["data"]["referral"] for e in events]
        assert {r["subject"]["surname"] for r in referrals} == OWNED.get(code, set()), code
        assert all(_within_scope(r, code=code) for r in referrals), code


def test_agency_tokens_open_no_staff_endpoint(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    _, ids, headers = world
    paths = ["/api/referrals", f"/api/referrals/{ids['ROSSI']}", "/api/outbox", "/api/agencies", "/api/voyages",
             "/api/requests"]  # fmt: skip
    for code in CODES:
        for path in paths:
            assert client.get(path, headers=headers[code]).status_code == 401, (code, path)


def test_staff_see_exactly_their_units_referrals(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    _, ids, headers = world
    for name, (_, _, visible) in STAFF.items():
        listed = client.get("/api/referrals", headers=headers[name]).json()["items"]
        assert {i["subject"]["surname"] for i in listed} == visible, name
        for surname, referral_id in ids.items():
            status = client.get(f"/api/referrals/{referral_id}", headers=headers[name]).status_code
            assert status == (200 if surname in visible else 404), (name, surname)
        assert client.get("/api/agency/referrals", headers=headers[name]).status_code == 401, name


def test_customs_sees_health_seat_and_history_but_no_contact(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    _, ids, headers = world
    view = client.get(f"/api/agency/referrals/{ids['ROSSI']}", headers=headers["CUSTOMS-PEK"]).json()
    assert view["subject"]["seat"] and view["subject"]["stays"] and view["subject"]["reasons"]
    assert not {"phone", "address", "birth_date"} & set(view["subject"]) and "destination_address" not in view


def test_a_health_authority_sees_identity_contact_destination_and_reason_only(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    _, ids, headers = world
    view = client.get(f"/api/agency/referrals/{ids['ROSSI']}", headers=headers["BJ-CHAOYANG"]).json()
    assert view["subject"]["address"] == "北京市朝阳区建国路88号" and view["subject"]["reasons"]
    assert view["subject"]["birth_date"] and view["destination_division"] == "110105"
    assert not {"seat", "stays", "findings"} & set(view["subject"])
