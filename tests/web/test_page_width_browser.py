"""Every console page in Debian's Chromium on a phone (375 px) and a desk (1280 px): the page itself never scrolls
sideways, whatever fonts the machine has; a wide table scrolls or wraps inside its own box. SQLite, live server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from kouan.app import create_app
from kouan.db import get_engine, unit_of_work
from kouan.formats.documents_write import passport_mrz
from kouan.formats.paxlst import parse_paxlst
from kouan.measures.designations import add_zone, designate
from kouan.measures.models import ArrivalZoneCreate, DesignationCreate
from kouan.settings import Settings
from kouan.travel.journey.schemas import CrossingCreate
from kouan.travel.journey.service import add_crossings
from kouan.travel.registry.models import EXIT
from kouan.travel.registry.queries import get_voyage
from kouan.travel.registry.service import ingest_paxlst
from kouan.users.models import Role
from kouan.users.service import create_user
from kouan.violations.models import ViolationCreate
from kouan.violations.service import record_violation
from kouan.watchlist.entries import read_entries
from kouan.watchlist.hits.models import WatchlistHit
from kouan.watchlist.models import ListKind
from kouan.watchlist.service import Source, import_list
from tests.conftest import empty_registry
from tests.support.live import live_server, sign_in
from tests.support.loop import build_loop
from tests.support.messages import document_number
from tests.web.test_vessels_console import build_harbour

WATCHLISTS = Path(__file__).parents[1] / "watchlist" / "data"
DEPARTURE = (Path(__file__).parents[1] / "formats" / "data" / "paxlst_ca937_departure_d05b.edi").read_text()

pytestmark = pytest.mark.browser
ROSSI_MRZ = "\n".join(
    passport_mrz(surname="ROSSI", given="X", number=document_number("ROSSI:X"), nationality="ITA",
                 born=date(1970, 1, 1), sex="M", expiry=date(2028, 1, 1))
)  # fmt: skip
BROWN_MRZ = "\n".join(
    passport_mrz(surname="BROWN", given="EMMA JANE", number="533012345", nationality="GBR", born=date(1991, 4, 22),
                 sex="F", expiry=date(2027, 9, 30))
)  # fmt: skip


def _seed(url: str) -> tuple[str, dict[str, str]]:
    """The loop's flights and referrals, a departure (CA937 to London), the harbour's ship calls, a designation and a
    zone; an administrator (who sees every port's pages, the watchlists and every form)."""
    with unit_of_work(url) as session:
        world = build_loop(session)
        rossi = world.referrals["ROSSI"]
        voyage = get_voyage(session=session, voyage_id=rossi.voyage_id or 0)
        assert voyage is not None
        voyage.aircraft = "B77W"
        reason = "Lombardy and Veneto outbreaks; whole country designated"
        item = DesignationCreate(region_code="ITA", level="high", valid_from=date(2020, 3, 1), reason=reason)
        designate(session=session, item=item, actor="analyst")
        add_zone(session=session, item=ArrivalZoneCreate(airport="PEK", code="T3-D", name="T3-D"), actor="test")
        user, token = create_user(session=session, username="width-admin", role=Role.admin)
        voyage_id, traveller_id, referral_id = voyage.id, rossi.traveller_id, rossi.id
        departure = ingest_paxlst(session=session, message=parse_paxlst(DEPARTURE), raw=DEPARTURE, port="PEK",
                                  direction=EXIT).voyage_id  # fmt: skip
    calls = build_harbour(url)
    _watchlist(url)
    _violation(url)
    _hit(url, traveller_id=traveller_id)
    _overstays(url)
    return token, {
        "arrivals": "/console",
        "departures": "/console/departures",
        "departure": f"/console/departures/{departure}",
        "traveller": f"/console/travellers/{traveller_id}",
        "seats": f"/console/voyages/{voyage_id}/seats",
        "measures": "/console/measures",
        "referrals": "/console/referrals",
        "referral": f"/console/referrals/{referral_id}",
        "counter": "/console/counter",
        "vessels": "/console/vessels",
        "vessel": f"/console/vessels/{calls['jin_hai']}",
        "watchlists": "/console/watchlists",
        "watchlist": "/console/watchlists/NIA-EXIT",
        "violations": "/console/violations",
        "hits": "/console/hits",
        "overstays": "/console/overstays?on=2020-04-10",
    }


def _overstays(url: str) -> None:
    """Two foreigners past their stay with no exit: a long name on a visa, and a 144-hour transit at Pudong."""
    entries = [
        {"surname": "WOLFESCHLEGELSTEINHAUSENBERGERDORFF", "given_names": "HUBERT BLAINE MAXIMILIAN",
         "nationality": "DEU", "document_number": "C01X00T47XK9", "port": "PEK", "stay_basis": "residence_permit",
         "visa_type": "Z", "permit_until": "2020-03-01"},
        {"surname": "NGUYEN", "given_names": "VAN AN", "nationality": "VNM", "document_number": "B1234567",
         "port": "PVG", "stay_basis": "transit_144h"},
    ]  # fmt: skip
    with unit_of_work(url) as session:
        add_crossings(session=session, crossings=[
            CrossingCreate.model_validate(e | {"direction": "entry", "crossed_at": "2020-02-10T10:00:00+08:00"})
            for e in entries])  # fmt: skip


def _violation(url: str) -> None:
    """A smuggling case with two people and a long summary, recorded by an officer at national level."""
    item = ViolationCreate.model_validate({
        "type": "smuggling_goods", "port": "PEK", "occurred_at": "2020-03-16T03:10:00+08:00",
        "people": [{"surname": "ZHAO", "given_names": "LEI", "nationality": "CHN"},
                   {"surname": "QIAN", "given_names": "YU"}],
        "goods": {"kind": "cigarettes", "quantity": 40, "unit": "cartons"}, "disposition": "fine",
        "disposition_detail": "CNY 2,000", "summary": "未申报香烟，藏于两个行李箱夹层内；当事人承认携带用于转售。" * 3,
    })  # fmt: skip
    with unit_of_work(url) as session:
        user, _ = create_user(session=session, username="width-recorder", role=Role.officer)
        record_violation(session=session, item=item, user=user)


def _hit(url: str, *, traveller_id: int | None) -> None:
    """An open hit in the review queue, with its long legal basis and explanation."""
    basis = "出境入境管理法 第十二条（涉嫌刑事案件）" * 3
    names = [{"name": "ZHANG WEI"}, {"name": "张伟"}, {"name": "CHEUNG WAI"}]
    entry = {"key": "EB-001", "names": names, "birth_date": "1980-05-12", "legal_basis": basis, "authority": "公安部"}
    features = {"name": 1.0, "dob": "exact", "nationality": "agree", "document": "missing"}
    explanation = {"key": "JanG|wei ~ JanG|wei", "alias": "张伟", "spelling": "cantonese", "features": features}
    person = {"surname": "CHEUNG", "given_names": "WAI", "birth_date": "1980-05-12", "document_number": "E12345678"}
    with unit_of_work(url) as session:
        session.add(WatchlistHit(subject="width", status="open", direction="exit", port="PEK", person=person,
                                 traveller_id=traveller_id, watchlist="NIA-EXIT", kind="exit_ban", list_version=2,
                                 entry_key="EB-001", entry=entry, score=1.0, explanation=explanation))  # fmt: skip


def _watchlist(url: str) -> None:
    """Two versions of an exit-ban list: the second adds, removes and changes an entry (long legal bases in Chinese)."""
    for version in ("v1", "v2"):
        with unit_of_work(url) as session:
            read = read_entries((WATCHLISTS / f"exit_bans_{version}.csv").read_text(), form="csv")
            import_list(session=session, name="NIA-EXIT", kind=ListKind.exit_ban, read=read,
                        source=Source(name=f"exit_bans_{version}.csv", form="csv", actor="admin"))  # fmt: skip


@pytest.fixture
def console(sqlite_url: str) -> Iterator[tuple[str, str, dict[str, str]]]:
    token, pages = _seed(sqlite_url)
    try:
        with live_server(create_app(Settings(database_url=sqlite_url, port_of_entry="PEK"))) as base:
            yield base, token, pages
    finally:
        empty_registry(get_engine(sqlite_url))


def page_width(page: Page, *, shots: Path, name: str) -> int:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    return int(page.evaluate("document.documentElement.scrollWidth"))


def flagged_opened(page: Page, *, base: str) -> None:
    """The arrivals with each voyage's flagged travellers opened in place (the travellers' table)."""
    page.goto(f"{base}/console")
    for button in page.get_by_role("button", name="Flagged / 查看").all():
        button.click()
    expect(page.locator(".travellers table")).to_have_count(2)


def counter_check(page: Page, *, base: str) -> None:
    """A passport scanned at the counter: the check's own page."""
    page.goto(f"{base}/console/counter")
    page.check("input[name=kind][value=mrz]")
    page.fill("#data", ROSSI_MRZ)
    page.click("form.scan button[type=submit]")
    expect(page.locator("h1")).to_contain_text("ROSSI")


def departure_opened(page: Page, *, base: str) -> None:
    """The day's departures, then one departure's travellers."""
    page.goto(f"{base}/console/departures")
    expect(page.locator("table.departures")).to_contain_text("CA937")
    page.get_by_role("link", name="Travellers / 人员").click()
    expect(page.locator("h1")).to_contain_text("CA937")
    expect(page.locator("table.travellers tbody tr")).to_have_count(3)


def counter_exit(page: Page, *, base: str) -> None:
    """A passport scanned in the exit lane: the traveller on the departure, released or refused only."""
    page.goto(f"{base}/console/counter")
    page.select_option("#direction", "exit")
    page.check("input[name=kind][value=mrz]")
    page.fill("#data", BROWN_MRZ)
    page.click("form.scan button[type=submit]")
    expect(page.locator("h1")).to_contain_text("BROWN")
    expect(page.locator(".direction")).to_contain_text("Exit / 出境")
    expect(page.locator("button.decide")).to_have_count(2)


@pytest.mark.parametrize("width", [375, 1280])
def test_no_console_page_scrolls_sideways(console: tuple[str, str, dict[str, str]], browser: Browser, width: int,
                                          tmp_path: Path) -> None:  # fmt: skip
    base, token, pages = console
    page = browser.new_page(viewport={"width": width, "height": 800})
    sign_in(page, base=base, token=token)
    widths = {}
    for name, path in pages.items():
        answer = page.goto(f"{base}{path}")
        assert answer is not None and answer.ok and not page.url.endswith("/login"), name
        widths[name] = page_width(page, shots=tmp_path, name=f"{name}-{width}")
    actions = (("flagged", flagged_opened), ("counter-check", counter_check), ("departure-opened", departure_opened),
               ("counter-exit", counter_exit))  # fmt: skip
    for name, action in actions:
        action(page, base=base)
        widths[name] = page_width(page, shots=tmp_path, name=f"{name}-{width}")
    assert {name: wide for name, wide in widths.items() if wide > width} == {}
