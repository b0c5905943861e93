"""Storing PNRGOV pushes from the parser's typed records (formats.pnr_records), and finding a push's voyage."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan.formats import pnr_records as pnr
from kouan.formats.pnrgov import pnrgov_to_dict, records_json
from kouan.travel.journey.models import PnrBooking, PnrMessage, PnrPassenger
from kouan.travel.registry.history import flight_number
from kouan.travel.registry.models import Voyage

FlightKey = tuple[str | None, str | None, date | None]  # (carrier, number without the carrier prefix, day)


def flight_key(flight: pnr.PnrLeg | None) -> FlightKey:
    """(carrier, number without the carrier prefix, departure day) of a PNRGOV push's flight."""
    if flight is None:
        return None, None, None
    number = flight_number(carrier=flight.carrier, number=flight.number)
    return flight.carrier, number or None, flight.departure.date() if flight.departure else None


def declared_flight(*, flight: str, day: date | None) -> FlightKey:
    """The same key for a flight as a traveller writes it ("EK308") on a day."""
    carrier = flight[:2]
    return carrier, flight_number(carrier=carrier, number=flight) or None, day


def file_pnrgov(*, session: Session, message: pnr.PnrgovMessage, raw: str) -> tuple[PnrMessage, bool]:
    """Store a push; the same content twice is filed once. Returns the stored message and whether it is new."""
    content = pnrgov_to_dict(message)
    content.pop("warnings", None)
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()
    found = session.scalar(select(PnrMessage).where(PnrMessage.message_sha256 == digest))
    if found is not None:
        return found, False
    carrier, number, day = flight_key(message.flight)
    warnings = [{"segment": w.segment, "message": w.message} for w in message.warnings]
    stored = PnrMessage(
        message_sha256=digest, carrier=carrier, number=number, flight_date=day, warnings=warnings, raw=raw
    )
    stored.bookings = [_booking(pnr=p, key=(carrier, number, day)) for p in message.pnrs]
    session.add(stored)
    session.flush()
    return stored, True


def _booking(*, pnr: pnr.Pnr, key: FlightKey) -> PnrBooking:
    carrier, number, day = key
    booking = PnrBooking(
        booking_ref=pnr.booking_ref or "?",
        carrier=carrier,
        number=number,
        flight_date=day,
        itinerary=records_json(pnr.itinerary),
        other_segments=records_json(pnr.other_segments),
        history=records_json(pnr.history),
    )
    booking.passengers = [_passenger(p) for p in pnr.passengers]
    return booking


def _passenger(person: pnr.PnrPassenger) -> PnrPassenger:
    document = person.documents[0] if person.documents else None
    return PnrPassenger(
        surname=person.surname or "",
        given_names=person.given_names or "",
        sex=person.sex,
        birth_date=(document.birth_date if document else None) or person.birth_date,
        nationality=(document.nationality if document else None) or person.nationality,
        document_number=document.number if document else None,
        seat=person.seat,
    )


def voyage_for_flight(*, session: Session, carrier: str | None, number: str | None, day: date | None) -> Voyage | None:
    if not (carrier and number and day):
        return None
    return session.scalar(
        select(Voyage).where(Voyage.carrier == carrier, Voyage.number == number, Voyage.flight_date == day)
    )


def current_bookings(*, session: Session, voyage: Voyage) -> list[PnrBooking]:
    """The latest push of each booking for the voyage's flight."""
    rows = session.scalars(
        select(PnrBooking)
        .where(
            PnrBooking.carrier == voyage.carrier,
            PnrBooking.number == voyage.number,
            PnrBooking.flight_date == voyage.flight_date,
        )
        .order_by(PnrBooking.id)
    ).all()
    return list({b.booking_ref: b for b in rows}.values())
