"""A re-sent manifest with one passenger changed, on SQLite and PostgreSQL: the passengers listed as before take a
copy of their stored result instead of being screened again, the changed one with the same stays takes the stored
reasons, and every result equals what a full screen of the same version gives (levels, reasons, actions, findings,
policy); after a designation is recorded between the two versions nothing is copied, and the results again equal a
full screen."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kouan.formats.paxlst import parse_paxlst, write_paxlst
from kouan.formats.pnrgov import parse_pnrgov
from kouan.intake.flows import file_paxlst
from kouan.measures.models import RegionDesignation
from kouan.screening.models import ScreeningResult, VoyageScreening
from kouan.screening.service import screen_voyage
from kouan.settings import Settings
from kouan.travel.journey.service import ingest_pnrgov
from kouan.travel.registry.queries import get_voyage
from tests.support.messages import document_number, passenger_list, pnr_push

LEGS = [("MXP", "DXB", "2003191030"), ("DXB", "PEK", "2003200340")]
NAMES = ["ROSSI:MARIO", "BIANCHI:ANNA", "VERDI:LUCA", "NERI:SARA"]
BOOKING = pnr_push(
    booking_ref="ABC123",
    people=["ROSSI:MARIO"],
    legs=[("EK", "92", "CDG", "DXB", "2003181030"), ("EK", "308", "DXB", "PEK", "2003200340")],
    documents=[document_number("ROSSI:MARIO")],
)


def manifest(names: list[str]) -> str:
    return passenger_list(names=names, legs=LEGS, carrier="EK", number="EK308")


def file(session: Session, raw: str) -> VoyageScreening:
    settings = Settings(database_url="sqlite://", port_of_entry="PEK")
    return file_paxlst(session=session, raw=raw, message=parse_paxlst(raw), settings=settings).screenings[0]


def answers(screening: VoyageScreening) -> dict[str, dict[str, Any]]:
    """What a user is told of each traveller, by surname (traveller ids differ between versions)."""
    told = {"given_names", "level", "reasons", "actions", "findings", "policy"}
    return {r.surname: r.model_dump(mode="json", include=told) for r in screening.results}


def full_screen(session: Session, voyage_id: int) -> VoyageScreening:
    """The voyage screened with nothing to copy from: every stored result's inputs forgotten first."""
    session.execute(update(ScreeningResult).values(inputs_sha256=None))
    voyage = get_voyage(session=session, voyage_id=voyage_id)
    assert voyage is not None
    return screen_voyage(session=session, voyage=voyage)


def hashes(session: Session, screening: VoyageScreening, *, of: str = "inputs") -> dict[str, str | None]:
    """The stored hash of each traveller's inputs (all of them, or the stays the engine reads), by surname."""
    by_id = {r.traveller_id: r.surname for r in screening.results}
    column = ScreeningResult.inputs_sha256 if of == "inputs" else ScreeningResult.stays_sha256
    rows = session.execute(select(ScreeningResult.traveller_id, column).where(ScreeningResult.traveller_id.in_(by_id)))
    return {by_id[traveller]: sha for traveller, sha in rows}


def test_a_resend_copies_the_unchanged_results_and_equals_a_full_screen(session: Session) -> None:
    first = file(session, manifest(NAMES))
    ingest_pnrgov(session=session, message=parse_pnrgov(BOOKING), raw=BOOKING, port="PEK")
    screened_again = file(session, manifest(NAMES))  # the same list: the booking's stays are screened
    before, stays_before = hashes(session, screened_again), hashes(session, screened_again, of="stays")
    resent = file(session, manifest([*NAMES[:3], "NERI:SARA MARIA"]))
    after = hashes(session, resent)
    assert all(after[name] == before[name] for name in ("ROSSI", "BIANCHI", "VERDI"))  # copied
    assert after["NERI"] not in before.values()  # another name: its policy is decided again...
    assert hashes(session, resent, of="stays")["NERI"] == stays_before["NERI"]  # ...its reasons are the stored ones
    assert any(r["source"] == "pnr-origin" for r in answers(resent)["ROSSI"]["reasons"])
    assert answers(resent) == answers(full_screen(session, first.voyage_id))
    assert answers(resent)["ROSSI"] == answers(screened_again)["ROSSI"]


def test_after_a_designation_nothing_is_copied_and_the_resend_equals_a_full_screen(session: Session) -> None:
    first = file(session, manifest(NAMES))
    session.add(
        RegionDesignation(
            region_code="ARE",
            level="high",
            valid_from=date(2020, 3, 1),
            reason="transit hub",
            recorded_at=datetime(2020, 3, 2, tzinfo=UTC),
            recorded_by="analyst",
        )
    )
    resent = file(session, manifest([*NAMES[:3], "NERI:SARA MARIA"]))
    assert not set(hashes(session, resent).values()) & set(hashes(session, first).values())
    dubai = [r for r in answers(resent)["ROSSI"]["reasons"] if r["region"] == "ARE"]
    assert dubai and dubai[0]["level"] == "high"  # the designation is in the answer, not the earlier one
    assert answers(resent)["ROSSI"] != answers(first)["ROSSI"]
    assert answers(resent) == answers(full_screen(session, first.voyage_id))


def test_a_passenger_whose_nationality_changed_keeps_the_reasons_but_is_decided_again(session: Session) -> None:
    after_r3 = [("MXP", "DXB", "2003291030"), ("DXB", "PEK", "2003300340")]  # entry rule R3 in force on arrival
    raw = passenger_list(names=NAMES, legs=after_r3, carrier="EK", number="EK306")
    first = file(session, raw)
    message = parse_paxlst(raw)
    chinese = replace(message.travellers[3], nationality="CHN")
    resent = file(session, write_paxlst(replace(message, travellers=[*message.travellers[:3], chinese])))
    assert answers(resent)["NERI"]["actions"] != answers(first)["NERI"]["actions"]  # no visa check for a citizen
    assert answers(resent)["NERI"]["reasons"] == answers(first)["NERI"]["reasons"]
    assert answers(resent) == answers(full_screen(session, first.voyage_id))
