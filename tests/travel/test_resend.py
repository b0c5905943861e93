"""A carrier re-sends its list with one passenger changed, on SQLite and PostgreSQL: it is a new version, the
passengers listed as before keep the journey the previous version had found for them (bookings' stays, links),
and a passenger who is new or changed is linked afresh."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan.formats.paxlst import parse_paxlst
from kouan.formats.pnrgov import parse_pnrgov
from kouan.travel.journey.models import TravellerLink
from kouan.travel.journey.service import ingest_pnrgov
from kouan.travel.registry.queries import current_travellers
from kouan.travel.registry.schemas import IngestResult
from kouan.travel.registry.service import ingest_paxlst
from tests.support.messages import document_number, passenger_list, pnr_push

DUBAI_LEG = ("DXB", "PEK", "2003200340")
BOOKING = pnr_push(
    booking_ref="ABC123",
    people=["ROSSI:MARIO"],
    legs=[("EK", "92", "MXP", "DXB", "2003191030"), ("EK", "308", "DXB", "PEK", "2003200340")],
    documents=[document_number("ROSSI:MARIO")],
)


def manifest(*names: str) -> str:
    return passenger_list(names=list(names), legs=[DUBAI_LEG], carrier="EK", number="EK308")


def file(session: Session, raw: str) -> IngestResult:
    return ingest_paxlst(session=session, message=parse_paxlst(raw), raw=raw, port="PEK")


def journey(session: Session, voyage_id: int) -> dict[str, tuple[int, list[tuple[str, str | None]], list[str]]]:
    """Per surname: traveller id, stays (source, place) and kinds of link."""
    found = {}
    for t in current_travellers(session=session, voyage_id=voyage_id):
        kinds = session.scalars(select(TravellerLink.kind).where(TravellerLink.traveller_id == t.id)).all()
        found[t.surname] = (t.id, sorted((s.source, s.place) for s in t.stays), sorted(kinds))
    return found


def test_passengers_listed_as_before_keep_their_booking_on_the_new_version(session: Session) -> None:
    first = file(session, manifest("ROSSI:MARIO", "BIANCHI:ANNA"))
    ingest_pnrgov(session=session, message=parse_pnrgov(BOOKING), raw=BOOKING, port="PEK")
    before = journey(session, first.voyage_id)
    again = file(session, manifest("ROSSI:MARIO", "BIANCHI:ANNA MARIA"))
    after = journey(session, first.voyage_id)
    assert (again.version, again.created, again.traveller_count) == (2, True, 2)
    assert after["ROSSI"][0] != before["ROSSI"][0]  # a traveller of the new version...
    assert after["ROSSI"][1:] == before["ROSSI"][1:]  # ...with the same stays and links
    assert ("pnr-origin", "MXP") in after["ROSSI"][1] and after["ROSSI"][2] == ["pnr"]
    assert all(source.startswith("manifest") for source, _ in after["BIANCHI"][1])


def test_a_passenger_added_by_the_new_version_is_linked_to_a_booking_already_here(session: Session) -> None:
    first = file(session, manifest("BIANCHI:ANNA"))
    ingest_pnrgov(session=session, message=parse_pnrgov(BOOKING), raw=BOOKING, port="PEK")
    assert journey(session, first.voyage_id)["BIANCHI"][2] == []
    file(session, manifest("BIANCHI:ANNA", "ROSSI:MARIO"))
    after = journey(session, first.voyage_id)
    assert ("pnr-origin", "MXP") in after["ROSSI"][1] and after["ROSSI"][2] == ["pnr"]
    assert after["BIANCHI"][2] == []


def test_the_same_list_again_is_no_new_version(session: Session) -> None:
    first = file(session, manifest("ROSSI:MARIO", "BIANCHI:ANNA"))
    again = file(session, manifest("ROSSI:MARIO", "BIANCHI:ANNA"))
    assert (again.version, again.created) == (first.version, False)
