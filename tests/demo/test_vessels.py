"""The demo week of ship calls at Ma'anshan: declarations and crew lists that parse, with the planted cases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from kouan.demo.vessels import DemoCall, week_of_calls
from kouan.formats.fal import FalList, parse_fal
from kouan.formats.imo import parse_imo
from kouan.formats.mdh import MaritimeDeclaration, parse_mdh
from kouan.formats.mdh_fields import MdhPlace
from kouan.reference.ports import port

START = date(2020, 3, 9)
LOCAL = timezone(timedelta(hours=8))
PLANTED_WARNINGS = {"YONG SHENG CHEM": [("$.health_questions", "question 6 is not answered")]}
STRANGER = ("ASIA UNITY", "MAGSAYSAY, ERNESTO")

Parsed = tuple[DemoCall, MaritimeDeclaration, FalList]


@pytest.fixture(scope="module")
def week() -> list[DemoCall]:
    return week_of_calls()


@pytest.fixture(scope="module")
def parsed(week: list[DemoCall]) -> list[Parsed]:
    return [(call, parse_mdh(call.mdh_json), parse_fal(call.crew_csv)) for call in week]


def _by_ship(parsed: list[Parsed], ship: str) -> Parsed:
    return next(item for item in parsed if item[0].ship == ship)


def _listed(fal: FalList) -> set[str]:
    return {f"{person.surname}, {person.given_names}" for person in fal.persons}


def _places(mdh: MaritimeDeclaration) -> list[MdhPlace | None]:
    ship = mdh.ship
    places = [ship.submitted_at_port, ship.arriving_from, ship.sailing_to, ship.certificate_issued_at]
    places += [call.port for call in mdh.ports_of_call]
    places += [place for person in mdh.persons_joined for place in person.joined_from]
    return places + [case.joined_at for case in mdh.schedule]


def test_nine_calls_arrive_over_the_week_in_order(week: list[DemoCall]) -> None:
    assert 8 <= len(week) <= 10
    assert len({call.ship for call in week}) == len(week)
    assert all(call.eta.tzinfo is not None and call.eta.utcoffset() == timedelta(0) for call in week)
    assert [call.eta for call in week] == sorted(call.eta for call in week)
    window = (datetime(2020, 3, 9, tzinfo=UTC), datetime(2020, 3, 16, tzinfo=UTC))
    assert all(window[0] <= call.eta < window[1] for call in week)
    assert {call.eta.astimezone(LOCAL).date() for call in week} == {START + timedelta(days=n) for n in range(7)}


def test_every_call_parses_with_only_the_planted_warnings(parsed: list[Parsed]) -> None:
    for call, mdh, fal in parsed:
        found = [(warning.segment, warning.message) for warning in (*mdh.warnings, *fal.warnings)]
        assert found == PLANTED_WARNINGS.get(call.ship, []), call.ship
        assert fal.form == 5


def test_the_unanswered_question_is_the_planted_one(parsed: list[Parsed]) -> None:
    unanswered = {(call.ship, a.number) for call, mdh, _ in parsed for a in mdh.answers if a.answer is None}
    assert unanswered == {("YONG SHENG CHEM", 6)}


def test_imo_numbers_have_a_valid_check_digit_and_are_fictitious(parsed: list[Parsed]) -> None:
    for call, mdh, fal in parsed:
        assert parse_imo(call.imo) == call.imo == mdh.ship.imo == fal.ship.imo
        assert int(call.imo) < 5_000_000  # never issued to a ship
    assert len({call.imo for call, _, _ in parsed}) == len(parsed)


def test_every_locode_is_a_known_port(parsed: list[Parsed]) -> None:
    for call, mdh, fal in parsed:
        places = [place for place in _places(mdh) if place is not None and place.locode is not None]
        assert places and all(port(place.locode) is not None for place in places if place.locode), call.ship
        assert port(str(fal.ship.port)) is not None and port(str(fal.ship.last_port_of_call)) is not None


def test_declaration_and_crew_list_describe_the_same_call(parsed: list[Parsed]) -> None:
    for call, mdh, fal in parsed:
        arrival = call.eta.astimezone(LOCAL).date()
        assert mdh.ship.declaration_date == arrival - timedelta(days=1)
        assert fal.ship.date == arrival
        assert mdh.ship.submitted_at_port and mdh.ship.submitted_at_port.locode == fal.ship.port == "CNMAA"
        assert mdh.ship.arriving_from and mdh.ship.arriving_from.locode == fal.ship.last_port_of_call
        assert mdh.ship.name == fal.ship.name == call.ship
        assert mdh.ship.master == " ".join((fal.persons[0].surname, fal.persons[0].given_names))
        assert fal.persons[0].rank == "Master"


def test_ports_of_call_sail_in_order_within_thirty_days(parsed: list[Parsed]) -> None:
    for call, mdh, _ in parsed:
        departures = [c.departure for c in mdh.ports_of_call]
        declared = mdh.ship.declaration_date
        assert declared is not None and all(day is not None for day in departures)
        assert departures == sorted(departures), call.ship  # type: ignore[type-var]
        assert all(0 <= (declared - day).days <= 30 for day in departures if day is not None)


def test_crews_of_18_to_24_with_unique_documents(parsed: list[Parsed]) -> None:
    numbers = [person.document_number for _, _, fal in parsed for person in fal.persons]
    assert len(numbers) == len(set(numbers)) and None not in numbers
    for call, _, fal in parsed:
        assert 18 <= len(fal.persons) <= 24, call.ship
        assert all(p.nationality and p.birth_date and p.birth_place and p.document_type for p in fal.persons)
        assert {p.document_type for p in fal.persons} <= {"passport", "seafarer_id"}
        assert len(_listed(fal)) == len(fal.persons)


def test_persons_joined_are_on_the_crew_list_but_the_planted_stranger(parsed: list[Parsed]) -> None:
    strangers = {
        (call.ship, person.name)
        for call, mdh, fal in parsed
        for person in mdh.persons_joined
        if person.name not in _listed(fal)
    }
    assert strangers == {STRANGER}
    assert sum(bool(mdh.persons_joined) for _, mdh, _ in parsed) >= 4


def test_a_crew_change_at_busan_in_early_march(parsed: list[Parsed]) -> None:
    busan = [(call, mdh) for call, mdh, _ in parsed if any(p.locode == "KRPUS" for p in _places(mdh) if p)]
    call, mdh = busan[0]
    assert any(place.locode == "KRPUS" for person in mdh.persons_joined for place in person.joined_from)
    departure = next(c.departure for c in mdh.ports_of_call if c.port and c.port.locode == "KRPUS")
    assert departure is not None and date(2020, 3, 1) <= departure <= date(2020, 3, 7)
    assert mdh.ship.visited_affected_area is True and "Busan" in call.note


def test_fever_on_board_answers_question_4_with_its_case(parsed: list[Parsed]) -> None:
    fevers = [(call, mdh, fal) for call, mdh, fal in parsed if mdh.answers[3].answer]
    assert len(fevers) == 1
    call, mdh, fal = fevers[0]
    (case,) = mdh.schedule
    assert case.nature_of_illness and "fever" in case.nature_of_illness and "cough" in case.nature_of_illness
    assert case.onset == call.eta.astimezone(LOCAL).date() - timedelta(days=2)
    assert case.name in _listed(fal) and case.name in {person.name for person in mdh.persons_joined}
    assert "Q4" in call.note


def test_a_suspected_infectious_disease_answers_question_2(parsed: list[Parsed]) -> None:
    suspected = [(call, mdh, fal) for call, mdh, fal in parsed if mdh.answers[1].answer]
    assert len(suspected) == 1
    call, mdh, fal = suspected[0]
    assert len(mdh.schedule) == 1 and mdh.schedule[0].name in _listed(fal)
    assert mdh.answers[3].answer is False and "Q2" in call.note


def test_other_calls_answer_no_to_all_nine(parsed: list[Parsed]) -> None:
    plain = [mdh for _, mdh, _ in parsed if not mdh.schedule and all(a.answer is not None for a in mdh.answers)]
    assert len(plain) == len(parsed) - 3
    assert all(a.answer is False for mdh in plain for a in mdh.answers)


def test_one_declared_crew_count_differs_from_the_crew_list(parsed: list[Parsed]) -> None:
    mismatched = [(call.ship, mdh.ship.crew_on_board, len(fal.persons)) for call, mdh, fal in parsed]
    assert [item for item in mismatched if item[1] != item[2]] == [("MING YANG VENTURE", 22, 21)]


def test_notes_are_one_line_each(week: list[DemoCall]) -> None:
    assert all(call.note and "\n" not in call.note and "{" not in call.note for call in week)


def test_a_seed_always_gives_the_same_week() -> None:
    first, again, other = week_of_calls(seed=7), week_of_calls(seed=7), week_of_calls(seed=8)
    assert first == again
    assert [call.ship for call in first] != [] and {c.ship for c in first} == {c.ship for c in other}
    assert [call.crew_csv for call in first] != [call.crew_csv for call in other]


def test_another_week_and_port_move_every_date_and_box() -> None:
    later = week_of_calls(start=date(2020, 3, 16), port="CNWHI")
    assert all(date(2020, 3, 16) <= call.eta.astimezone(LOCAL).date() <= date(2020, 3, 22) for call in later)
    for call in later:
        mdh, fal = parse_mdh(call.mdh_json), parse_fal(call.crew_csv)
        assert mdh.ship.sailing_to and mdh.ship.sailing_to.locode == fal.ship.port == "CNWHI"
        assert [w.message for w in mdh.warnings + fal.warnings] == [m for _, m in PLANTED_WARNINGS.get(call.ship, [])]
