"""The scope matrix: every principal (officers and analysts of stations, a duty team, general stations, national
analyst and admin; every demo agency) against every endpoint of the API and the console. No agency reads another's
referrals or a field outside its kind's scope; staff see the ports of their units and nothing else: a row of another
port is 404, a list leaves it out, filing for another port is 403, and only officers and admins act."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from kouan.api.deps import COOKIE
from kouan.db import unit_of_work
from kouan.demo.organisation import AGENCIES
from kouan.sharing.agencies.scope import visible_fields
from kouan.sharing.outbox.models import OutboxEvent
from kouan.sharing.outbox.service import event_port
from kouan.users.models import Role, User
from kouan.users.service import create_user
from kouan.users.units import visible_ports
from tests.support.loop import LoopWorld, build_loop
from tests.support.messages import passenger_list, pnr_push
from tests.support.scope_world import (
    AIRPORTS,
    PRINCIPALS,
    QUIET_MDH,
    SEAPORTS,
    SEES,
    ScopeWorld,
    build_scope_world,
)

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


# --- staff: every principal × every staff endpoint, on a world with rows at four ports -------------------------------

Body = Callable[[ScopeWorld, str, str], dict[str, Any]]  # (world, principal, port) → the request's keyword arguments


@dataclass(frozen=True)
class Case:
    """One endpoint: who may call it (403 otherwise), its answer within scope, and at which rows' ports it is tried.
    ``ports`` empty: national data, not scoped by port. ``out``: 404 for a row (not revealed), 403 for filing.
    ``scope_first``: the console looks the row up before it says the role may not act (the page shows why)."""

    method: str
    path: str  # {voyage_id} {traveller_id} {referral_id} {call_id} {check_id} {event_id} {hit_id}: rows at the port
    roles: frozenset[str]
    ok: int
    ports: tuple[str, ...] = ()
    out: int = 404
    body: Body | None = None
    scope_first: bool = False

    def expected(self, *, name: str, port: str | None) -> int:
        role_ok, seen = PRINCIPALS[name][0].value in self.roles, port is None or _sees(name, port)
        if self.scope_first and not seen:
            return self.out
        return self.ok if role_ok and seen else (403 if not role_ok else self.out)


def _sees(name: str, port: str) -> bool:
    ports = SEES[name]
    return ports is None or port in ports


def _json(value: Any) -> Body:
    return lambda world, name, port: {"json": value}


def _form(**fields: str) -> Body:
    return lambda world, name, port: {"data": fields}


def _manifest(world: ScopeWorld, name: str, port: str) -> dict[str, Any]:
    raw = passenger_list(names=["LOMBARDI:X"], legs=[("FCO", port, "2003141830")], number=f"MU{AIRPORTS.index(port)}1")
    return {"content": raw, "headers": {"Content-Type": "text/plain"}}


def _booking(world: ScopeWorld, name: str, port: str) -> dict[str, Any]:
    number = {"PEK": "940", "PVG": "968"}[port]  # the flight the loop filed: the push joins a voyage of that port
    raw = pnr_push(booking_ref=f"SCOPE{number}", people=["ROSSI:X"], legs=[("CA", number, "FCO", port, "2003141830")])
    return {"content": raw, "headers": {"Content-Type": "text/plain"}}


def _crossing(world: ScopeWorld, name: str, port: str) -> dict[str, Any]:
    record = {"direction": "exit", "port": port, "crossed_at": "2020-02-01T10:00:00+00:00", "surname": name.upper()}
    return {"json": [record]}


def _violation(world: ScopeWorld, name: str, port: str) -> dict[str, Any]:
    return {"json": {"type": "illegal_crossing", "port": port, "occurred_at": "2020-03-16T02:00:00+08:00",
                     "people": [{"surname": "DOE"}], "disposition": "refusal", "summary": "No document."}}  # fmt: skip


def _violation_form(world: ScopeWorld, name: str, port: str) -> dict[str, Any]:
    return {"data": {"type": "illegal_crossing", "port": port, "occurred_at": "2020-03-16T02:00", "people": "DOE",
                     "disposition": "refusal", "summary": "No document."}}  # fmt: skip


def _port_chosen(world: ScopeWorld, name: str, port: str) -> dict[str, Any]:
    return {"params": {"port": port, "on": "2020-04-10"}}


def _watchlist(world: ScopeWorld, name: str, port: str) -> dict[str, Any]:
    return {"content": "name,birth_date\nZHANG WEI,1980\n", "params": {"kind": "exit_ban"},
            "headers": {"Content-Type": "text/plain"}}  # fmt: skip


def _scan(world: ScopeWorld, name: str, port: str) -> dict[str, Any]:
    return {"json": {"kind": "mrz", "data": "P<ITAROSSI", "port": port}}  # the counter's port, chosen


def _scan_form(world: ScopeWorld, name: str, port: str) -> dict[str, Any]:
    return {"data": {"kind": "mrz", "data": "P<ITAROSSI", "port": port}}


def _call(world: ScopeWorld, name: str, port: str) -> dict[str, Any]:
    return {"json": {"declaration": QUIET_MDH, "port": port}}


def _call_upload(world: ScopeWorld, name: str, port: str) -> dict[str, Any]:
    return {"files": {"mdh": ("mdh.json", json.dumps(QUIET_MDH), "application/json")}, "data": {"port": port}}


READING, ACTING = frozenset(r.value for r in Role), frozenset({Role.officer.value, Role.admin.value})
ANALYSING = frozenset({Role.analyst.value, Role.admin.value})
ADMIN = frozenset({Role.admin.value})
V, T, R = "/api/voyages/{voyage_id}", "/api/travellers/{traveller_id}", "/api/referrals/{referral_id}"
C, K = "/console/counter/{check_id}", "/api/counter/checks/{check_id}"
# fmt: off
CASES = (
    Case("POST", "/api/voyages/paxlst", READING, 201, AIRPORTS, out=403, body=_manifest),
    Case("GET", V, READING, 200, AIRPORTS),
    Case("GET", V + "/screening", READING, 200, AIRPORTS),
    Case("POST", V + "/screen", READING, 200, AIRPORTS),
    Case("POST", "/api/pnrgov", READING, 201, AIRPORTS, out=403, body=_booking),
    Case("POST", "/api/crossings", ANALYSING, 201, AIRPORTS, out=403, body=_crossing),  # at the analyst's ports
    Case("POST", "/api/declarations", READING, 201, body=_json([])),  # the public's own: they reveal no row
    Case("GET", T + "/journey", READING, 200, AIRPORTS),
    Case("GET", T + "/screening", READING, 200, AIRPORTS),
    Case("GET", R, READING, 200, AIRPORTS),
    Case("POST", R + "/events", ACTING, 409, AIRPORTS, body=_json({"event": "hand_over"})),  # reached: too early
    Case("POST", R + "/destination", ACTING, 200, AIRPORTS, body=_json({"division": "110105"})),
    Case("POST", V + "/referrals", ACTING, 201, AIRPORTS),
    Case("POST", V + "/contacts", ACTING, 201, AIRPORTS, body=lambda w, n, p: {"json": {
        "traveller_ids": [w.travellers[p]], "refer": False}}),
    Case("GET", V + "/contacts", READING, 200, AIRPORTS),
    Case("PUT", V + "/aircraft", ACTING, 200, AIRPORTS, body=_json({"aircraft": "A333"})),
    Case("POST", "/api/vessels/calls", ACTING, 201, SEAPORTS, out=403, body=_call),
    Case("GET", "/api/vessels/calls/{call_id}", READING, 200, SEAPORTS),
    Case("POST", "/api/counter/scans", ACTING, 422, AIRPORTS, out=403, body=_scan),  # reached: unreadable
    Case("GET", K, ACTING, 200, AIRPORTS),
    Case("POST", K + "/temperature", ACTING, 200, AIRPORTS, body=_json({"temperature": 36.6})),
    Case("POST", K + "/decision", ACTING, 200, AIRPORTS,
         body=_json({"decision": "release", "reason": "well"})),
    Case("POST", "/api/outbox/{event_id}/resend", ACTING, 200, ("PEK", "PVG", "CNMAA")),
    Case("GET", "/api/measures/designations", READING, 200),  # measures are national rules
    Case("GET", "/api/measures/zones", READING, 200),
    Case("GET", "/api/measures/regions", READING, 200, body=lambda w, n, p: {"params": {"on": "2020-03-05"}}),
    Case("GET", "/api/measures/audit", ANALYSING, 200, body=lambda w, n, p: {"params": {"entity": "arrival_zone"}}),
    Case("GET", "/api/measures/audit/verify", ANALYSING, 200),
    Case("POST", "/api/measures/designations", ANALYSING, 422, body=_json({})),  # reached: the body is checked
    Case("POST", "/api/rescreen", ANALYSING, 422, body=_json({})),
    Case("POST", "/api/measures/zones", ANALYSING, 422, body=_json({})),
    Case("POST", "/api/measures/foreign", ANALYSING, 422, body=_json({})),
    Case("GET", "/api/agencies", READING, 200),  # the national directory of partners
    Case("POST", "/api/agencies", ADMIN, 422, body=_json({})),
    Case("GET", "/api/requests", ANALYSING, 200),  # lawful requests are answered nationally
    Case("GET", "/api/watchlists", ANALYSING, 200),  # national lists: officers meet them through hits
    Case("POST", "/api/watchlists/{name}/versions", ADMIN, 201, body=_watchlist),  # imported by administrators
    Case("GET", "/api/watchlists/{name}/versions", ANALYSING, 404),  # reached: this world imported no list
    Case("GET", "/api/watchlists/{name}/versions/{version}/changes", ANALYSING, 404),
    Case("POST", "/api/requests/{request_id}/decision", ANALYSING, 422, body=_json({})),
    Case("GET", "/console/voyages/{voyage_id}", READING, 200, AIRPORTS),
    Case("GET", "/console/departures/{departure_id}", READING, 200, AIRPORTS),
    Case("GET", "/console/travellers/{traveller_id}", READING, 200, AIRPORTS),
    Case("GET", "/console/voyages/{voyage_id}/seats", READING, 200, AIRPORTS),
    Case("POST", "/console/voyages/{voyage_id}/seats", ACTING, 303, AIRPORTS, body=_form(seats="10A"),
         scope_first=True),
    Case("GET", "/console/vessels/{call_id}", READING, 200, SEAPORTS),
    Case("POST", "/console/vessels", ACTING, 303, SEAPORTS, out=403, body=_call_upload),
    Case("GET", "/console/counter", ACTING, 200),
    Case("POST", "/console/counter", ACTING, 422, AIRPORTS, out=403, body=_scan_form),
    Case("GET", C, ACTING, 200, AIRPORTS),
    Case("POST", C + "/temperature", ACTING, 303, AIRPORTS, body=_form(temperature="36.6")),
    Case("POST", C + "/decision", ACTING, 303, AIRPORTS, body=_form(decision="release", reason="well")),
    Case("GET", "/console/referrals/{referral_id}", READING, 200, AIRPORTS),
    Case("POST", "/console/referrals/{referral_id}/events", ACTING, 409, AIRPORTS, body=_form(event="hand_over"),
         scope_first=True),
    Case("POST", "/console/referrals/{referral_id}/destination", ACTING, 303, AIRPORTS, body=_form(address="110105"),
         scope_first=True),
    Case("GET", "/console/measures", READING, 200),
    Case("GET", "/console/watchlists", ANALYSING, 200),
    Case("GET", "/api/watchlist-hits", READING, 200),  # the queue of the caller's ports: tests/watchlist
    Case("GET", "/api/watchlist-hits/{hit_id}", READING, 200, AIRPORTS),
    Case("POST", "/api/watchlist-hits/{hit_id}/confirm", ACTING, 200, AIRPORTS, body=_json({"reason": "same"})),
    Case("POST", "/api/watchlist-hits/{hit_id}/dismiss", ACTING, 200, AIRPORTS, body=_json({"reason": "no"})),
    Case("GET", "/api/enforcement-decisions", READING, 200),
    Case("GET", "/console/hits", READING, 200),
    Case("POST", "/console/hits/{hit_id}/{review}", ACTING, 303, AIRPORTS, body=_form(reason="same"), scope_first=True),
    Case("GET", "/console/violations", READING, 200),
    Case("POST", "/console/violations", ACTING, 303, AIRPORTS, out=403, body=_violation_form),  # the page says why
    Case("POST", "/api/violations", ACTING, 201, AIRPORTS, out=403, body=_violation),
    Case("GET", "/api/violations", READING, 200),  # lists and counts by port: tests/violations
    Case("GET", "/api/violations/counts", READING, 200),
    Case("GET", "/console/watchlists/{name}", ANALYSING, 404),  # reached: this world imported no list
    Case("GET", "/api/overstays", READING, 200),  # who entered at one's ports: tests/overstays
    Case("GET", "/api/overstays", READING, 200, AIRPORTS, out=403, body=_port_chosen),  # a port not one's own: 403
    Case("GET", "/console/overstays", READING, 200),
    Case("GET", "/console/overstays", READING, 200, AIRPORTS, out=403, body=_port_chosen),
    Case("POST", "/console/measures/designations", READING, 422),  # an empty form; officers told "analysts only"
)
LISTS = {  # the lists, tested by ``test_staff_lists_hold_exactly_the_rows_of_their_ports``
    ("GET", "/api/voyages"), ("GET", "/api/vessels/calls"), ("GET", "/api/outbox"), ("GET", "/api/referrals"),
    ("GET", "/console"), ("GET", "/console/vessels"), ("GET", "/console/referrals"),
    ("GET", "/api/departures"), ("GET", "/console/departures"),
}
NOT_STAFF = {  # public, agency-only or no data at all: each is tested where it lives
    ("GET", "/api/health"),  # liveness, no data
    ("GET", "/api/referrals/lifecycle"),  # the state machine's diagram, no data
    ("GET", "/api/public/measures"), ("GET", "/public"),  # the public query (一键通): the same rules, no person
    ("POST", "/api/declarations/cards"), ("GET", "/api/declarations/{code}"),  # a traveller's own declaration,
    ("GET", "/declare"), ("POST", "/declare"), ("GET", "/declare/{code}"),  # reached by its code
    ("GET", "/api/agency/me"), ("GET", "/api/agency/referrals"), ("GET", "/api/agency/referrals/{referral_id}"),
    ("POST", "/api/agency/referrals/{referral_id}/events"), ("GET", "/api/agency/feed"),  # agency tokens: the
    ("GET", "/api/agency/requests"), ("POST", "/api/agency/requests"),  # agency tests above; staff get 401
    ("GET", "/api/agency/requests/{request_id}"),
    ("GET", "/"), ("GET", "/login"), ("POST", "/login"), ("GET", "/logout"),  # signing in and out
}
# fmt: on


@pytest.fixture
def scope(database_url: str) -> ScopeWorld:
    with unit_of_work(database_url) as session:
        return build_scope_world(session)


def _path(case: Case, *, world: ScopeWorld, name: str, port: str | None) -> str:
    rows = {"voyage_id": world.voyages.get(port or ""), "departure_id": world.departures.get(port or ""),
            "traveller_id": world.travellers.get(port or ""), "call_id": world.calls.get(port or ""),
            "referral_id": world.referrals.get(port or ""),
            "check_id": world.checks.get((name, port or "")), "event_id": world.dead.get((name, port or "")),
            "hit_id": world.hits.get((name, port or "", "dismiss" if case.path.endswith("dismiss") else "confirm")),
            "request_id": 0, "name": "SCOPE", "version": 1, "review": "confirm"}  # fmt: skip
    return case.path.format(**rows)


def _send(client: TestClient, case: Case, *, world: ScopeWorld, name: str, port: str | None) -> int:
    token = world.tokens[name]
    extra = case.body(world, name, port or "") if case.body else {}
    headers = {"Authorization": f"Bearer {token}", "Cookie": f"{COOKIE}={token}"} | extra.pop("headers", {})
    path = _path(case, world=world, name=name, port=port)
    response = client.request(case.method, path, headers=headers, follow_redirects=False, **extra)
    return response.status_code


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.method} {case.path}")
def test_every_principal_at_every_port(client: TestClient, scope: ScopeWorld, case: Case) -> None:
    for port in case.ports or (None,):
        for name in PRINCIPALS:
            status = _send(client, case, world=scope, name=name, port=port)
            assert status == case.expected(name=name, port=port), (name, port)


def _console_flights(client: TestClient, *, world: ScopeWorld, name: str) -> set[str]:
    page = client.get("/console?night=2020-03-14", headers={"Cookie": f"{COOKIE}={world.tokens[name]}"}).text
    return {flight for flight in ("CA940", "CA968") if flight in page}


def _console_departures(client: TestClient, *, world: ScopeWorld, name: str) -> set[str]:
    page = client.get("/console/departures?day=2020-03-15", headers={"Cookie": f"{COOKIE}={world.tokens[name]}"})
    return {flight for flight in ("CA937", "MU551") if flight in page.text}


def _listed(client: TestClient, *, world: ScopeWorld, name: str) -> dict[str, set[Any]]:
    auth = {"Authorization": f"Bearer {world.tokens[name]}"}
    departures = client.get("/api/departures?day=2020-03-15", headers=auth).json()["items"]
    return {
        "voyages": {v["id"] for v in client.get("/api/voyages", headers=auth).json()["items"]},
        "departures": {d["id"] for d in departures},
        "departing": _console_departures(client, world=world, name=name),
        "calls": {c["id"] for c in client.get("/api/vessels/calls", headers=auth).json()},
        "events": {e["event_id"] for e in client.get("/api/outbox?limit=1000", headers=auth).json()},
        "referrals": {r["id"] for r in client.get("/api/referrals?limit=500", headers=auth).json()["items"]},
        "flights": _console_flights(client, world=world, name=name),
    }


def _expected(world: ScopeWorld, *, name: str) -> dict[str, set[Any]]:
    seen = partial(_sees, name)
    events = {event for (_, port), event in world.dead.items() if seen(port)}
    return {
        "voyages": {i for port, i in world.voyages.items() if seen(port)},
        "departures": {i for port, i in world.departures.items() if seen(port)},
        "departing": {flight for port, flight in (("PEK", "CA937"), ("PVG", "MU551")) if seen(port)},
        "calls": {i for port, i in world.calls.items() if seen(port)},
        "events": events,
        "referrals": {r.id for r in world.loop.referrals.values() if seen(r.port)},
        "flights": {flight for port, flight in (("PEK", "CA940"), ("PVG", "CA968")) if seen(port)},
    }


def test_staff_lists_hold_exactly_the_rows_of_their_ports(client: TestClient, scope: ScopeWorld) -> None:
    for name in PRINCIPALS:
        listed, expected = _listed(client, world=scope, name=name), _expected(scope, name=name)
        listed["events"] &= set(scope.dead.values())  # the loop's own events are checked by port below
        assert listed == expected, name


def test_the_outbox_lists_only_events_about_the_principals_ports(client: TestClient, scope: ScopeWorld) -> None:
    ports = {"officer-pvg": {"PVG"}, "officer-maa": {"CNMAA"}, "officer-team": set()}
    with unit_of_work(client.app.state.database_url) as session:  # type: ignore[attr-defined]
        of = {event_id: port for event_id, port in session.execute(select(OutboxEvent.event_id, event_port()))}
    for name, expected in ports.items():
        events = client.get("/api/outbox?limit=1000", headers={"Authorization": f"Bearer {scope.tokens[name]}"})
        assert {of[e["event_id"]] for e in events.json()} == expected, name


def test_the_console_shows_vessel_calls_of_the_principals_ports_only(client: TestClient, scope: ScopeWorld) -> None:
    for name in PRINCIPALS:
        for port in SEAPORTS:
            page = client.get(f"/console/vessels?port={port}", headers={"Cookie": f"{COOKIE}={scope.tokens[name]}"})
            assert ("JIN HAI FORTUNE" in page.text.upper()) == _sees(name, port), (name, port)


def _routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the app answers: the API's from its OpenAPI schema, the console's from its routers."""
    found = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops}
    for route in app.routes:
        for inner in getattr(getattr(route, "original_router", None), "routes", [route]):
            if isinstance(inner, APIRoute) and not inner.include_in_schema:
                found |= {(method, inner.path) for method in inner.methods}
    return found


def test_every_endpoint_is_in_the_matrix_or_said_to_be_no_staffs(client: TestClient) -> None:
    covered = {(case.method, case.path) for case in CASES} | LISTS | NOT_STAFF
    assert _routes(client.app) - covered == set()  # type: ignore[arg-type]
    assert covered - _routes(client.app) == set()  # type: ignore[arg-type]


def test_the_measures_audit_reads_no_ports_records(client: TestClient, scope: ScopeWorld) -> None:
    auth = {"Authorization": f"Bearer {scope.tokens['analyst-sh']}"}
    for entity in ("vessel_call", "referral", "outbox_event"):
        assert client.get(f"/api/measures/audit?entity={entity}", headers=auth).status_code == 422, entity


def test_visible_ports_are_the_ports_of_the_unit_and_the_units_below(database_url: str, scope: ScopeWorld) -> None:
    with unit_of_work(database_url) as session:
        for name in PRINCIPALS:
            user = session.scalars(select(User).where(User.username == name)).one()
            expected = SEES[name]
            assert visible_ports(session=session, user=user) == (None if expected is None else frozenset(expected))
