"""PNRGOV data quirks: title variants, two-digit years, SSR DOCS wrapped or missing parts, TVL date forms and
empty dates, city codes, non-air segments, booking-level SSRs, wrong counts, a push sent in parts."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kouan.formats.pnr_records import OtherSegment, PnrDocument, PnrPassenger
from kouan.formats.pnrgov import parse_pnrgov
from tests.formats.test_pnrgov import MARCO, MULTI, TODAY, messages, parse

MARCO_TIF = "TIF+ROSSI+MARCO MR:A:1'\nREF"
MARCO_DOCS = "/P/ITA/YA4417265/ITA/14APR78/M/02NOV28/ROSSI/MARCO'"


def marco(text: str) -> PnrPassenger:
    return parse(text).pnrs[0].passengers[0]


@pytest.mark.parametrize(
    "tif, given, title",
    [
        ("MARCO MR", "MARCO", "MR"),
        ("MARCOMR", "MARCO", "MR"),
        ("MR MARCO", "MARCO", "MR"),
        ("MARCO", "MARCO", None),
        ("MARCO LUCA DR", "MARCO LUCA", "DR"),
        ("MARCO:MR", "MARCO", "MR"),
        ("MISS", "", "MISS"),
    ],
)
def test_title_variants_come_off_the_given_names(tif: str, given: str, title: str | None) -> None:
    text = MULTI.replace(MARCO_TIF, f"TIF+ROSSI+{tif}{'' if ':' in tif else ':A'}:1'\nREF")
    assert (marco(text).given_names, marco(text).title) == (given, title)


def test_several_travellers_in_one_tif() -> None:
    text = MULTI.replace("TIF+KHAN+AHMED MR:A:1'", "TIF+KHAN+AHMED MR:A:1+SARA MRS:A:2'")
    assert [(p.surname, p.given_names, p.reference) for p in parse(text).pnrs[2].passengers] == [
        ("KHAN", "AHMED", "1"),
        ("KHAN", "SARA", "2"),
    ]


@pytest.mark.parametrize(
    "raw, today, born",
    [
        ("14APR78", TODAY, date(1978, 4, 14)),
        ("01JUN24", date(2024, 6, 1), date(2024, 6, 1)),
        ("02JUN24", date(2024, 6, 1), date(1924, 6, 2)),
        ("10MAR05", date(2024, 6, 1), date(2005, 3, 10)),
        ("10MAR1905", date(2024, 6, 1), date(1905, 3, 10)),
    ],
)
def test_two_digit_birth_years_are_never_in_the_future(raw: str, today: date, born: date) -> None:
    text = MULTI.replace("/ITA/14APR78/", f"/ITA/{raw}/")
    assert parse_pnrgov(text, today=today).pnrs[0].passengers[0].birth_date == born


@pytest.mark.parametrize("raw, expiry", [("02NOV28", date(2028, 11, 2)), ("31DEC99", date(2099, 12, 31))])
def test_two_digit_expiry_years_are_this_century(raw: str, expiry: date) -> None:
    assert marco(MULTI.replace("/M/02NOV28/", f"/M/{raw}/")).documents[0].expiry == expiry


@pytest.mark.parametrize(
    "docs, warnings",
    [
        ("/P/ITA/YA4417265/ITA/14APR78/M/02NOV28/RO:SSI/MARCO'", []),
        ("/P/ITA/YA4417265/ITA/14APR78/M/02NOV28/RO'\nSSR+DOCS:HK:1:EK:::::SSI/MARCO'", ["continued"]),
        ("/P/ITA/YA4417265/ITA/14APR78/M/02NOV28'\nSSR+DOCS:HK:1:EK:::::/ROSSI/MARCO'", ["continued"]),
        ("/P/ITA/YA4417265/ITA/14APR78/M/02NOV28/ROSSI/MA'\nSSR+DOCS:HK:1:EK:::::RCO'", ["continued"]),
    ],
    ids=["over components", "over segments", "wrapped at a slash", "given names wrapped"],
)
def test_docs_continued_over_a_wrap_is_joined(docs: str, warnings: list[str]) -> None:
    message = parse(MULTI.replace(MARCO_DOCS, docs).replace("UNT+62", "UNT+63" if "\n" in docs else "UNT+62"))
    assert message.pnrs[0].passengers[0] == MARCO
    assert [m.split(" (")[0] for _, m in messages(message)] == [f"SSR DOCS free text {w} from SSR" for w in warnings]


def test_docs_with_missing_parts_keeps_the_parts_it_has() -> None:
    message = parse(MULTI.replace(MARCO_DOCS, "/P/ITA/YA4417265/ITA'"))
    assert marco(MULTI.replace(MARCO_DOCS, "/P/ITA/YA4417265/ITA'")).documents == (
        PnrDocument("P", "YA4417265", "ITA", None, nationality="ITA"),
    )
    assert messages(message) == [("SSR (segment 15)", "SSR DOCS has 4 of its 9 fields; the rest are unknown")]


def test_a_second_document_is_not_taken_for_a_wrap() -> None:
    visa = "SSR+DOCS:HK:1:EK:::::/I/ITA/CA12345XY/ITA/14APR78/M/01JAN30/ROSSI/MARCO'"
    message = parse(MULTI.replace(MARCO_DOCS, "/P/ITA/YA4417265'\n" + visa).replace("UNT+62", "UNT+63"))
    assert [(d.type, d.number) for d in message.pnrs[0].passengers[0].documents] == [
        ("P", "YA4417265"),
        ("I", "CA12345XY"),
    ]


@pytest.mark.parametrize(
    "dates, departure, arrival",
    [
        ("190320:2135:200320:0610", datetime(2020, 3, 19, 21, 35), datetime(2020, 3, 20, 6, 10)),
        ("190320:2135::2350", datetime(2020, 3, 19, 21, 35), datetime(2020, 3, 19, 23, 50)),
        ("190320:2135:2350", datetime(2020, 3, 19, 21, 35), datetime(2020, 3, 19, 23, 50)),
        ("190320:2135", datetime(2020, 3, 19, 21, 35), None),
        ("190320", datetime(2020, 3, 19), None),
    ],
)
def test_tvl_date_and_time_forms(dates: str, departure: datetime, arrival: datetime | None) -> None:
    first = parse(MULTI.replace("TVL+190320:2135:200320:0610+MXP", f"TVL+{dates}+MXP", 1)).pnrs[0].itinerary[0]
    assert (first.departure, first.arrival) == (departure, arrival)


@pytest.mark.parametrize("dates", ["", ":", " : : : "])
def test_empty_tvl_date_is_unknown_with_a_warning(dates: str) -> None:
    message = parse(MULTI.replace("TVL+190320:2135:200320:0610+MXP", f"TVL+{dates}+MXP", 1))
    assert message.pnrs[0].itinerary[0].departure is None
    assert messages(message) == [("TVL (segment 21)", "TVL without a departure date")]


def test_unreadable_tvl_date_is_unknown_with_a_warning() -> None:
    message = parse(MULTI.replace("TVL+190320:2135:200320:0610+MXP", "TVL+321320:2135:200320:0610+MXP", 1))
    assert message.pnrs[0].itinerary[0].departure is None
    assert messages(message) == [("TVL (segment 21)", "unreadable TVL date '321320:2135'")]


@pytest.mark.parametrize(
    "city, name, airports",
    [
        ("MIL", "Milan", ("MXP", "LIN", "BGY")),
        ("LON", "London", ("LHR", "LGW", "STN", "LTN", "LCY", "SEN")),
        ("NYC", "New York", ("JFK", "LGA", "EWR")),
    ],
)
def test_tvl_with_a_city_code_lists_its_airports(city: str, name: str, airports: tuple[str, ...]) -> None:
    message = parse(MULTI.replace("+MXP+DXB+EK+92:Y'\nRPI+2+HK'\nAPD", f"+{city}+DXB+EK+92:Y'\nRPI+2+HK'\nAPD"))
    first = message.pnrs[0].itinerary[0]
    assert (first.origin, first.origin_airports) == (city, airports)
    assert messages(message) == [("TVL (segment 21)", f"{city} is a city code ({name}): airports {' '.join(airports)}")]


def test_unknown_place_code_has_no_airports_and_a_warning() -> None:
    message = parse(MULTI.replace("+MXP+DXB+EK+92:Y'\nRPI+2+HK'\nAPD", "+QQQ+DXB+EK+92:Y'\nRPI+2+HK'\nAPD"))
    assert message.pnrs[0].itinerary[0].origin_airports == ()
    assert messages(message) == [("TVL (segment 21)", "unknown airport or city code 'QQQ'")]


def test_non_air_tvl_in_the_itinerary_is_kept_apart() -> None:
    car = "TVL+200320:2200:230320:1000+PEK++CAR+ZI:ICAR'"
    message = parse(MULTI.replace("SSR+SEAT:HK:1:EK:::DXB:PEK+12A::1'", car))
    wang = message.pnrs[1]
    assert [(leg.origin, leg.destination) for leg in wang.itinerary] == [("DXB", "PEK")]
    assert wang.other_segments[0] == OtherSegment(
        "car",
        "PEK",
        start=datetime(2020, 3, 20, 22, 0),
        end=datetime(2020, 3, 23, 10, 0),
        provider="CAR",
        details=("ZI", "ICAR"),
    )
    assert messages(message) == [("TVL (segment 53)", "TVL is not a flight; kept as a non-air segment")]


@pytest.mark.parametrize("code, kind", [("8", "hotel"), ("9", "car"), ("6", "rail"), ("32", "other")])
def test_non_air_group_kind_comes_from_msg(code: str, kind: str) -> None:
    assert parse(MULTI.replace("MSG+8'", f"MSG+{code}'")).pnrs[1].other_segments[0].kind == kind


def test_booking_level_docs_without_reference_finds_its_traveller_by_surname() -> None:
    text = MULTI.replace("TIF+KHAN+AHMED MR:A:1'", "TIF+PATEL+RAJ MR:A:1'\nTIF+KHAN+AHMED MR:A:2'").replace(
        "/KHAN/AHMED+::1'", "/KHAN/AHMED'"
    )
    patel, khan = parse(text).pnrs[2].passengers
    assert (patel.documents, khan.documents[0].number) == ((), "533401987")


def test_seat_for_an_unknown_traveller_is_ignored_with_a_warning() -> None:
    message = parse(MULTI.replace("+52J::1+52K::2'", "+52J::1+52K::7'"))
    assert messages(message) == [("SSR (segment 28)", "SSR SEAT 52K for no known traveller (7); ignored")]


def test_msg_function_other_than_a_push_is_read_with_a_warning() -> None:
    message = parse(MULTI.replace("MSG+:22'", "MSG+:77'"))
    assert message.pnrs == parse(MULTI).pnrs
    assert messages(message) == [
        ("MSG (segment 5)", "MSG function '77' is not a PNR push (22, or 141 for changed PNRs); read anyway")
    ]


@pytest.mark.parametrize(
    "eqn, declared, warning",
    [("EQN+4", 4, "EQN says 4 PNRs, the message has 3"), ("EQN+x", None, "malformed PNR count 'x'")],
)
def test_wrong_pnr_count_is_kept_with_a_warning(eqn: str, declared: int | None, warning: str) -> None:
    message = parse(MULTI.replace("EQN+3", eqn))
    assert (message.declared_count, len(message.pnrs)) == (declared, 3)
    assert messages(message) == [("EQN (segment 8)", warning)]


def test_missing_header_flight_is_read_with_a_warning() -> None:
    message = parse(MULTI.replace("TVL+200320:1020:200320:2150+DXB+PEK+EK+308'\nEQN", "EQN"))
    assert (message.flight, message.pnrs[0].passengers[0].seat, message.pnrs[0].booking_ref) == (None, None, "QX4T7B")
    assert ("UNH (segment 4)", "no TVL before the first SRC: the flight the message is for is unknown") in messages(
        message
    )


def test_parts_of_one_push_are_joined() -> None:
    head, rest = MULTI.split("UNH+", 1)
    part = "UNH+" + rest.split("UNE+", 1)[0]
    second = part.replace("EK0308A", "EK0308B").replace("QX4T7B", "QX4T7C")
    message = parse(head + part + second + "UNE+2+EK308200320'\nUNZ+1+EK308200320'\n")
    assert [p.booking_ref for p in message.pnrs] == ["QX4T7B", "R2D8KQ", "T8LMV3", "QX4T7C", "R2D8KQ", "T8LMV3"]
    assert (message.declared_count, message.warnings) == (6, [])


def test_seat_request_naming_its_travellers_in_a_traveller_group_goes_to_each() -> None:
    mxp = "SSR+SEAT:HK:2:EK:::MXP:DXB+41A::1+41B::2'"
    text = MULTI.replace(mxp + "\n", "").replace(MARCO_DOCS, MARCO_DOCS + "\n" + mxp)
    assert [p.seats for p in parse(text).pnrs[0].passengers] == [p.seats for p in parse(MULTI).pnrs[0].passengers]


@pytest.mark.parametrize(
    "check_in",
    [
        "TRI++2:::2'\nTIF+ROSSI+MARCO MR:A:9'\n",  # the name decides when the numbers disagree
        "TRI++1:::1'\n",  # no TIF: the TRI's traveller reference
    ],
    ids=["by name", "by reference"],
)
def test_check_in_seat_finds_its_traveller(check_in: str) -> None:
    text = MULTI.replace("TRI++1:::1'\nTIF+ROSSI+MARCO MR:A:1'\n", check_in)
    assert [(p.given_names, p.seat) for p in parse(text).pnrs[0].passengers] == [("MARCO", "53J"), ("GIULIA", "53K")]


def test_no_seat_placeholder_leaves_the_requested_seat() -> None:
    message = parse(MULTI.replace("SSD+53J", "SSD+XXX"))
    assert (message.pnrs[0].passengers[0].seat, message.warnings) == ("52J", [])
