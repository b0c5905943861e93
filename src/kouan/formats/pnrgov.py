"""UN/EDIFACT PNRGOV (PNR data pushed to states, versions 10.1, 11.1 and 13.1): parse, write, and the CLI dict.

The parser keeps what it can (each problem becomes a :class:`ParseWarning` naming the segment) and raises
:class:`FormatError` only for input it cannot use: not EDIFACT, no UNH, not a PNRGOV message, no SRC booking.
The segments themselves are read in :mod:`pnrgov_segments`; this module assembles the bookings.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from datetime import date
from typing import Any

from kouan.formats.edifact import Message, Segment, in_order, messages_of
from kouan.formats.pnr_records import (
    Pnr,
    PnrDocument,
    PnrgovMessage,
    PnrLeg,
    PnrPassenger,
    PnrSeat,
    RecordLocator,
)
from kouan.formats.pnrgov_draft import (
    Draft,
    Loose,
    PassengerDraft,
    PnrDraft,
    add_docs,
    by_reference,
    seat_requests,
)
from kouan.formats.pnrgov_fields import docs_fields, docs_text, read_docs
from kouan.formats.pnrgov_segments import read_segment
from kouan.formats.pnrgov_write import write_pnrgov
from kouan.formats.records import FormatError, ParseWarning

__all__ = ["parse_pnrgov", "pnrgov_to_dict", "records_json", "write_pnrgov"]
_VERSIONS = {"10.1", "11.1", "13.1"}


def parse_pnrgov(text: str, *, today: date | None = None) -> PnrgovMessage:
    """Read a PNRGOV interchange; ``today`` settles two-digit birth years (a birth date is never in the future).

    Several messages in one interchange (a push sent in parts) are joined into one.
    """
    envelope, warnings = messages_of(text, kind="PNRGOV")
    parts = [_read(message, today or date.today(), warnings) for message in envelope.messages]
    merged = _merge(parts)
    return replace(merged, sender=envelope.sender, prepared_at=envelope.prepared_at, warnings=in_order(warnings))


def _read(message: Message, today: date, warnings: list[ParseWarning]) -> tuple[Draft, PnrgovMessage]:
    draft = Draft(message.unh, today, warnings)
    for segment in message.body:
        read_segment(draft, segment)
    return draft, _finish(draft)


def _finish(draft: Draft) -> PnrgovMessage:
    unh = draft.unh
    if not draft.pnrs:
        raise FormatError(position=unh.place, message="PNRGOV message without any SRC booking")
    if draft.function is None:
        draft.warn(unh, "no MSG message function; read as a push")
    if draft.flight is None:
        draft.warn(unh, "no TVL before the first SRC: the flight the message is for is unknown")
    if draft.eqn is not None and draft.declared is not None and draft.declared != len(draft.pnrs):
        draft.warn(draft.eqn, f"EQN says {draft.declared} PNRs, the message has {len(draft.pnrs)}")
    pnrs = [_pnr(draft, pnr) for pnr in draft.pnrs]
    version = _version(unh, draft.warnings)
    return PnrgovMessage(draft.flight, pnrs, version, draft.declared, reference=unh.value(0))


def _version(unh: Segment, warnings: list[ParseWarning]) -> str | None:
    major, minor = unh.value(1, 1), unh.value(1, 2)
    version = f"{major}.{minor}" if major and minor else None
    if version not in _VERSIONS:
        warnings.append(ParseWarning(unh.label, f"PNRGOV version {version} is not 10.1, 11.1 or 13.1; read anyway"))
    return version


def _merge(parts: list[tuple[Draft, PnrgovMessage]]) -> PnrgovMessage:
    """The parts of one push (several UNH..UNT messages) make one message: their bookings are joined."""
    first = parts[0][1]
    for draft, part in parts[1:]:
        if None not in (first.flight, part.flight) and _key(first.flight) != _key(part.flight):
            draft.warn(draft.unh, "message for another flight; its bookings are ignored")
            continue
        first.flight = first.flight or part.flight
        first.pnrs.extend(part.pnrs)
        counts = (first.declared_count, part.declared_count)
        first.declared_count = None if None in counts else sum(c or 0 for c in counts)
    return first


def _key(leg: PnrLeg | None) -> tuple[object, ...]:
    return () if leg is None else (leg.carrier, leg.number, leg.origin, leg.destination, leg.departure)


# --- one booking -----------------------------------------------------------------------------------------------


def _pnr(draft: Draft, pnr: PnrDraft) -> Pnr:
    for loose in pnr.loose:
        (_loose_docs if loose.segment.value(0) == "DOCS" else _loose_seats)(draft, pnr, loose)
    if not pnr.locators:
        draft.warn(pnr.src, "booking without an RCI record locator")
    if not pnr.passengers:
        draft.warn(pnr.src, "booking without a TIF traveller")
    passengers = [_passenger(draft, p) for p in pnr.passengers]
    return Pnr(
        booking_ref=_booking_ref(pnr.locators, draft.flight),
        record_locators=tuple(pnr.locators),
        split_refs=tuple(pnr.split),
        passengers=passengers,
        itinerary=pnr.legs,
        other_segments=pnr.other,
        history=pnr.history,
    )


def _booking_ref(locators: list[RecordLocator], flight: PnrLeg | None) -> str | None:
    """The carrier's own record locator when it sent one, else the first."""
    own = [r for r in locators if flight is not None and r.system is not None and r.system == flight.carrier]
    return (own or locators)[0].locator if locators else None


def _loose_docs(draft: Draft, pnr: PnrDraft, loose: Loose) -> None:
    """An SSR DOCS outside a traveller group: its traveller by reference, else by surname, else the only one."""
    parts = docs_fields(docs_text(loose.segment) or "")
    surname = parts[7].strip() if len(parts) > 7 else None
    named = [p for p in pnr.passengers if surname and p.surname == surname]
    passenger = _referred(pnr, loose.segment.value(1, 2)) or (named[0] if len(named) == 1 else None)
    passenger = passenger or by_reference(pnr)
    if passenger is None:
        return draft.warn(loose.segment, "SSR DOCS for no known traveller; ignored")
    add_docs(draft, passenger, loose.segment)


def _referred(pnr: PnrDraft, reference: str | None) -> PassengerDraft | None:
    return next((p for p in pnr.passengers if reference and p.reference == reference), None)


def _loose_seats(draft: Draft, pnr: PnrDraft, loose: Loose) -> None:
    for reference, seat in seat_requests(draft, loose.segment, loose.leg):
        passenger = by_reference(pnr, reference)
        if passenger is None:
            draft.warn(loose.segment, f"SSR SEAT {seat.seat} for no known traveller ({reference}); ignored")
        else:
            passenger.seats.append(seat)


def _passenger(draft: Draft, passenger: PassengerDraft) -> PnrPassenger:
    documents = tuple(_document(draft, docs.segment, docs.text) for docs in passenger.docs)
    seats = tuple(sorted(passenger.seats, key=lambda s: s.source != "request"))
    return PnrPassenger(
        surname=passenger.surname,
        given_names=passenger.given_names,
        title=passenger.title,
        type=passenger.type,
        reference=passenger.reference,
        sex=next((d.sex for d in documents if d.sex), None),
        birth_date=next((d.birth_date for d in documents if d.birth_date), None),
        nationality=next((d.nationality for d in documents if d.nationality), None),
        documents=documents,
        seat=_seat_on(seats, draft.flight),
        seats=seats,
    )


def _document(draft: Draft, segment: Segment, text: str) -> PnrDocument:
    document, problems = read_docs(text, today=draft.today)
    for problem in problems:
        draft.warn(segment, problem)
    return document


def _seat_on(seats: tuple[PnrSeat, ...], flight: PnrLeg | None) -> str | None:
    """The seat on the flight the message is for: the last given at check-in, else the last requested."""
    route = None if flight is None else (flight.origin, flight.destination)
    on_flight = [s for s in seats if (s.origin, s.destination) == route]
    for source in ("check-in", "request"):
        found = [s.seat for s in on_flight if s.source == source]
        if found:
            return found[-1]
    return None


# --- the CLI JSON contract -------------------------------------------------------------------------------------

_PLACES = {"origin": "from", "destination": "to"}
_KEYS: dict[type, dict[str, str]] = {  # JSON names of record fields where they differ
    PnrLeg: {**_PLACES, "origin_airports": "from_airports", "destination_airports": "to_airports", "number": "flight"},
    PnrSeat: _PLACES,
}


def pnrgov_to_dict(message: PnrgovMessage) -> dict[str, Any]:
    """The ``kouan`` CLI's JSON for a parsed message: ISO dates, None where unknown. A leg's flight number is
    its ``flight``; the header flight's is its ``number``."""
    return {
        "version": message.version,
        "flight": _header_flight(message.flight),
        "declared_count": message.declared_count,
        "pnrs": [_plain(pnr) for pnr in message.pnrs],
        "warnings": [{"segment": w.segment, "message": w.message} for w in message.warnings],
    }


def records_json(value: Any) -> Any:
    """Records (legs, segments, history) in the JSON form of ``pnrgov_to_dict``, for a store's JSON column."""
    return _plain(value)


def _header_flight(flight: PnrLeg | None) -> dict[str, Any] | None:
    if flight is None:
        return None
    plain = _plain(flight)
    plain["number"] = plain.pop("flight")
    return {k: v for k, v in plain.items() if k not in {"booking_class", "status", "passengers"}}


def _plain(value: Any) -> Any:
    """Records as JSON values: dataclasses as dicts (some fields renamed), tuples as lists, dates in ISO form."""
    if is_dataclass(value) and not isinstance(value, type):
        keys = _KEYS.get(type(value), {})
        return {keys.get(f.name, f.name): _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value.isoformat() if isinstance(value, date) else value
