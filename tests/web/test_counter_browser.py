"""The counter in Debian's Chromium: scan a passport and a boarding pass, enter a fever, refer; the referral shows
in the loop. SQLite, live server, Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect

from kouan.app import create_app
from kouan.db import get_engine, unit_of_work
from kouan.formats.documents_write import boarding_pass, passport_mrz
from kouan.formats.paxlst import parse_paxlst
from kouan.screening.service import screen_voyage
from kouan.settings import Settings
from kouan.travel.registry.queries import get_voyage
from kouan.travel.registry.service import ingest_paxlst
from kouan.users.models import Role
from kouan.users.service import create_user
from tests.conftest import empty_registry
from tests.support.live import chromium, live_server, sign_in
from tests.support.messages import document_number, passenger_list

pytestmark = pytest.mark.browser
ROSSI_MRZ = "\n".join(
    passport_mrz(
        surname="ROSSI",
        given="MARIO",
        number=document_number("ROSSI:MARIO"),
        nationality="ITA",
        born=date(1970, 1, 1),
        sex="M",
        expiry=date(2028, 1, 1),
    )
)
BIANCHI_PASS = boarding_pass(
    surname="BIANCHI",
    given="LUCA",
    booking="XYZ789",
    origin="FCO",
    destination="PEK",
    carrier="CA",
    flight="940",
    day=date(2020, 3, 14),
    seat="11A",
)


@pytest.fixture
def server(sqlite_url: str) -> Iterator[tuple[str, str]]:
    raw = passenger_list(names=["ROSSI:MARIO", "BIANCHI:LUCA"], legs=[("FCO", "PEK", "2003141830")])
    with unit_of_work(sqlite_url) as session:
        filed = ingest_paxlst(session=session, message=parse_paxlst(raw), raw=raw, port="PEK")
        voyage = get_voyage(session=session, voyage_id=filed.voyage_id)
        assert voyage is not None
        screen_voyage(session=session, voyage=voyage)
        token = create_user(session=session, username="counter-officer", role=Role.officer)[1]
    try:
        with live_server(create_app(Settings(database_url=sqlite_url, port_of_entry="PEK"))) as base:
            yield base, token
    finally:
        empty_registry(get_engine(sqlite_url))


@pytest.fixture
def page(server: tuple[str, str]) -> Iterator[Page]:
    base, token = server
    with chromium() as browser:
        page = _signed_in(browser, base=base, token=token)
        yield page


def _signed_in(browser: Browser, *, base: str, token: str) -> Page:
    page = browser.new_page(viewport={"width": 1024, "height": 800})
    sign_in(page, base=base, token=token)
    page.get_by_role("link", name="Counter / 查验").click()
    return page


def test_a_passport_scan_then_a_fever_then_a_referral(page: Page) -> None:
    page.check("input[name=kind][value=mrz]")
    page.fill("#data", ROSSI_MRZ)
    page.click("form.scan button[type=submit]")
    expect(page.locator("h1")).to_contain_text("ROSSI")
    expect(page.locator(".flag-high_risk")).to_be_visible()
    page.fill("#temperature", "38.2")
    page.click("form.temperature button[type=submit]")
    expect(page.locator(".flag-fever")).to_contain_text("38.2")
    expect(page.locator(".recommendation")).to_contain_text("Refer to customs")
    page.fill("#reason", "38.2 °C at the counter")
    page.click("button.decide-refer")
    expect(page.locator(".decided")).to_contain_text("Refer to customs")
    page.locator(".decided a").click()
    expect(page.locator("h1")).to_contain_text("ROSSI")
    expect(page.locator(".timeline")).to_contain_text("38.2 °C at the counter")


def test_a_boarding_pass_scan_finds_the_passenger_and_a_bad_scan_says_why(page: Page) -> None:
    page.check("input[name=kind][value=bcbp]")
    page.fill("#data", "M1NOT A PASS")
    page.click("form.scan button[type=submit]")
    expect(page.locator(".field-error")).to_contain_text("not a boarding pass")
    expect(page.locator("#data")).to_have_value("M1NOT A PASS")
    page.fill("#data", BIANCHI_PASS)
    page.fill("#reference", "2020-03-15")
    page.click("form.scan button[type=submit]")
    expect(page.locator("h1")).to_contain_text("BIANCHI")
    expect(page.locator("h1 small")).to_contain_text("CA940")
    expect(page.locator(".flag-no_declaration")).to_be_visible()
