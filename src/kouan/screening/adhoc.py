"""Screening a carrier message without filing it: what `kouan screen FILE [--pnr PNRFILE ...]` answers."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from kouan.formats.paxlst import paxlst_to_dict
from kouan.formats.pnr_records import Pnr, PnrgovMessage
from kouan.formats.pnrgov import records_json
from kouan.formats.records import PaxlstMessage, Person
from kouan.measures.classifiers import classifier_by_name
from kouan.screening.explain import actions_for
from kouan.screening.service import StayInput, evaluate, explained, stays_table
from kouan.travel.journey.linking import PersonRecord, link_pnr_to_manifest
from kouan.travel.journey.stays import pnr_stays
from kouan.travel.registry.history import StayRecord, arriving_leg, manifest_stays


def message_arrival_day(*, message: PaxlstMessage, port: str) -> date:
    leg = arriving_leg(message=message, port=port)
    moment = leg.arrival or leg.departure
    if moment is None:
        raise ValueError("the arriving leg has no date")
    return moment.date()


def _manifest_record(index: int, person: Person) -> PersonRecord:
    document = person.documents[0] if person.documents else None
    return PersonRecord(
        record_id=f"t{index}",
        source="manifest",
        surname=person.surname,
        given_names=person.given_names,
        birth_date=person.birth_date,
        nationality=person.nationality,
        document_number=document.number if document else None,
        sex=person.sex,
        booking_ref=person.booking_ref,
    )


def _pnr_people(pnrs: list[PnrgovMessage]) -> tuple[list[PersonRecord], dict[str, Pnr]]:
    """PNR passengers as records, and the booking each belongs to."""
    records, bookings = [], {}
    for n, booking in enumerate(b for message in pnrs for b in message.pnrs):
        for m, person in enumerate(booking.passengers):
            document = person.documents[0] if person.documents else None
            record = PersonRecord(
                record_id=f"p{n}-{m}",
                source="pnr",
                surname=person.surname,
                given_names=person.given_names,
                birth_date=document.birth_date if document else None,
                nationality=document.nationality if document else None,
                document_number=document.number if document else None,
                booking_ref=booking.booking_ref,
            )
            records.append(record)
            bookings[record.record_id] = booking
    return records, bookings


def journey_stays(*, message: PaxlstMessage, pnrs: list[PnrgovMessage], port: str) -> dict[int, list[StayRecord]]:
    """Each manifest person's stays: the manifest's own, plus the legs of the booking linked to them."""
    stays = {i: manifest_stays(message=message, person=p, port=port) for i, p in enumerate(message.travellers)}
    people, bookings = _pnr_people(pnrs)
    manifest = [_manifest_record(i, p) for i, p in enumerate(message.travellers)]
    for link in link_pnr_to_manifest(pnr=people, manifest=manifest):
        ids = {link.left_id, link.right_id}
        person = int(next(i for i in ids if i.startswith("t"))[1:])
        booking = bookings[next(i for i in ids if i.startswith("p"))]
        itinerary = records_json(booking.itinerary)
        stays[person] += pnr_stays(itinerary=itinerary, booking_ref=booking.booking_ref or "?", port=port)
    return stays


def screen_message(
    *,
    session: Session,
    message: PaxlstMessage,
    port: str,
    as_of: date | None = None,
    classifier: str = "rate14-v1",
    backend: str = "duckdb",
    pnrs: list[PnrgovMessage] | None = None,
) -> dict[str, Any]:
    arrival = message_arrival_day(message=message, port=port)
    by_person = journey_stays(message=message, pnrs=pnrs or [], port=port)
    inputs = [
        StayInput(index, index * 1000 + n, stay, as_of or arrival, arrival)
        for index, stays in by_person.items()
        for n, stay in enumerate(stays)
    ]
    rows = evaluate(
        session=session, stays=stays_table(inputs), classifier=classifier_by_name(classifier), backend=backend
    )
    lookup = {i.stay_id: i.stay for i in inputs}
    return {
        "voyage": paxlst_to_dict(message)["voyage"],
        "as_of": (as_of or arrival).isoformat(),
        "classifier": classifier,
        "results": [
            _person_result(person=p, rows=rows.get(i, []), stays=lookup) for i, p in enumerate(message.travellers)
        ],
    }


def _person_result(*, person: Person, rows: list[dict[str, Any]], stays: dict[int, StayRecord]) -> dict[str, Any]:
    level, reasons = explained(rows, stays=stays)
    fields = {"rule", "text", "region", "source_date", "level", "source"}
    return {
        "surname": person.surname,
        "given_names": person.given_names,
        "role": person.role,
        "level": level,
        "reasons": [r.model_dump(mode="json", include=fields) for r in reasons],
        "actions": actions_for(level),
    }
