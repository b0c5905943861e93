"""One person across sources, on SQLite and PostgreSQL: the booking, our exit record and the declaration join the
manifest's traveller, whichever arrives first, and screening names the source of each stay."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from kouan.formats.paxlst import parse_paxlst
from kouan.formats.pnrgov import parse_pnrgov
from kouan.screening.service import screen_voyage
from kouan.travel.journey.schemas import DeclarationCreate, DeclaredPlace
from kouan.travel.journey.service import add_crossings, add_declarations, ingest_pnrgov
from kouan.travel.registry.queries import current_travellers, get_voyage
from kouan.travel.registry.service import ingest_paxlst
from tests.support.messages import document_number, passenger_list, pnr_push, rossi_crossing

ROSSI_PASSPORT = document_number("ROSSI:MARIO")

DUBAI_LEG = ("DXB", "PEK", "2003200340")
MANIFEST = passenger_list(names=["ROSSI:MARIO", "BIANCHI:ANNA"], legs=[DUBAI_LEG], carrier="EK", number="EK308")
BOOKING = pnr_push(
    booking_ref="ABC123",
    people=["ROSSI:MARIO"],
    legs=[("EK", "92", "MXP", "DXB", "2003191030"), ("EK", "308", "DXB", "PEK", "2003200340")],
    documents=[ROSSI_PASSPORT],
)


def file_manifest(session: Session) -> int:
    return ingest_paxlst(session=session, message=parse_paxlst(MANIFEST), raw=MANIFEST, port="PEK").voyage_id


def file_booking(session: Session, raw: str = BOOKING):
    return ingest_pnrgov(session=session, message=parse_pnrgov(raw), raw=raw, port="PEK")


def stays_of(session: Session, voyage_id: int, surname: str) -> list[tuple[str, str | None, str]]:
    person = next(t for t in current_travellers(session=session, voyage_id=voyage_id) if t.surname == surname)
    return sorted((s.source, s.place, s.region_code) for s in person.stays)


def screened(session: Session, voyage_id: int, surname: str):
    voyage = get_voyage(session=session, voyage_id=voyage_id)
    assert voyage is not None
    return next(r for r in screen_voyage(session=session, voyage=voyage).results if r.surname == surname)


def test_a_booking_after_the_manifest_adds_milan_and_raises_the_level(session: Session) -> None:
    voyage_id = file_manifest(session)
    assert screened(session, voyage_id, "ROSSI").level != "high"
    result = file_booking(session)
    assert (result.created, result.voyage_id, result.bookings) == (True, voyage_id, ["ABC123"])
    assert ("pnr-origin", "MXP", "ITA") in stays_of(session, voyage_id, "ROSSI")
    rossi = screened(session, voyage_id, "ROSSI")
    assert rossi.level == "high"
    assert rossi.reasons[0].source == "pnr-origin" and "PNR ABC123" in rossi.reasons[0].text
    assert all(s[0].startswith("manifest") for s in stays_of(session, voyage_id, "BIANCHI"))


def test_a_booking_before_the_manifest_is_linked_when_the_manifest_comes(session: Session) -> None:
    assert file_booking(session).voyage_id is None
    voyage_id = file_manifest(session)
    assert ("pnr-transit", "DXB", "ARE") in stays_of(session, voyage_id, "ROSSI")


def test_the_same_push_twice_is_filed_once(session: Session) -> None:
    file_manifest(session)
    first, again = file_booking(session), file_booking(session)
    assert (first.created, again.created, again.message_id) == (True, False, first.message_id)


def test_an_open_exit_record_is_a_stay_abroad_since_that_day(session: Session) -> None:
    add_crossings(
        session=session, crossings=[rossi_crossing(direction="exit", when="2020-02-20T09:00:00+08:00", country="ITA")]
    )
    voyage_id = file_manifest(session)
    assert ("exit-record", None, "ITA") in stays_of(session, voyage_id, "ROSSI")
    reason = screened(session, voyage_id, "ROSSI").reasons[0]
    assert reason.source == "exit-record" and "since 2020-02-20" in reason.text


def test_an_exit_followed_by_an_entry_is_no_longer_open(session: Session) -> None:
    add_crossings(
        session=session,
        crossings=[
            rossi_crossing(direction="exit", when="2020-02-20T09:00:00+08:00", country="ITA"),
            rossi_crossing(direction="entry", when="2020-03-01T09:00:00+08:00", country="ITA"),
        ],
    )
    voyage_id = file_manifest(session)
    assert not any(s[0] == "exit-record" for s in stays_of(session, voyage_id, "ROSSI"))


def test_a_declaration_that_leaves_out_italy_is_a_finding(session: Session) -> None:
    voyage_id = file_manifest(session)
    file_booking(session)
    ids, voyages = add_declarations(session=session, declarations=[_declaration(["ARE"])], port="PEK")
    assert len(ids) == 1 and [v.id for v in voyages] == [voyage_id]
    rossi = screened(session, voyage_id, "ROSSI")
    assert [f.region for f in rossi.findings] == ["ITA"]
    assert any("如实" in a or "declaration" in a for a in rossi.actions)


def test_a_truthful_declaration_is_no_finding_and_its_places_are_stays(session: Session) -> None:
    voyage_id = file_manifest(session)
    file_booking(session)
    add_declarations(session=session, declarations=[_declaration(["ITA", "ARE"])], port="PEK")
    assert ("declaration", None, "ITA") in stays_of(session, voyage_id, "ROSSI")
    assert screened(session, voyage_id, "ROSSI").findings == []


def _declaration(countries: list[str]) -> DeclarationCreate:
    return DeclarationCreate(
        surname="ROSSI",
        given_names="MARIO",
        birth_date=date(1970, 1, 1),
        nationality="ITA",
        document_number=ROSSI_PASSPORT,
        flight="EK308",
        flight_date=date(2020, 3, 20),
        places=[DeclaredPlace(country=c, date_from=date(2020, 3, 10), date_to=date(2020, 3, 19)) for c in countries],
    )


def test_the_same_person_on_an_earlier_flight_brings_that_flights_stays(session: Session) -> None:
    earlier = passenger_list(names=["ROSSI:MARIO"], legs=[("FCO", "PEK", "2003101830")], carrier="CA", number="CA940")
    ingest_paxlst(session=session, message=parse_paxlst(earlier), raw=earlier, port="PEK")
    voyage_id = file_manifest(session)
    assert ("earlier-manifest", "FCO", "ITA") in stays_of(session, voyage_id, "ROSSI")
    reason = screened(session, voyage_id, "ROSSI").reasons[0]
    assert reason.source == "earlier-manifest" and "CA940" in reason.text
    assert ("earlier-manifest", "FCO", "ITA") not in stays_of(session, voyage_id, "BIANCHI")
