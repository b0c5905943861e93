"""The public page in Debian's Chromium at a phone's width (375×740), in Chinese and in English."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.public.conftest import public_app
from tests.support.live import chromium, live_server

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def server(sqlite_url: str) -> Iterator[str]:
    with live_server(public_app(sqlite_url)) as base:
        yield base


@pytest.fixture
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def ask(page: Page, *, nationality: str, origin: str, date: str, visa: str = "") -> None:
    page.fill("#nationality", nationality)
    page.fill("#origin", origin)
    page.fill("#arrival", "PEK")
    page.fill("#date", date)
    if visa:
        page.select_option("#visa_type", visa)
    page.click("button[type=submit]")


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_german_l_visa_holder_is_told_in_chinese_entry_is_refused(server: str, browser: Browser) -> None:
    page = browser.new_page(viewport=PHONE, locale="zh-CN")
    page.goto(f"{server}/public", wait_until="load")
    expect(page.locator("h1")).to_have_text("我适用哪些入境防控措施？")
    ask(page, nationality="DEU", origin="FRA", date="2020-03-29", visa="L")
    expect(page.locator(".decision")).to_have_text("拒绝入境")
    expect(page.locator(".rule", has_text="R3")).to_contain_text("暂停外国人持目前有效来华签证")
    assert "date=2020-03-29" in page.url
    assert fits_the_screen(page)


def test_a_chinese_national_from_rome_is_told_in_english_to_divert(server: str, browser: Browser) -> None:
    page = browser.new_page(viewport=PHONE, locale="en-US")
    page.goto(f"{server}/public", wait_until="load")
    expect(page.locator("h1")).to_have_text("Which entry measures apply to me?")
    ask(page, nationality="CHN", origin="FCO", date="2020-03-24")
    expect(page.locator(".decision")).to_contain_text("Divert")
    expect(page.locator(".risk .level")).to_have_text("High risk")
    page.click(".lang-switch")
    expect(page.locator(".decision")).to_have_text("改降指定第一入境点")
    assert fits_the_screen(page)


def test_a_mistyped_airport_is_shown_next_to_the_field(server: str, browser: Browser) -> None:
    page = browser.new_page(viewport=PHONE, locale="en-US")
    page.goto(f"{server}/public", wait_until="load")
    ask(page, nationality="DEU", origin="XQQ", date="2020-03-29")
    expect(page.locator("#origin-error")).to_contain_text("Unknown airport")
    expect(page.locator("#origin")).to_have_value("XQQ")
