"""The vessels' early-warning pages in Debian's Chromium, driven by Playwright against a live server on SQLite: an
officer signs in, sees the calls at Ma'anshan with their ETA in Beijing time and the fever ship first on its day,
opens it and sees the crew with levels and reasons; on a phone the tables scroll in their box, the page does not;
an officer on a phone files a declaration through the form and lands on the screened call."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from kouan.app import create_app
from kouan.db import get_engine, unit_of_work
from kouan.settings import Settings
from kouan.users.models import Role
from kouan.users.service import create_user
from tests.conftest import empty_registry
from tests.support.live import live_server
from tests.web.test_vessels_console import DATA, build_harbour

pytestmark = pytest.mark.browser


@dataclass
class Console:
    base: str
    token: str
    ids: dict[str, int]


@pytest.fixture
def console(sqlite_url: str) -> Iterator[Console]:
    ids = build_harbour(sqlite_url)
    with unit_of_work(sqlite_url) as session:
        _, token = create_user(session=session, username="harbour-officer", role=Role.officer)
    try:
        with live_server(create_app(Settings(database_url=sqlite_url, port_of_entry="PEK"))) as base:
            yield Console(base=base, token=token, ids=ids)
    finally:
        empty_registry(get_engine(sqlite_url))


def _sign_in_to_vessels(page: Page, console: Console) -> None:
    page.goto(f"{console.base}/console/vessels")
    expect(page).to_have_url(re.compile(r"/login$"))
    page.fill("#token", console.token)
    page.click("button[type=submit]")
    page.get_by_role("link", name="Vessels / 船舶").click()
    expect(page.locator("h1")).to_contain_text("Vessels arriving / 预抵船舶")


def test_an_officer_sees_the_calls_high_first_and_opens_the_fever_ship(console: Console, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in_to_vessels(page, console)
    day = page.locator('tbody[data-day="2020-03-22"] tr.call')
    expect(day).to_have_count(2)
    expect(day.nth(0)).to_have_attribute("data-level", "high")
    expect(day.nth(0).locator(".eta")).to_have_text("2020-03-22 14:00 CST")
    expect(day.nth(0).locator(".level")).to_have_text("high / 高")
    expect(day.nth(1).locator(".eta")).to_have_text("2020-03-22 01:00 CST")
    expect(day.nth(1).locator(".level")).to_have_text("low / 低")
    expect(day.nth(0).locator(".warned-yes")).to_have_text("✔ Early warning sent / 已预警")
    day.nth(0).get_by_role("link", name="OCEAN CREST").click()
    expect(page.locator("h1")).to_contain_text("OCEAN CREST")
    crew = page.locator("table.crew tr.seafarer")
    expect(crew).to_have_count(2)
    expect(crew.nth(0).locator(".who")).to_have_text("MOROZ, TARAS")
    expect(crew.nth(0).locator(".level")).to_have_text("high / 高")
    expect(crew.nth(0)).to_contain_text("is in the MDH schedule of ill persons")
    expect(crew.nth(1).locator(".level")).to_have_text("low / 低")
    expect(page.locator(".ports-of-call .locode")).to_have_text(["JPYOK", "KRPUS", "CNSHA"])


def _no_sideways_page_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_on_a_phone_the_tables_scroll_in_their_box_and_the_page_does_not(console: Console, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    _sign_in_to_vessels(page, console)
    _no_sideways_page_scroll(page)
    box = page.locator(".table-scroll")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    assert box.evaluate("el => el.scrollLeft") > 0
    expect(page.locator("tr.call .level").first).to_be_visible()
    page.goto(f"{console.base}/console/vessels/{console.ids['jin_hai']}")
    expect(page.locator("h1")).to_contain_text("JIN HAI FORTUNE")
    _no_sideways_page_scroll(page)
    expect(page.locator(".discrepancies .badge.discrepancy")).to_have_count(2)
    expect(page.locator(".parse-warnings li").first).to_be_visible()


def test_an_unknown_call_says_not_found(console: Console, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in_to_vessels(page, console)
    response = page.goto(f"{console.base}/console/vessels/999999")
    assert response is not None and response.status == 404


def test_an_officer_on_a_phone_files_the_fever_declaration_and_lands_on_the_call(
    console: Console, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    _sign_in_to_vessels(page, console)
    form = page.locator("form.file-call")
    expect(form.locator("h2")).to_have_text("File a call / 申报船舶")
    _no_sideways_page_scroll(page)
    page.set_input_files("#file-mdh", str(DATA / "mdh_ocean_crest_fever.json"))
    page.fill("#file-eta", "2020-03-25T10:00")
    page.fill("#file-port", "CNMAA")
    form.get_by_role("button", name="File / 申报").click()
    expect(page).to_have_url(re.compile(r"/console/vessels/\d+$"))
    assert int(page.url.rsplit("/", 1)[1]) not in console.ids.values()
    expect(page.locator("h1")).to_contain_text("OCEAN CREST")
    expect(page.locator(".vessel-status .level")).to_have_text("high / 高")
    expect(page.locator(".vessel-status .eta")).to_have_text("ETA / 预抵 2020-03-25 10:00 CST")
