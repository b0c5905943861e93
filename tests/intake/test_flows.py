"""Each intake flow files, relinks and rescreens, on SQLite and PostgreSQL: what it touched is screened again and
stored, and the same message twice changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kouan.formats.paxlst import parse_paxlst
from kouan.formats.pnrgov import parse_pnrgov
from kouan.intake.flows import (
    file_crossings,
    file_declarations,
    file_paxlst,
    file_pnrgov,
    message_type,
    rescreen,
    store_message,
)
from kouan.screening.models import ScreeningResult
from kouan.screening.service import latest_results
from kouan.settings import Settings
from kouan.travel.journey.schemas import DeclarationCreate, DeclaredPlace
from kouan.travel.registry.models import Voyage
from kouan.travel.registry.queries import get_voyage
from tests.conftest import PNRGOV_GTAS, SAMPLES
from tests.support.messages import document_number, passenger_list, pnr_push, rossi_crossing

CBP = (SAMPLES / "paxlst_cbp_guide_d05b.edi").read_text()
GTAS_PNR = PNRGOV_GTAS.read_text()
ROSSI_PASSPORT = document_number("ROSSI:MARIO")
MANIFEST = passenger_list(
    names=["ROSSI:MARIO", "BIANCHI:ANNA"], legs=[("DXB", "PEK", "2003200340")], carrier="EK", number="EK308"
)
BOOKING = pnr_push(
    booking_ref="ABC123",
    people=["ROSSI:MARIO"],
    legs=[("EK", "92", "MXP", "DXB", "2003191030"), ("EK", "308", "DXB", "PEK", "2003200340")],
    documents=[ROSSI_PASSPORT],
)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, port_of_entry="PEK")


def stored(session: Session, voyage_id: int) -> dict[str, str | None]:
    """Each current traveller's stored level (None: not screened)."""
    voyage = get_voyage(session=session, voyage_id=voyage_id)
    assert voyage is not None
    return {t.surname: r.level if r else None for t, r in latest_results(session=session, voyage=voyage)}


def findings(session: Session, voyage_id: int, surname: str) -> list[str]:
    """The regions of the stored findings of one traveller."""
    voyage = get_voyage(session=session, voyage_id=voyage_id)
    assert voyage is not None
    row = next(r for t, r in latest_results(session=session, voyage=voyage) if t.surname == surname)
    return [f["region"] for f in (row.findings if row else None) or []]


def result_rows(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ScreeningResult)) or 0


def filed_manifest(session: Session, settings: Settings, raw: str = MANIFEST) -> int:
    return file_paxlst(session=session, raw=raw, message=parse_paxlst(raw), settings=settings).result.voyage_id


def test_a_manifest_is_filed_and_its_voyage_screened_and_stored(session: Session, settings: Settings) -> None:
    filed = file_paxlst(session=session, raw=CBP, message=parse_paxlst(CBP), settings=settings)
    assert filed.result.created and filed.voyage_ids == [filed.result.voyage_id]
    assert [r.surname for r in filed.screenings[0].results] == ["DOE"]
    assert stored(session, filed.result.voyage_id) == {"DOE": filed.screenings[0].results[0].level}


def test_the_same_manifest_twice_changes_nothing(session: Session, settings: Settings) -> None:
    first = file_paxlst(session=session, raw=CBP, message=parse_paxlst(CBP), settings=settings)
    before = (stored(session, first.result.voyage_id), result_rows(session))
    again = file_paxlst(session=session, raw=CBP, message=parse_paxlst(CBP), settings=settings)
    assert (again.result.created, again.result.version) == (False, first.result.version)
    assert (stored(session, first.result.voyage_id), result_rows(session)) == before


def test_a_booking_after_its_manifest_changes_the_stored_screening(session: Session, settings: Settings) -> None:
    voyage_id = filed_manifest(session, settings)
    assert stored(session, voyage_id)["ROSSI"] != "high"
    filed = file_pnrgov(session=session, raw=BOOKING, message=parse_pnrgov(BOOKING), settings=settings)
    assert (filed.result.created, filed.result.voyage_id, filed.voyage_ids) == (True, voyage_id, [voyage_id])
    assert stored(session, voyage_id)["ROSSI"] == "high"


def test_the_same_booking_twice_rescreens_nothing(session: Session, settings: Settings) -> None:
    voyage_id = filed_manifest(session, settings)
    file_pnrgov(session=session, raw=BOOKING, message=parse_pnrgov(BOOKING), settings=settings)
    before = (stored(session, voyage_id), result_rows(session))
    again = file_pnrgov(session=session, raw=BOOKING, message=parse_pnrgov(BOOKING), settings=settings)
    assert (again.result.created, again.screenings) == (False, [])
    assert (stored(session, voyage_id), result_rows(session)) == before


def test_a_booking_before_its_manifest_is_filed_and_joins_it_later(session: Session, settings: Settings) -> None:
    sample = file_pnrgov(session=session, raw=GTAS_PNR, message=parse_pnrgov(GTAS_PNR), settings=settings)
    assert (sample.result.created, sample.result.voyage_id, sample.screenings) == (True, None, [])
    early = file_pnrgov(session=session, raw=BOOKING, message=parse_pnrgov(BOOKING), settings=settings)
    assert early.screenings == []
    assert stored(session, filed_manifest(session, settings))["ROSSI"] == "high"


def test_a_refused_filer_stops_the_flow_before_the_rescreen(session: Session, settings: Settings) -> None:
    def refuse(voyage: Voyage) -> None:
        raise PermissionError(voyage.destination)

    with pytest.raises(PermissionError, match="PEK"):
        file_paxlst(session=session, raw=MANIFEST, message=parse_paxlst(MANIFEST), settings=settings, authorise=refuse)
    assert result_rows(session) == 0


def test_declarations_relink_and_rescreen_the_voyage_they_name(session: Session, settings: Settings) -> None:
    voyage_id = filed_manifest(session, settings)
    file_pnrgov(session=session, raw=BOOKING, message=parse_pnrgov(BOOKING), settings=settings)
    assert findings(session, voyage_id, "ROSSI") == []
    filed = file_declarations(session=session, declarations=[_declaration("ROSSI:MARIO", "ARE")], settings=settings)
    assert len(filed.result) == 1 and filed.voyage_ids == [voyage_id]
    assert findings(session, voyage_id, "ROSSI") == ["ITA"]  # booked from Milan, declared only the Emirates


def test_crossings_are_filed_once_and_linked_when_their_voyage_comes(session: Session, settings: Settings) -> None:
    exit_record = rossi_crossing(direction="exit", when="2020-02-20T09:00:00+08:00", country="ITA")
    assert file_crossings(session=session, crossings=[exit_record]).result == 1
    assert file_crossings(session=session, crossings=[exit_record]).result == 0
    assert stored(session, filed_manifest(session, settings))["ROSSI"] == "high"


def test_rescreen_screens_each_known_voyage_once(session: Session, settings: Settings) -> None:
    voyage_id = filed_manifest(session, settings)
    assert [
        s.voyage_id for s in rescreen(session=session, voyage_ids=[voyage_id, 0, voyage_id], settings=settings)
    ] == [voyage_id]
    assert rescreen(session=session, voyage_ids=[], settings=settings) == []


def test_a_stored_message_is_relinked_and_left_for_one_rescreen(session: Session, settings: Settings) -> None:
    assert (message_type(MANIFEST), message_type(BOOKING)) == ("PAXLST", "PNRGOV")
    voyage_id, created = store_message(session=session, raw=MANIFEST, settings=settings)
    assert created and voyage_id is not None
    assert store_message(session=session, raw=BOOKING, settings=settings) == (voyage_id, True)
    assert stored(session, voyage_id) == {"ROSSI": None, "BIANCHI": None}
    rescreen(session=session, voyage_ids=[voyage_id], settings=settings)
    assert stored(session, voyage_id)["ROSSI"] == "high"


def _declaration(name: str, country: str) -> DeclarationCreate:
    surname, given_names = name.split(":")
    return DeclarationCreate(
        surname=surname,
        given_names=given_names,
        birth_date=date(1970, 1, 1),
        document_number=document_number(name),
        flight="EK308",
        flight_date=date(2020, 3, 20),
        places=[DeclaredPlace(country=country, date_from=date(2020, 3, 10), date_to=date(2020, 3, 19))],
    )
