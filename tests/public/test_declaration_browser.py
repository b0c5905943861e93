"""The health declaration form in Debian's Chromium at a phone's width (375×740), in Chinese and in English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from kouan.public.declaration_views import now_utc
from tests.public.conftest import public_app
from tests.support.live import chromium, live_server

pytestmark = pytest.mark.browser
PHONE: ViewportSize = {"width": 375, "height": 740}
TOMORROW = (datetime.now(UTC) + timedelta(hours=8, days=1)).date().isoformat()  # Beijing's tomorrow


@pytest.fixture
def server(sqlite_url: str) -> Iterator[str]:
    app = public_app(sqlite_url)
    app.dependency_overrides[now_utc] = lambda: datetime.now(UTC)
    with live_server(app) as base:
        yield base


@pytest.fixture
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def fill_card(page: Page, *, surname: str, phone: str = "+86 138 0000 0000") -> None:
    page.fill("#surname", surname)
    page.fill("#given_names", "MARIO")
    page.check("input[name=sex][value=M]")
    page.fill("#birth_date", "1970-01-01")
    page.select_option("#nationality", "ITA")
    page.fill("#document_number", "YA1234567")
    page.fill("#occupation", "Engineer")
    page.fill("#phone", phone)
    page.fill("#flight", "EK308")
    page.fill("#flight_date", TOMORROW)
    page.select_option("#places-0-country", "ITA")
    page.fill("#places-0-place", "Milano")
    page.fill("#places-0-date_from", "2020-03-06")
    page.fill("#address", "北京市朝阳区建国路 1 号")
    page.check("input[name=case_contact][value=no]")
    page.check("input[name=symptoms][value=fatigue]")
    page.check("input[name=fever_medicine][value=no]")
    page.click("button[type=submit]")


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def shows_a_code_and_its_qr(page: Page) -> None:
    expect(page.locator("#code")).to_have_attribute("data-code", re.compile(r"^[2-9A-HJ-NP-Z]{12}$"))
    qr = page.locator("#qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and 120 <= box["width"] <= 375
    assert fits_the_screen(page)


def test_a_traveller_files_the_card_in_chinese(server: str, browser: Browser) -> None:
    page = browser.new_page(viewport=PHONE, locale="zh-CN")
    page.goto(f"{server}/declare", wait_until="load")
    expect(page.locator("h1")).to_have_text("健康申明")
    assert fits_the_screen(page)
    fill_card(page, surname="ROSSI")
    expect(page.locator("h1")).to_have_text("健康申明已提交")
    shows_a_code_and_its_qr(page)
    expect(page.locator("#summary")).to_contain_text("乏力")
    expect(page.locator("#summary")).to_contain_text("Milano")


def test_a_traveller_files_the_card_in_english(server: str, browser: Browser) -> None:
    page = browser.new_page(viewport=PHONE, locale="en-US")
    page.goto(f"{server}/declare", wait_until="load")
    expect(page.locator("h1")).to_have_text("Health declaration")
    fill_card(page, surname="BIANCHI")
    expect(page.locator("h1")).to_have_text("Your declaration is filed")
    shows_a_code_and_its_qr(page)
    expect(page.locator("#summary")).to_contain_text("Fatigue")


def test_an_error_keeps_every_typed_value(server: str, browser: Browser) -> None:
    page = browser.new_page(viewport=PHONE, locale="en-US")
    page.goto(f"{server}/declare", wait_until="load")
    fill_card(page, surname="ROSSI", phone="call me")
    expect(page.locator("#phone-error")).to_have_text("Not a valid phone number")
    expect(page.locator("#phone")).to_have_value("call me")
    expect(page.locator("#surname")).to_have_value("ROSSI")
    expect(page.locator("#nationality")).to_have_value("ITA")
    expect(page.locator("#places-0-place")).to_have_value("Milano")
    expect(page.locator("input[name=symptoms][value=fatigue]")).to_be_checked()
    expect(page.locator("input[name=case_contact][value=no]")).to_be_checked()
    assert fits_the_screen(page)
    page.fill("#phone", "+39 02 1234 5678")
    page.click("button[type=submit]")
    shows_a_code_and_its_qr(page)
