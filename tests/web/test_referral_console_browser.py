"""The officers' loop console in Debian's Chromium, driven by Playwright against a live server on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from kouan.app import create_app
from kouan.db import get_engine, unit_of_work, utcnow
from kouan.referrals.service import Actor, move
from kouan.settings import Settings
from kouan.users.models import Role
from kouan.users.service import create_user
from tests.conftest import empty_registry
from tests.support.live import live_server, sign_in
from tests.support.loop import build_loop

pytestmark = pytest.mark.browser


@dataclass
class Console:
    base: str
    token: str
    ids: dict[str, int]


def _seed(url: str) -> tuple[str, dict[str, int]]:
    """The loop world; NERI overdue; ROSSI acknowledged by the Capital Airport customs; an officer of that station."""
    with unit_of_work(url) as session:
        world = build_loop(session)
        world.referrals["NERI"].due_at = utcnow() - timedelta(hours=1)
        customs = world.org.agencies["CUSTOMS-PEK"]
        actor = Actor(name="agency:CUSTOMS-PEK", agency=customs)
        move(session=session, referral=world.referrals["ROSSI"], event="acknowledge", actor=actor)
        user, token = create_user(session=session, username="gate-officer", role=Role.officer)
        user.unit_id = world.org.units["BJ-PEK"].id
        session.flush()
        return token, {name: r.id for name, r in world.referrals.items()}


@pytest.fixture
def console(sqlite_url: str) -> Iterator[Console]:
    token, ids = _seed(sqlite_url)
    try:
        with live_server(create_app(Settings(database_url=sqlite_url, port_of_entry="PEK"))) as base:
            yield Console(base=base, token=token, ids=ids)
    finally:
        empty_registry(get_engine(sqlite_url))


def _open_referrals(page: Page, console: Console) -> None:
    sign_in(page, base=console.base, token=console.token)
    page.get_by_role("link", name="Referrals / 闭环").click()
    expect(page.locator("h1")).to_contain_text("Referrals of your units")


def test_the_overdue_referral_comes_first_and_rossi_is_handed_over(console: Console, browser: Browser) -> None:
    page = browser.new_page()
    _open_referrals(page, console)
    expect(page.locator(".overdue-alert")).to_contain_text("1 overdue")
    rows = page.locator("tr.referral")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("NERI")
    expect(rows.first.locator(".badge.overdue")).to_have_text("overdue / 超时")
    expect(page.locator(".badge.overdue")).to_have_count(1)
    page.get_by_role("link", name="ROSSI", exact=False).click()
    expect(page.locator(".status .state")).to_have_text("Acknowledged / 已签收")
    expect(page.locator(".timeline .step")).to_have_count(2)
    page.fill("#note", "met at gate D5")
    page.get_by_role("button", name="Hand over / 移交").click()
    expect(page.locator(".status .state")).to_have_text("Handed over at the port / 已现场移交")
    steps = page.locator(".timeline .step")
    expect(steps).to_have_count(3)
    expect(steps.last).to_contain_text("Hand over / 移交")
    expect(steps.last).to_contain_text("met at gate D5")
    expect(steps.last).to_contain_text("user:gate-officer")
    expect(page.get_by_role("button", name="Hand over / 移交")).to_have_count(0)


def test_verdis_destination_is_resolved_through_the_form(console: Console, browser: Browser) -> None:
    page = browser.new_page()
    _open_referrals(page, console)
    page.get_by_role("link", name="Destination unresolved / 待指定目的地").click()
    expect(page.locator("tr.referral")).to_have_count(2)
    page.get_by_role("link", name="VERDI", exact=False).click()
    expect(page.locator("form.destination .hint")).to_contain_text("must name the city")
    page.fill("#address", "朝阳区")
    page.get_by_role("button", name="Route / 指定").click()
    expect(page.locator('.field-error[data-field="address"]')).to_contain_text("still unresolved")
    page.fill("#address", "北京市朝阳区建国路1号")
    page.get_by_role("button", name="Route / 指定").click()
    expect(page.locator(".destination-agency")).to_contain_text("Chaoyang District Health Commission")
    expect(page.locator("form.destination")).to_have_count(0)
    page.get_by_role("link", name="← Referrals / 闭环").click()
    expect(page.locator("tr.referral", has_text="VERDI")).to_contain_text("Chaoyang")


@pytest.mark.parametrize("width", [375, 1280])
def test_the_pages_fit_a_phone_and_a_desk(console: Console, browser: Browser, width: int, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": width, "height": 800})
    _open_referrals(page, console)
    for name, path in (("list", "/console/referrals"), ("one", f"/console/referrals/{console.ids['ROSSI']}")):
        page.goto(f"{console.base}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
    expect(page.get_by_role("button", name="Hand over / 移交")).to_be_visible()


def test_the_state_filter_applies_when_chosen_under_the_content_security_policy(
    console: Console, browser: Browser
) -> None:
    page = browser.new_page()
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    _open_referrals(page, console)
    page.select_option("#state", "acknowledged")
    expect(page).to_have_url(f"{console.base}/console/referrals?state=acknowledged")
    expect(page.locator("tr.referral")).to_have_count(1)
    page.goto(f"{console.base}/console/referrals/{console.ids['ROSSI']}")
    page.goto(f"{console.base}/console")
    assert refused == []
