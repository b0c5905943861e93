"""The seat map in Debian's Chromium, driven by Playwright against a live server on SQLite: an officer traces a case
by seat on a 777-300ER and sees the case and its contacts marked and listed; a wrong seat is said and kept; on a
phone the map scrolls sideways inside its box while the page does not."""

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
from tests.support.live import live_server, sign_in
from tests.web.test_seat_map import build_flight

pytestmark = pytest.mark.browser
CLOSE = ["32D", "33D", "34D", "36D", "37D", "38D"]  # three rows either side of 35D


@dataclass
class Console:
    base: str
    token: str
    voyage_id: int


@pytest.fixture
def console(sqlite_url: str) -> Iterator[Console]:
    """Ten passengers in 31D ... 40D of a B77W's economy cabin (ten abreast), two cabin crew, a signed-up officer."""
    voyage_id = build_flight(sqlite_url, aircraft="B77W", seats={f"{10 + n}A": f"{31 + n}D" for n in range(10)})
    with unit_of_work(sqlite_url) as session:
        _, token = create_user(session=session, username="cabin-officer", role=Role.officer)
    try:
        with live_server(create_app(Settings(database_url=sqlite_url, port_of_entry="PEK"))) as base:
            yield Console(base=base, token=token, voyage_id=voyage_id)
    finally:
        empty_registry(get_engine(sqlite_url))


def _open_seat_map(page: Page, console: Console) -> None:
    sign_in(page, base=console.base, token=console.token)
    page.goto(f"{console.base}/console/voyages/{console.voyage_id}/seats")
    expect(page.locator("h1")).to_contain_text("Seat map / 座位图")


def _trace(page: Page, seats: str) -> None:
    page.fill("#seats", seats)
    page.get_by_role("button", name="Trace / 追踪").click()


def test_an_officer_traces_a_case_by_seat_and_sees_it_and_its_contacts(console: Console, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _open_seat_map(page, console)
    expect(page.locator(".cabin-name")).to_have_text(["Business / 公务舱", "Economy / 经济舱"])
    _trace(page, "35D")
    expect(page.locator('.seatmap [data-seat="35D"]')).to_have_class("seat seat-index")
    for seat in CLOSE:
        expect(page.locator(f'.seatmap [data-seat="{seat}"]')).to_have_class("seat seat-close")
    expect(page.locator('.seatmap [data-seat="31D"]')).to_have_class("seat seat-general")
    expect(page.locator('.seatmap [data-seat="35C"]')).to_have_class("seat seat-empty")
    expect(page.locator(".seat-legend .legend-text")).to_have_text(
        ["Index case / 病例", "Close contact / 密切接触者", "General contact / 一般接触者", "Empty / 空座"]
    )
    tooltip = re.compile(r"^32D · PASSENGER1, ANNA · Close contact / 密切接触者: .+ · 3 rows from the index")
    expect(page.locator('.seatmap [data-seat="32D"]')).to_have_attribute("title", tooltip)


def test_the_side_list_gives_the_contacts_with_their_rows(console: Console, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _open_seat_map(page, console)
    _trace(page, "35D")
    listed = page.locator(".close-contacts .contact")
    expect(listed).to_have_count(6)
    farthest = page.locator('.close-contacts .contact[data-seat="32D"]')
    expect(farthest.locator(".who")).to_have_text("PASSENGER1, ANNA")
    expect(farthest.locator(".rows")).to_have_text("3 rows from the index / 距病例 3 排")
    expect(farthest.locator(".referral-link")).to_have_attribute("href", re.compile(r"^/console/referrals/\d+$"))
    expect(page.locator(".crew-contacts .contact")).to_have_count(2)
    expect(page.locator(".general-count")).to_have_text("3")


def test_a_seat_nobody_holds_is_said_and_the_typed_text_kept(console: Console, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _open_seat_map(page, console)
    _trace(page, "35D, 60K")
    expect(page.locator('.field-error[data-field="seats"]')).to_contain_text("60K")
    expect(page.locator("#seats")).to_have_value("35D, 60K")
    expect(page.locator(".seatmap .seat-index")).to_have_count(0)


def test_on_a_phone_the_map_scrolls_inside_its_box_and_the_page_does_not(console: Console, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    _open_seat_map(page, console)
    _trace(page, "35D")
    expect(page.locator('.seatmap [data-seat="35D"]')).to_have_class("seat seat-index")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    box = page.locator(".seatmap")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    assert box.evaluate("el => el.scrollLeft") > 0
    form = page.locator("#seats").bounding_box()
    assert form is not None and form["x"] + form["width"] <= 375
