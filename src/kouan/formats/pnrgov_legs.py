"""PNRGOV flight legs (TVL, RPI), check-in (TRI, TIF, SSD), non-air TVLs and the booking history (ABI, DAT,
SAC): the segment readers for what follows the travellers of a booking."""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import replace

from kouan.formats.edifact import Segment, edi_count
from kouan.formats.pnr_records import HistoryChange, HistoryEntry, PnrLeg, PnrSeat
from kouan.formats.pnrgov_draft import Draft, PassengerDraft, PnrDraft, by_reference, passenger_from_tif, seat_value
from kouan.formats.pnrgov_fields import airports_for, moment, other_segment, tvl_times

# --- flight legs and check-in ----------------------------------------------------------------------------------


def read_leg(draft: Draft, segment: Segment) -> PnrLeg:
    """A TVL as an air leg: the places resolved to airports, the dates read, each problem warned about."""
    problems: list[str] = []
    (day, time), (arrival_day, arrival_time) = tvl_times(segment.components(0))
    if day is None:
        problems.append("TVL without a departure date")
    origin, destination = segment.value(1), segment.value(2)
    (origin_airports, origin_note), (destination_airports, destination_note) = map(airports_for, (origin, destination))
    leg = PnrLeg(
        origin,
        destination,
        moment(day, time, problems),
        moment(arrival_day, arrival_time, problems),
        carrier=segment.value(3),
        number=segment.value(4),
        origin_airports=origin_airports,
        destination_airports=destination_airports,
        booking_class=segment.value(4, 1),
    )
    for problem in (*problems, origin_note, destination_note):
        if problem:
            draft.warn(segment, problem)
    return leg


def is_air(segment: Segment) -> bool:
    """A flight: IATA places at both ends, an airline and a flight number (not a hotel, car, ARNK or OPEN)."""
    places = all((segment.value(i) or "").isalpha() and len(segment.value(i) or "") == 3 for i in (1, 2))
    number = (segment.value(4) or "").rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    carrier = segment.value(3) or ""
    return places and segment.value(1, 1) is None and len(carrier) in (2, 3) and number.isdigit() and len(number) <= 4


def tvl(draft: Draft, segment: Segment) -> None:
    if draft.context == "header":
        return _header_flight(draft, segment)
    if draft.context == "history":
        leg = read_leg(draft, segment) if is_air(segment) else None
        return history_item(draft, segment, leg=leg, text=None if leg else _raw(segment))
    if draft.context == "nonair" and draft.pnr.nonair_code is not None:
        return _other(draft, segment, draft.pnr.nonair_code)
    if not is_air(segment):
        draft.warn(segment, "TVL is not a flight; kept as a non-air segment")
        draft.pnr.nonair_code, draft.context = None, "nonair"
        return _other(draft, segment, None)
    draft.pnr.legs.append(read_leg(draft, segment))
    draft.context = "leg"


def _header_flight(draft: Draft, segment: Segment) -> None:
    if draft.flight is not None:
        return draft.warn(segment, "second TVL before any SRC booking; ignored")
    draft.flight = read_leg(draft, segment)


def _other(draft: Draft, segment: Segment, code: str | None) -> None:
    problems: list[str] = []
    draft.pnr.other.append(other_segment(segment, code=code, problems=problems))
    for problem in problems:
        draft.warn(segment, problem)


def _raw(segment: Segment) -> str:
    return "+".join(":".join(p.strip() for p in element).rstrip(":") for element in segment.elements).rstrip("+")


def rpi(draft: Draft, segment: Segment) -> None:
    count, status = segment.value(0), segment.value(1)
    passengers = edi_count(count)
    if count and passengers is None:
        draft.warn(segment, f"malformed RPI passenger count {reprlib.repr(count)}")
    if draft.context in {"leg", "checkin"}:
        draft.pnr.legs[-1] = replace(draft.pnr.legs[-1], status=status, passengers=passengers)
    elif draft.context == "history" and draft.pnr.history and draft.pnr.history[-1].changes:
        _update_change(draft, lambda c: replace(c, leg=c.leg and replace(c.leg, status=status, passengers=passengers)))
    elif draft.context not in {"nonair", "history"}:
        draft.warn(segment, "RPI without a flight leg; ignored")


def tri(draft: Draft, segment: Segment) -> None:
    if draft.context not in {"leg", "checkin"}:
        return draft.warn(segment, "TRI check-in outside a flight leg; ignored")
    draft.pnr.check_in, draft.context = [segment], "checkin"


def ssd(draft: Draft, segment: Segment) -> None:
    if draft.context != "checkin":
        return draft.warn(segment, "SSD seat without a TRI check-in; ignored")
    seat = seat_value(draft, segment, segment.value(0))
    passenger = checked_in(draft.pnr)
    if seat is not None and passenger is None:
        return draft.warn(segment, f"check-in seat {seat} for no known traveller; ignored")
    leg = draft.pnr.legs[-1]
    if seat is not None and passenger is not None:
        passenger.seats.append(PnrSeat(seat, leg.origin, leg.destination, "check-in"))


def checked_in(pnr: PnrDraft) -> PassengerDraft | None:
    """The traveller a TRI group is about: by the TIF's name, else by traveller reference, else the only one."""
    group, tif = (*pnr.check_in, None)[:2]
    if tif is not None:
        named = passenger_from_tif(tif, tif.value(0) or "", 1)
        for passenger in pnr.passengers:
            if (passenger.surname, passenger.given_names) == (named.surname, named.given_names):
                return passenger
    references = [tif.value(1, 2) if tif else None, group.value(1, 3) if group else None]
    return by_reference(pnr, *references)


# --- booking history ---------------------------------------------------------------------------------------------


def abi(draft: Draft, segment: Segment) -> None:
    if not draft.in_pnr(segment):
        return
    by = " ".join(p.strip() for i in range(1, len(segment.elements)) for p in segment.components(i) if p.strip())
    draft.pnr.history.append(HistoryEntry(by or None, None))
    draft.context = "history"


def dat(draft: Draft, segment: Segment) -> None:
    qualifier, day, time = segment.value(0), segment.value(0, 1), segment.value(0, 2)
    if day is None:
        return draft.warn(segment, f"empty DAT {qualifier} date")
    problems: list[str] = []
    when = moment(day, time, problems, what=f"DAT {qualifier} date")
    for problem in problems:
        draft.warn(segment, problem)
    history = draft.pnr.history if draft.context == "history" else []
    if history and history[-1].at is None and not history[-1].changes:
        history[-1] = replace(history[-1], at=when)


def sac(draft: Draft, segment: Segment) -> None:
    if draft.context != "history":
        return draft.warn(segment, "SAC outside an ABI history block; ignored")
    entry = draft.pnr.history[-1]
    draft.pnr.history[-1] = replace(entry, changes=(*entry.changes, HistoryChange(segment.value(2), None)))


def history_item(draft: Draft, segment: Segment, *, leg: PnrLeg | None = None, text: str | None = None) -> None:
    entry = draft.pnr.history[-1]
    last = entry.changes[-1] if entry.changes else None
    if last is not None and last.segment is None:
        return _update_change(draft, lambda c: replace(c, segment=segment.tag, leg=leg, text=text))
    change = HistoryChange(last.action if last else None, segment.tag, leg, text)
    draft.pnr.history[-1] = replace(entry, changes=(*entry.changes, change))


def _update_change(draft: Draft, change: Callable[[HistoryChange], HistoryChange]) -> None:
    entry = draft.pnr.history[-1]
    draft.pnr.history[-1] = replace(entry, changes=(*entry.changes[:-1], change(entry.changes[-1])))
