"""The officer console in Debian's Chromium, driven by Playwright against a live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from kouan.app import create_app
from kouan.db import get_engine, unit_of_work
from kouan.formats.paxlst import parse_paxlst
from kouan.formats.pnrgov import parse_pnrgov
from kouan.measures.designations import add_zone
from kouan.measures.models import ArrivalZoneCreate
from kouan.screening.service import screen_voyage
from kouan.settings import Settings
from kouan.travel.journey.service import ingest_pnrgov
from kouan.travel.registry.queries import get_voyage
from kouan.travel.registry.service import ingest_paxlst
from kouan.users.models import Role
from kouan.users.service import create_user
from tests.conftest import empty_registry
from tests.support.live import live_server
from tests.support.messages import document_number, passenger_list, pnr_push

ROSSI_PASSPORT = document_number("ROSSI:MARIO")

pytestmark = pytest.mark.browser


def _file(url: str, raw: str) -> None:
    with unit_of_work(url) as session:
        result = ingest_paxlst(session=session, message=parse_paxlst(raw), raw=raw, port="PEK")
        voyage = get_voyage(session=session, voyage_id=result.voyage_id)
        assert voyage is not None
        screen_voyage(session=session, voyage=voyage)


def _file_booking(url: str) -> None:
    raw = pnr_push(
        booking_ref="ABC123",
        people=["ROSSI:MARIO"],
        legs=[("EK", "92", "MXP", "DXB", "2003191030"), ("EK", "308", "DXB", "PEK", "2003200340")],
        documents=[ROSSI_PASSPORT],
    )
    with unit_of_work(url) as session:
        result = ingest_pnrgov(session=session, message=parse_pnrgov(raw), raw=raw, port="PEK")
        voyage = get_voyage(session=session, voyage_id=result.voyage_id or 0)
        assert voyage is not None
        screen_voyage(session=session, voyage=voyage)


@pytest.fixture
def server(sqlite_url: str) -> Iterator[str]:
    with unit_of_work(sqlite_url) as session:
        add_zone(session=session, item=ArrivalZoneCreate(airport="PEK", code="T3-D", name="T3-D"), actor="test")
    _file(sqlite_url, passenger_list(names=["ROSSI:MARIO", "LI:WEI"], legs=[("FCO", "PEK", "2003201830")]))
    _file(
        sqlite_url,
        passenger_list(names=["BATAA:BOLD"], legs=[("ULN", "PEK", "2003201030")], carrier="OM", number="OM223"),
    )
    _file(
        sqlite_url,
        passenger_list(names=["ROSSI:MARIO"], legs=[("DXB", "PEK", "2003200340")], carrier="EK", number="EK308"),
    )
    _file_booking(sqlite_url)
    with live_server(create_app(Settings(database_url=sqlite_url))) as base:
        yield base
    empty_registry(get_engine(sqlite_url))


@pytest.fixture
def token(sqlite_url: str) -> str:
    with unit_of_work(sqlite_url) as session:
        return create_user(session=session, username="night-shift", role=Role.officer)[1]


def sign_in(page: Page, base: str, token: str) -> None:
    page.goto(f"{base}/console")
    expect(page).to_have_url(f"{base}/login")
    page.fill("#token", token)
    page.click("button[type=submit]")


def test_officer_signs_in_and_sees_flagged_travellers_with_reasons(
    server: str, token: str, browser: Browser, tmp_path: Path
) -> None:
    page = browser.new_page()
    sign_in(page, server, token)
    expect(page.locator("h1")).to_contain_text("Arrivals at PEK")
    rome = page.locator("tr.voyage", has_text="CA940")
    expect(rome.locator("td.count.high")).to_have_text("2")
    expect(rome.locator(".zone")).to_contain_text("T3-D")
    expect(page.locator("tr.voyage", has_text="OM223").locator("td.count.high")).to_have_text("0")
    rome.get_by_role("button").click()
    rows = page.locator(".travellers tr.traveller")
    expect(rows).to_have_count(2)
    expect(rows.first.locator(".level")).to_have_text("high")
    expect(rows.first.locator(".reason").first).to_contain_text("FCO (Italy)")
    page.screenshot(path=str(tmp_path / "console.png"), full_page=True)
    assert (tmp_path / "console.png").stat().st_size > 0


def test_a_travellers_journey_shows_each_stay_with_its_source(server: str, token: str, browser: Browser) -> None:
    page = browser.new_page()
    sign_in(page, server, token)
    page.locator("tr.voyage", has_text="EK308").get_by_role("button").click()
    page.get_by_role("link", name="ROSSI, MARIO").click()
    expect(page.locator("h1")).to_contain_text("ROSSI, MARIO")
    expect(page.locator(".timeline .stay.source-pnr-origin")).to_contain_text("PNR ABC123")
    expect(page.locator(".timeline .stay.source-manifest-embarkation")).to_contain_text("DXB")
    expect(page.locator("tr.link.kind-pnr")).to_contain_text("1.00")
    expect(page.locator(".level")).to_have_text("high")


def test_a_wrong_token_is_refused_with_a_message(server: str, browser: Browser) -> None:
    page = browser.new_page()
    sign_in(page, server, "not-a-token")
    expect(page.locator(".error")).to_contain_text("not valid")


@pytest.fixture
def analyst_token(sqlite_url: str) -> str:
    with unit_of_work(sqlite_url) as session:
        return create_user(session=session, username="analyst-night", role=Role.analyst)[1]


def test_an_analyst_designates_a_region_and_sees_it_audited(server: str, analyst_token: str, browser: Browser) -> None:
    page = browser.new_page()
    sign_in(page, server, analyst_token)
    page.get_by_role("link", name="Measures / 措施").click()
    page.fill("#region_code", "XYZ")
    page.fill("#valid_from", "2020-03-10")
    page.fill("#reason", "cluster reported")
    page.click("form.designate button[type=submit]")
    expect(page.locator('.field-error[data-field="region_code"]')).to_contain_text("XYZ")
    expect(page.locator("#reason")).to_have_value("cluster reported")
    page.fill("#region_code", "ita")
    page.select_option("#level", "high")
    page.click("form.designate button[type=submit]")
    expect(page.locator("tr.designation")).to_contain_text("ITA")
    expect(page.locator("tr.audit-event").first).to_contain_text("analyst-night")
    expect(page.locator("h2 .intact")).to_be_visible()


def test_an_officer_sees_the_list_but_not_the_form(server: str, token: str, browser: Browser) -> None:
    page = browser.new_page()
    sign_in(page, server, token)
    page.goto(f"{server}/console/measures")
    expect(page.locator("h1")).to_contain_text("Key regions")
    expect(page.locator("form.designate")).to_have_count(0)
