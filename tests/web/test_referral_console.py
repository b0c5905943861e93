"""The officers' console for the loop, through the ASGI app (on SQLite and PostgreSQL): the list (overdue first,
scoped to the user's units, filtered), one referral's page, the officer's moves and stating a destination."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from kouan.api.deps import COOKIE
from kouan.app import create_app
from kouan.db import unit_of_work, utcnow
from kouan.referrals.models import Referral, ReferralStep
from kouan.referrals.service import Actor, move
from kouan.settings import Settings
from kouan.sharing.agencies.models import Agency
from kouan.users.models import Role
from kouan.users.service import create_user
from tests.support.loop import build_loop

ROW = re.compile(r'<tr class="referral([^"]*)" data-id="(\d+)"')


@dataclass
class World:
    url: str
    ids: dict[str, int]  # referral id by surname
    units: dict[str, int]
    agencies: dict[str, int]


@pytest.fixture
def world(database_url: str) -> World:
    with unit_of_work(database_url) as session:
        loop = build_loop(session)
        session.flush()
        ids = {name: r.id for name, r in loop.referrals.items()}
        units = {code: u.id for code, u in loop.org.units.items()}
        agencies = {code: a.id for code, a in loop.org.agencies.items()}
    return World(url=database_url, ids=ids, units=units, agencies=agencies)


def _client(world: World, *, unit: str | None, username: str, role: Role = Role.officer) -> TestClient:
    with unit_of_work(world.url) as session:
        user, token = create_user(session=session, username=username, role=role)
        user.unit_id = world.units[unit] if unit else None
    client = TestClient(create_app(Settings(database_url=world.url, port_of_entry="PEK")))
    client.cookies.set(COOKIE, token)
    return client


@pytest.fixture
def pek(world: World) -> Iterator[TestClient]:
    with _client(world, unit="BJ-PEK", username="pek-officer") as client:
        yield client


def _rows(html: str) -> list[tuple[int, bool]]:
    return [(int(found), "is-overdue" in classes) for classes, found in ROW.findall(html)]


def _referral(world: World, name: str) -> Referral:
    with unit_of_work(world.url) as session:
        referral = session.get(Referral, world.ids[name])
        assert referral is not None
        session.expunge(referral)
        return referral


def test_the_list_shows_the_units_open_referrals_overdue_first(world: World, pek: TestClient) -> None:
    with unit_of_work(world.url) as session:
        late = session.get(Referral, world.ids["NERI"])
        assert late is not None
        late.due_at = utcnow() - timedelta(hours=2)
    response = pek.get("/console/referrals")
    assert response.status_code == 200
    rows = _rows(response.text)
    assert rows[0] == (world.ids["NERI"], True)
    assert [overdue for _, overdue in rows[1:]] == [False, False, False]
    assert {i for i, _ in rows} == {world.ids[n] for n in ("ROSSI", "BIANCHI", "VERDI", "NERI")}
    assert re.search(r'class="overdue-count">1<', response.text)
    assert response.text.count("overdue / 超时</span>") == 1
    assert "Referrals / 闭环" in response.text


def test_a_row_shows_the_routing_and_the_bilingual_state(world: World, pek: TestClient) -> None:
    html = pek.get("/console/referrals").text
    assert "Chaoyang District Health Commission" in html
    assert "Capital Airport Customs" in html
    assert html.count("→ unresolved / 待指定") == 2
    assert "Created before arrival / 已生成" in html
    assert "CA940" in html and "ROSSI" in html


def test_a_pudong_officer_sees_only_pudong_and_gets_404_on_a_capital_referral(world: World) -> None:
    with _client(world, unit="SH-PVG", username="pvg-officer") as client:
        rows = _rows(client.get("/console/referrals").text)
        assert [i for i, _ in rows] == [world.ids["CONTI"]]
        assert client.get(f"/console/referrals/{world.ids['ROSSI']}").status_code == 404
        moved = client.post(f"/console/referrals/{world.ids['ROSSI']}/events", data={"event": "refuse"})
        assert moved.status_code == 404
        assert client.get(f"/console/referrals/{world.ids['CONTI']}").status_code == 200
    assert _referral(world, "ROSSI").state == "created"


def test_the_unresolved_filter_is_the_queue_of_verdi_and_neri(world: World, pek: TestClient) -> None:
    rows = _rows(pek.get("/console/referrals", params={"show": "unresolved"}).text)
    assert sorted(i for i, _ in rows) == sorted([world.ids["VERDI"], world.ids["NERI"]])


def test_the_state_filter_lists_only_that_state(world: World, pek: TestClient) -> None:
    with unit_of_work(world.url) as session:
        referral = session.get(Referral, world.ids["BIANCHI"])
        assert referral is not None
        move(session=session, referral=referral, event="refuse", actor=Actor(name="user:x"))
    assert [i for i, _ in _rows(pek.get("/console/referrals", params={"state": "refused"}).text)] == [
        world.ids["BIANCHI"]
    ]
    assert world.ids["BIANCHI"] not in [i for i, _ in _rows(pek.get("/console/referrals").text)]


def test_the_console_needs_a_sign_in(world: World) -> None:
    with TestClient(create_app(Settings(database_url=world.url))) as client:
        response = client.get("/console/referrals", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


def test_an_illegal_move_shows_the_409_message_next_to_the_form(world: World, pek: TestClient) -> None:
    response = pek.post(f"/console/referrals/{world.ids['ROSSI']}/events", data={"event": "hand_over", "note": "x"})
    assert response.status_code == 409
    assert 'data-field="event"' in response.text
    assert "hand_over is not allowed when the referral is created" in response.text
    assert 'value="x"' in response.text
    assert _referral(world, "ROSSI").state == "created"


def test_an_agencys_move_is_not_permitted_to_an_officer(world: World, pek: TestClient) -> None:
    response = pek.post(f"/console/referrals/{world.ids['ROSSI']}/events", data={"event": "acknowledge"})
    assert response.status_code == 403
    assert "Not permitted / 无权操作" in response.text


def test_only_the_officers_allowed_moves_are_buttons(world: World, pek: TestClient) -> None:
    html = pek.get(f"/console/referrals/{world.ids['ROSSI']}").text
    assert re.findall(r'name="event" value="(\w+)"', html) == ["refuse"]


def test_handing_over_after_the_customs_acknowledgement_adds_a_step(world: World, pek: TestClient) -> None:
    with unit_of_work(world.url) as session:
        referral = session.get(Referral, world.ids["ROSSI"])
        customs = session.get(Agency, world.agencies["CUSTOMS-PEK"])
        assert referral is not None and customs is not None
        move(session=session, referral=referral, event="acknowledge", actor=Actor(name="agency:C", agency=customs))
    url = f"/console/referrals/{world.ids['ROSSI']}"
    assert re.findall(r'name="event" value="(\w+)"', pek.get(url).text) == ["hand_over", "lose", "refuse"]
    response = pek.post(f"{url}/events", data={"event": "hand_over", "note": "gate D5"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == url
    html = pek.get(url).text
    assert "Handed over at the port / 已现场移交" in html
    assert "gate D5" in html and "user:pek-officer" in html
    with unit_of_work(world.url) as session:
        steps = session.query(ReferralStep).filter_by(referral_id=world.ids["ROSSI"]).all()
        assert [s.event for s in steps] == ["create", "acknowledge", "hand_over"]


def test_an_analyst_sees_the_referral_but_no_moves(world: World) -> None:
    with _client(world, unit="BJ", username="analyst", role=Role.analyst) as client:
        url = f"/console/referrals/{world.ids['ROSSI']}"
        assert 'name="event"' not in client.get(url).text
        response = client.post(f"{url}/events", data={"event": "refuse"})
    assert response.status_code == 403
    assert _referral(world, "ROSSI").state == "created"


def test_stating_an_address_resolves_the_destination(world: World, pek: TestClient) -> None:
    url = f"/console/referrals/{world.ids['VERDI']}"
    assert "the address must name the city" in pek.get(url).text
    response = pek.post(f"{url}/destination", data={"address": "北京市朝阳区建国路1号"}, follow_redirects=False)
    assert response.status_code == 303
    assert _referral(world, "VERDI").destination_agency_id == world.agencies["BJ-CHAOYANG"]
    html = pek.get(url).text
    assert "Chaoyang District Health Commission" in html
    assert 'action="' + url + '/destination"' not in html
    queue = _rows(pek.get("/console/referrals", params={"show": "unresolved"}).text)
    assert [i for i, _ in queue] == [world.ids["NERI"]]


def test_an_adcode_resolves_the_destination_too(world: World, pek: TestClient) -> None:
    url = f"/console/referrals/{world.ids['NERI']}/destination"
    assert pek.post(url, data={"address": "110113"}, follow_redirects=False).status_code == 303
    referral = _referral(world, "NERI")
    assert (referral.destination_division, referral.destination_source) == ("110113", "officer")
    assert referral.destination_agency_id == world.agencies["BJ-SHUNYI"]


def test_an_adcode_no_place_has_is_refused_and_the_agency_kept(world: World, pek: TestClient) -> None:
    url = f"/console/referrals/{world.ids['ROSSI']}/destination"
    refused = pek.post(url, data={"address": "99"})
    assert refused.status_code == 422 and "no Chinese province, city or district has the adcode" in refused.text
    assert _referral(world, "ROSSI").destination_agency_id == world.agencies["BJ-CHAOYANG"]


def test_an_address_that_cannot_be_routed_is_shown_next_to_the_field(world: World, pek: TestClient) -> None:
    url = f"/console/referrals/{world.ids['NERI']}/destination"
    empty = pek.post(url, data={"address": "  "})
    assert empty.status_code == 422
    assert 'data-field="address"' in empty.text
    vague = pek.post(url, data={"address": "somewhere"})
    assert vague.status_code == 422
    assert "still unresolved" in vague.text and 'value="somewhere"' in vague.text
    assert _referral(world, "NERI").destination_agency_id is None
