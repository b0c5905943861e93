"""The seat map in the console, through the ASGI app (on SQLite and PostgreSQL): the aircraft drawn row by row and
cabin by cabin, a case traced by seat with the case, its close contacts and the general contacts marked, the list of
contacts with their rows and referrals, errors kept next to their field, and who may trace."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kouan.api.deps import COOKIE
from kouan.app import create_app
from kouan.db import unit_of_work
from kouan.formats.paxlst import parse_paxlst
from kouan.screening.service import screen_voyage
from kouan.settings import Settings
from kouan.travel.registry.models import Traveller
from kouan.travel.registry.queries import current_travellers, get_voyage
from kouan.travel.registry.service import ingest_paxlst
from kouan.users.models import Role
from kouan.users.service import create_user
from kouan.web.contacts_views import aisle_blocks, index_seats
from tests.support.messages import crew_list, passenger_list

NAMES = [f"PASSENGER{n}:ANNA" for n in range(10)]  # seated 10A, 11A ... 19A, one row each
LEGS = [("FCO", "PEK", "2003141830")]
SEAT = re.compile(r'<span class="seat seat-(\w+)" data-seat="(\w+)"')


def build_flight(url: str, *, aircraft: str | None = None, seats: dict[str, str] | None = None) -> int:
    """CA940 from Rome into PEK: ten passengers (10A ... 19A unless ``seats`` moves them) and two cabin crew."""
    filed = 0
    for raw in (passenger_list(names=NAMES, legs=LEGS), crew_list(names=["CREW:ONE", "CREW:TWO"], legs=LEGS)):
        with unit_of_work(url) as session:
            filed = ingest_paxlst(session=session, message=parse_paxlst(raw), raw=raw, port="PEK").voyage_id
            voyage = get_voyage(session=session, voyage_id=filed)
            assert voyage is not None
            screen_voyage(session=session, voyage=voyage)
    with unit_of_work(url) as session:
        _reseat(current_travellers(session=session, voyage_id=filed), seats or {})
        voyage = get_voyage(session=session, voyage_id=filed)
        assert voyage is not None
        voyage.aircraft = aircraft
    return filed


def _reseat(travellers: list[Traveller], seats: dict[str, str]) -> None:
    for traveller in travellers:
        traveller.seat = seats.get(traveller.seat or "", traveller.seat)


def signed_in(url: str, *, username: str, role: Role = Role.officer) -> TestClient:
    with unit_of_work(url) as session:
        _, token = create_user(session=session, username=username, role=role)
    client = TestClient(create_app(Settings(database_url=url, port_of_entry="PEK")))
    client.cookies.set(COOKIE, token)
    return client


@pytest.fixture
def officer(database_url: str) -> Iterator[TestClient]:
    with signed_in(database_url, username="seat-officer") as client:
        yield client


def seats_of(html: str) -> dict[str, str]:
    """Each drawn seat → its state (index, close, general, occupied, empty)."""
    return {seat: state for state, seat in SEAT.findall(html)}


def rows_of(html: str) -> list[int]:
    return [int(row) for row in re.findall(r'class="seat-row" data-row="(\d+)"', html)]


def test_without_an_aircraft_type_the_map_is_inferred_from_the_seats_and_says_so(database_url, officer) -> None:  # type: ignore[no-untyped-def]
    voyage_id = build_flight(database_url)
    page = officer.get(f"/console/voyages/{voyage_id}/seats")
    assert page.status_code == 200
    assert rows_of(page.text) == list(range(10, 20))
    assert set(seats_of(page.text).values()) == {"occupied"}
    assert "No aircraft type on this voyage: layout inferred from the seats" in page.text
    assert "Occupied / 有人" in page.text and "No contact trace on this voyage yet" in page.text


def test_tracing_a_seat_marks_the_case_its_close_contacts_and_the_rest(database_url, officer) -> None:  # type: ignore[no-untyped-def]
    voyage_id = build_flight(database_url)
    answer = officer.post(f"/console/voyages/{voyage_id}/seats", data={"seats": "15a", "rule": "", "refer": "on"},
                          follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303 and answer.headers["location"] == f"/console/voyages/{voyage_id}/seats"
    page = officer.get(answer.headers["location"]).text
    states = seats_of(page)
    assert states["15A"] == "index"
    assert {seat for seat, state in states.items() if state == "close"} == {"12A", "13A", "14A", "16A", "17A", "18A"}
    assert {seat for seat, state in states.items() if state == "general"} == {"10A", "11A", "19A"}
    for label in ("Index case / 病例", "Close contact / 密切接触者", "General contact / 一般接触者", "Empty / 空座"):
        assert f'">{label}</span>' in page  # the legend says in words what each mark means
    assert '<dd class="general-count">3</dd>' in page and "cn-2020-aircraft" in page


def test_the_list_gives_each_contact_with_rows_reason_and_referral(database_url, officer) -> None:  # type: ignore[no-untyped-def]
    voyage_id = build_flight(database_url)
    officer.post(f"/console/voyages/{voyage_id}/seats", data={"seats": "15A", "refer": "on"})
    page = officer.get(f"/console/voyages/{voyage_id}/seats").text
    close = page.split('class="contact-list close-contacts"')[1].split("</ul>")[0]
    entry = close.split('data-seat="12A"')[1].split("</li>")[0]
    assert "PASSENGER2, ANNA" in entry and "3 rows from the index / 距病例 3 排" in entry
    assert re.search(r'href="/console/referrals/\d+"', entry)
    crew = page.split('class="contact-list crew-contacts"')[1].split("</ul>")[0]
    assert crew.count('class="contact crew"') == 2 and "CREW, ONE" in crew
    tooltip = re.search(r'data-seat="12A" title="([^"]*)"', page)
    assert tooltip and "PASSENGER2, ANNA" in tooltip.group(1) and "3 rows from the index" in tooltip.group(1)


def test_without_referring_the_contacts_have_no_referral_link(database_url, officer) -> None:  # type: ignore[no-untyped-def]
    voyage_id = build_flight(database_url)
    officer.post(f"/console/voyages/{voyage_id}/seats", data={"seats": "15A"})  # the box unticked
    page = officer.get(f"/console/voyages/{voyage_id}/seats").text
    assert seats_of(page)["15A"] == "index" and "/console/referrals/" not in page.split("<main>")[1]


def test_a_known_aircraft_is_drawn_cabin_by_cabin_with_its_aisles(database_url, officer) -> None:  # type: ignore[no-untyped-def]
    voyage_id = build_flight(database_url, aircraft="A333", seats={f"{10 + n}A": f"{31 + n}C" for n in range(10)})
    page = officer.get(f"/console/voyages/{voyage_id}/seats").text
    assert rows_of(page) == [*range(11, 16), *range(31, 61)]
    assert "Business / 公务舱" in page and "Economy / 经济舱" in page and "layout inferred" not in page
    row = page.split('data-row="31"')[1].split("</div>")[0]
    assert row.count('class="seat ') == 8 and row.count('class="aisle"') == 2  # AC DEFG HK
    assert seats_of(page)["31C"] == "occupied" and seats_of(page)["31A"] == "empty"


def test_two_decks_are_drawn_each_under_its_name(database_url, officer) -> None:  # type: ignore[no-untyped-def]
    voyage_id = build_flight(database_url, aircraft="A388")
    page = officer.get(f"/console/voyages/{voyage_id}/seats").text
    assert page.index("Upper deck / 上舱") < page.index("First / 头等舱") < page.index("Main deck / 主舱")
    assert seats_of(page)["12A"] == "occupied" and seats_of(page)["50K"] == "empty"


@pytest.mark.parametrize(
    ("letters", "blocks"),
    [("ABCDEFGHJK", ["ABC", "DEFG", "HJK"]), ("ACDEFGHK", ["AC", "DEFG", "HK"]), ("ABCDEF", ["ABC", "DEF"]),
     ("ADGK", ["A", "DG", "K"]), ("AEFK", ["A", "EF", "K"]), ("A", ["A"])],
)  # fmt: skip
def test_the_aisles_fall_where_the_letters_jump(letters: str, blocks: list[str]) -> None:
    assert aisle_blocks(letters) == blocks


def test_seats_may_be_typed_with_commas_or_spaces() -> None:
    assert index_seats(" 18C, 31A  40k;2B ") == ["18C", "31A", "40k", "2B"]


@pytest.mark.parametrize("typed", ["40K", "ZZ9", "  "])
def test_a_seat_nobody_holds_is_said_next_to_the_field_and_kept(database_url, officer, typed) -> None:  # type: ignore[no-untyped-def]
    voyage_id = build_flight(database_url)
    answer = officer.post(f"/console/voyages/{voyage_id}/seats", data={"seats": typed, "refer": "on"})
    assert answer.status_code == 422
    assert re.search(r'data-field="seats" role="alert">Check the seats / 请检查座位: ', answer.text)
    assert f'name="seats" maxlength="400" placeholder="18C, 31A" value="{typed}"' in answer.text
    assert "No contact trace on this voyage yet" in answer.text  # nothing was traced


def test_an_unknown_rule_is_said_next_to_the_rule(database_url, officer) -> None:  # type: ignore[no-untyped-def]
    voyage_id = build_flight(database_url)
    answer = officer.post(f"/console/voyages/{voyage_id}/seats", data={"seats": "15A", "rule": "no-such-rule"})
    assert answer.status_code == 422 and 'data-field="rule"' in answer.text and "no-such-rule" in answer.text
    assert 'value="15A"' in answer.text


def test_the_rules_offered_are_those_in_force_on_arrival_the_usual_first(database_url, officer) -> None:  # type: ignore[no-untyped-def]
    voyage_id = build_flight(database_url)
    page = officer.get(f"/console/voyages/{voyage_id}/seats").text
    options = re.findall(r'<option value="([^"]+)"', page)
    assert options[0] == "cn-2020-aircraft" and "rows-2" in options and "in force on 2020-03-14" in page


def test_an_older_trace_is_shown_by_its_id(database_url, officer) -> None:  # type: ignore[no-untyped-def]
    voyage_id = build_flight(database_url)
    officer.post(f"/console/voyages/{voyage_id}/seats", data={"seats": "11A", "rule": "rows-2"})
    officer.post(f"/console/voyages/{voyage_id}/seats", data={"seats": "18A", "rule": "rows-2"})
    latest = officer.get(f"/console/voyages/{voyage_id}/seats").text
    assert seats_of(latest)["18A"] == "index" and seats_of(latest)["11A"] == "general"
    first = re.findall(rf'href="/console/voyages/{voyage_id}/seats\?trace=(\d+)"', latest)
    older = officer.get(f"/console/voyages/{voyage_id}/seats?trace={first[0]}").text
    assert seats_of(older)["11A"] == "index" and seats_of(older)["18A"] == "general"
    assert officer.get(f"/console/voyages/{voyage_id}/seats?trace=987654").status_code == 404


def test_an_analyst_sees_the_map_but_may_not_trace(database_url) -> None:  # type: ignore[no-untyped-def]
    voyage_id = build_flight(database_url)
    with signed_in(database_url, username="seat-analyst", role=Role.analyst) as analyst:
        page = analyst.get(f"/console/voyages/{voyage_id}/seats")
        assert page.status_code == 200 and 'class="trace-form"' not in page.text
        refused = analyst.post(f"/console/voyages/{voyage_id}/seats", data={"seats": "15A"})
        assert refused.status_code == 403 and "Not permitted / 无权操作" in refused.text
        assert "index" not in seats_of(analyst.get(f"/console/voyages/{voyage_id}/seats").text).values()


def test_signed_out_goes_to_login_and_an_unknown_voyage_is_404(database_url, officer) -> None:  # type: ignore[no-untyped-def]
    voyage_id = build_flight(database_url)
    with TestClient(create_app(Settings(database_url=database_url, port_of_entry="PEK"))) as anonymous:
        answer = anonymous.get(f"/console/voyages/{voyage_id}/seats", follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert officer.get("/console/voyages/424242/seats").status_code == 404


def test_the_voyage_in_the_arrivals_list_links_to_its_seat_map(database_url, officer) -> None:  # type: ignore[no-untyped-def]
    voyage_id = build_flight(database_url)
    fragment = officer.get(f"/console/voyages/{voyage_id}").text
    assert f'href="/console/voyages/{voyage_id}/seats">Seat map / 座位图</a>' in fragment
