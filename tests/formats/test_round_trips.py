"""What the writers write, the parsers read back the same: PAXLST, PNRGOV, EDIFACT segments, a passport's MRZ,
a boarding pass, an IMO number. Records are generated the way carriers fill them (names in the letters a
manifest may hold, real airports and states, dates a document can carry)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kouan.formats.bcbp import parse_bcbp
from kouan.formats.documents_write import boarding_pass, passport_mrz
from kouan.formats.edifact import format_segment, to_unoa, tokenise
from kouan.formats.imo import imo_check_digit, parse_imo
from kouan.formats.mrz import parse_mrz
from kouan.formats.paxlst import parse_paxlst, write_paxlst
from kouan.formats.pnr_records import Pnr, PnrDocument, PnrgovMessage, PnrLeg, PnrPassenger, PnrSeat, RecordLocator
from kouan.formats.pnrgov import parse_pnrgov, write_pnrgov
from kouan.formats.records import Document, Leg, PaxlstMessage, Person
from tests.formats.strategies import (
    LETTERS,
    ROUND_TRIP,
    TODAY,
    airports,
    carriers,
    codes,
    countries,
    future_dates,
    given_names,
    minutes,
    names,
    past_dates,
    seats,
    word,
)

pytestmark = pytest.mark.fuzz

maybe = st.none().__or__
addresses = st.text(alphabet=LETTERS + "0123456789 ,.-/'+:?", min_size=1, max_size=30).map(str.strip).filter(bool)

# --- PAXLST ------------------------------------------------------------------------------------------------------

documents = st.builds(
    Document,
    type=st.sampled_from(["P", "I", "V", "AC"]),
    number=codes,
    issuer=maybe(countries),
    expiry=maybe(future_dates),
    issued=maybe(past_dates),
)
persons = st.builds(
    Person,
    surname=names,
    given_names=names | st.just(""),
    role=st.sampled_from(["passenger", "crew", "in_transit"]),
    sex=maybe(st.sampled_from(["M", "F", "X"])),
    birth_date=maybe(past_dates),
    nationality=maybe(countries),
    documents=st.lists(documents, max_size=2).map(tuple),
    embarkation=maybe(airports),
    debarkation=maybe(airports),
    transit=maybe(airports),
    residence_country=maybe(countries),
    birth_place=maybe(names),
    seat=maybe(seats),
    booking_ref=maybe(codes),
    address=maybe(addresses),
)
legs = st.builds(
    lambda carrier, number, origin, destination, departure, arrival: Leg(
        origin, destination, departure, arrival, carrier=carrier, number=f"{carrier}{number}"
    ),
    carriers,
    st.integers(1, 9999),
    airports,
    airports,
    maybe(minutes),
    maybe(minutes),
)


@st.composite
def paxlst_messages(draw: st.DrawFn) -> PaxlstMessage:
    flight_legs = draw(st.lists(legs, min_size=1, max_size=3))
    reporting = draw(st.sampled_from(flight_legs))
    return PaxlstMessage(
        message_type=draw(st.sampled_from(["passengers", "crew"])),
        carrier=reporting.carrier,
        number=reporting.number,
        legs=flight_legs,
        travellers=draw(st.lists(persons, max_size=5)),
        declared_count=draw(maybe(st.integers(0, 999_999_999))),
        reference=draw(codes),
        sender=draw(codes),
        prepared_at=draw(minutes),
    )


@ROUND_TRIP
@given(paxlst_messages(), st.sampled_from(["D:02B", "D:05B", "D:12B"]))
def test_paxlst_written_reads_back_the_same(message: PaxlstMessage, version: str) -> None:
    parsed = parse_paxlst(write_paxlst(message, version=version), today=TODAY)
    assert (parsed.message_type, parsed.carrier, parsed.number) == (
        message.message_type,
        message.carrier,
        message.number,
    )
    assert parsed.legs == message.legs
    assert parsed.travellers == message.travellers
    assert (parsed.declared_count, parsed.reference, parsed.sender) == (
        message.declared_count,
        message.reference,
        message.sender,
    )
    assert (parsed.prepared_at, parsed.version) == (message.prepared_at, version)


# --- PNRGOV ------------------------------------------------------------------------------------------------------


def _pnr_leg(carrier: str, number: int, origin: str, destination: str, departure: object, arrival: object) -> PnrLeg:
    return PnrLeg(origin, destination, departure, arrival, carrier, str(number), (origin,), (destination,))  # type: ignore[arg-type]


pnr_legs = st.builds(_pnr_leg, carriers, st.integers(1, 9999), airports, airports, minutes, maybe(minutes))
pnr_documents = st.builds(
    PnrDocument,
    type=st.sampled_from(["P", "I", "V"]),
    number=codes,
    issuer=maybe(countries),
    expiry=maybe(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))),
    nationality=maybe(countries),
    birth_date=maybe(past_dates),
    sex=maybe(st.sampled_from(["M", "F", "U", "X"])),
    surname=maybe(names),
    given_names=maybe(given_names),
)


@st.composite
def pnr_passengers(draw: st.DrawFn, *, reference: int, itinerary: list[PnrLeg], flight: PnrLeg) -> PnrPassenger:
    documents = tuple(draw(st.lists(pnr_documents, max_size=2)))
    routes = [(leg.origin, leg.destination) for leg in itinerary]
    requests = tuple(
        PnrSeat(draw(seats), origin, destination, "request")
        for origin, destination in draw(st.lists(st.sampled_from(routes), max_size=2) if routes else st.just([]))
    )
    on_flight = [s.seat for s in requests if (s.origin, s.destination) == (flight.origin, flight.destination)]
    return PnrPassenger(
        surname=draw(names),
        given_names=draw(given_names | st.just("")),
        title=draw(maybe(st.sampled_from(["MR", "MRS", "MS", "DR"]))),
        type=draw(maybe(st.sampled_from(["A", "C", "IN"]))),
        reference=str(reference),
        sex=next((d.sex for d in documents if d.sex), None),
        birth_date=next((d.birth_date for d in documents if d.birth_date), None),
        nationality=next((d.nationality for d in documents if d.nationality), None),
        documents=documents,
        seat=on_flight[-1] if on_flight else None,
        seats=requests,
    )


@st.composite
def pnrs(draw: st.DrawFn, *, flight: PnrLeg) -> Pnr:
    itinerary = [flight, *draw(st.lists(pnr_legs, max_size=2))]
    itinerary = [
        PnrLeg(**{**leg.__dict__, "status": draw(maybe(st.just("HK"))), "passengers": draw(maybe(st.integers(1, 9)))})
        for leg in itinerary
    ]
    count = draw(st.integers(0, 3))
    passengers = [draw(pnr_passengers(reference=i + 1, itinerary=itinerary, flight=flight)) for i in range(count)]
    own = RecordLocator(flight.carrier, draw(codes), draw(maybe(minutes)))
    other = RecordLocator("1A", draw(codes.filter(lambda c: c != own.locator)))
    return Pnr(own.locator, (own, other), passengers=passengers, itinerary=itinerary)


@st.composite
def pnrgov_messages(draw: st.DrawFn) -> PnrgovMessage:
    flight = draw(pnr_legs)
    bookings = draw(st.lists(pnrs(flight=flight), min_size=1, max_size=3))
    version = draw(st.sampled_from(["10.1", "11.1", "13.1"]))
    return PnrgovMessage(flight, bookings, version, len(bookings), draw(codes), draw(codes), draw(minutes))


@ROUND_TRIP
@given(pnrgov_messages())
def test_pnrgov_written_reads_back_the_same(message: PnrgovMessage) -> None:
    parsed = parse_pnrgov(write_pnrgov(message), today=TODAY)
    assert parsed.flight == message.flight
    assert parsed.pnrs == message.pnrs
    assert (parsed.version, parsed.declared_count, parsed.reference, parsed.sender, parsed.prepared_at) == (
        message.version,
        message.declared_count,
        message.reference,
        message.sender,
        message.prepared_at,
    )


# --- EDIFACT segments --------------------------------------------------------------------------------------------

values = st.text(alphabet=LETTERS + "0123456789 .,-()/='+:?!\"%&*;<>", max_size=12)


@ROUND_TRIP
@given(word.map(lambda w: (w + "XXX")[:3]), st.lists(st.lists(values, min_size=1, max_size=4), min_size=1, max_size=5))
def test_a_segment_written_tokenises_to_its_elements(tag: str, elements: list[list[str]]) -> None:
    expected = [[to_unoa(v) for v in element] for element in elements]
    while expected and expected[-1] and not expected[-1][-1]:
        expected[-1].pop()
        if not expected[-1]:
            expected.pop()
    assume(all(element for element in expected))  # an element emptied in the middle is written empty, read ("",)
    (segment,) = tokenise("UNH+1+X'" + format_segment(tag, *[tuple(e) for e in elements])).segments[1:]
    assert segment.tag == tag
    assert [list(e) for e in segment.elements] == [_trimmed(e) for e in expected]


def _trimmed(element: list[str]) -> list[str]:
    while len(element) > 1 and not element[-1]:
        element = element[:-1]
    return element


# --- documents at the counter ------------------------------------------------------------------------------------

mrz_names = st.lists(word, min_size=1, max_size=2).map(" ".join)


@ROUND_TRIP
@given(
    surname=mrz_names,
    given=mrz_names,
    number=codes,
    nationality=countries,
    born=past_dates,
    sex=st.sampled_from(["M", "F"]),
    expiry=st.dates(min_value=TODAY - timedelta(days=365 * 20), max_value=date(2069, 12, 31)),
)
def test_a_passport_mrz_written_reads_back_valid_and_the_same(
    surname: str, given: str, number: str, nationality: str, born: date, sex: str, expiry: date
) -> None:
    assume(len(surname) + len(given) <= 37)  # 39 characters for the name, "<<" between
    lines = passport_mrz(
        surname=surname, given=given, number=number, nationality=nationality, born=born, sex=sex, expiry=expiry
    )
    read = parse_mrz(lines, today=TODAY)
    assert read.valid and read.errors == []
    assert (read.surname, read.given_names, read.document_number, read.nationality, read.issuer) == (
        surname,
        given,
        number,
        nationality,
        nationality,
    )
    assert (read.birth_date, read.sex, read.expiry_date) == (born, sex, expiry)


@ROUND_TRIP
@given(
    surname=word,
    given=given_names.filter(lambda n: len(n) <= 8),
    booking=codes.filter(lambda c: len(c) <= 7),
    origin=airports,
    destination=airports,
    carrier=carriers,
    flight=st.integers(1, 9999),
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    seat=seats,
    sequence=st.integers(1, 9999),
    cabin=st.sampled_from("FCWY"),
)
def test_a_boarding_pass_written_reads_back_the_same(
    surname: str, given: str, booking: str, origin: str, destination: str, carrier: str, flight: int, day: date,
    seat: str, sequence: int, cabin: str,
) -> None:  # fmt: skip
    assume(len(surname) + len(given) <= 19)
    leg_items = {"origin": origin, "destination": destination, "carrier": carrier, "flight": str(flight), "day": day}
    text = boarding_pass(
        surname=surname, given=given, booking=booking, seat=seat, sequence=sequence, cabin=cabin, **leg_items
    )
    read = parse_bcbp(text, reference=day)
    (leg,) = read.legs
    assert (read.surname, read.given_names, read.title, read.warnings) == (surname, given, None, ())
    assert (leg.booking_ref, leg.origin, leg.destination, leg.carrier, leg.flight) == (
        booking,
        origin,
        destination,
        carrier,
        str(flight),
    )
    assert (leg.date, leg.seat, leg.sequence, leg.cabin) == (day, seat, str(sequence), cabin)


@ROUND_TRIP
@given(st.text(alphabet="0123456789", min_size=6, max_size=6), st.sampled_from(["", "IMO ", "imo", "IMO NO. "]))
def test_an_imo_number_with_its_check_digit_reads_back(six: str, prefix: str) -> None:
    number = six + str(imo_check_digit(six))
    assert parse_imo(prefix + number) == number
