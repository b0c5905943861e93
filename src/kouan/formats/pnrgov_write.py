"""Writing a PNRGOV push: enough for tests and the demo (header flight, bookings with their record locators,
travellers with SSR DOCS and seats, the air itinerary with RPI status and check-in seats). Non-air segments and
booking history are not written."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from kouan.formats.edifact import Element, edi_time, format_segment
from kouan.formats.pnr_records import Pnr, PnrDocument, PnrgovMessage, PnrLeg, PnrPassenger, RecordLocator

_Spec = tuple[str, *tuple[Element, ...]]  # a segment to write: tag, then its elements
RECIPIENT = "KOUAN"
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def write_pnrgov(message: PnrgovMessage, *, interchange_ref: str = "1") -> str:
    """A clean interchange (UNA, UNB, one UNH..UNT message, UNZ), one segment a line, in ``message.version``
    (13.1 when unknown). Values are made UNOA (uppercase, accents removed) and escaped. DOCS dates are written
    DDMMMYY, so a birth date more than a century back, or an expiry before 2000, does not read back the same."""
    major, _, minor = (message.version or "13.1").partition(".")
    carrier = message.flight.carrier if message.flight else None
    sender, unh_ref = message.sender or carrier or RECIPIENT, message.reference or interchange_ref
    stamp, _ = edi_time((message.prepared_at or datetime.now()).replace(second=0, microsecond=0))
    body = [format_segment(tag, *elements) for tag, *elements in _message(message)]
    return (
        "\n".join(
            [
                "UNA:+.? '",
                format_segment("UNB", ("IATA", "1"), sender, RECIPIENT, (stamp[:-4], stamp[-4:]), interchange_ref),
                format_segment("UNH", unh_ref, ("PNRGOV", major, minor or "1", "IA")),
                *body,
                format_segment("UNT", str(len(body) + 2), unh_ref),
                format_segment("UNZ", "1", interchange_ref),
            ]
        )
        + "\n"
    )


def _message(message: PnrgovMessage) -> Iterator[_Spec]:
    yield "MSG", (None, "22")
    if message.flight is not None:
        yield _tvl(message.flight)
    yield "EQN", str(len(message.pnrs))
    carrier = message.flight.carrier if message.flight else None
    for pnr in message.pnrs:
        yield from _pnr(pnr, carrier)


def _pnr(pnr: Pnr, carrier: str | None) -> Iterator[_Spec]:
    yield ("SRC",)
    locators = pnr.record_locators or ((RecordLocator(None, pnr.booking_ref),) if pnr.booking_ref else ())
    if locators:
        yield "RCI", *(_locator(r) for r in locators)
    for passenger in pnr.passengers:
        yield from _passenger(passenger, carrier)
    for leg in pnr.itinerary:
        yield from _leg(leg, pnr.passengers)


def _locator(locator: RecordLocator) -> Element:
    created = locator.created
    if created is None:
        return (locator.system, locator.locator)
    return (locator.system, locator.locator, None, created.strftime("%d%m%y"), created.strftime("%H%M"))


def _tif(passenger: PnrPassenger) -> _Spec:
    given = " ".join(filter(None, (passenger.given_names, passenger.title)))
    return "TIF", passenger.surname, (given, passenger.type, passenger.reference)


def _passenger(passenger: PnrPassenger, carrier: str | None) -> Iterator[_Spec]:
    yield _tif(passenger)
    for document in passenger.documents:
        yield "SSR", ("DOCS", "HK", "1", carrier, None, None, None, None, _docs(document))
    for seat in passenger.seats:
        if seat.source == "request":
            yield "SSR", ("SEAT", "HK", "1", carrier, None, None, seat.origin, seat.destination), seat.seat


def _docs(document: PnrDocument) -> str:
    fields = (
        document.type,
        document.issuer,
        document.number,
        document.nationality,
        _docs_date(document.birth_date),
        document.sex,
        _docs_date(document.expiry),
        document.surname,
        document.given_names,
    )
    return "/" + "/".join(value or "" for value in fields)


def _docs_date(day: date | None) -> str | None:
    return None if day is None else f"{day.day:02d}{_MONTHS[day.month - 1]}{day.year % 100:02d}"


def _tvl(leg: PnrLeg) -> _Spec:
    times = (*_padis(leg.departure), *_padis(leg.arrival))
    return "TVL", times, leg.origin, leg.destination, leg.carrier, (leg.number, leg.booking_class)


def _padis(when: datetime | None) -> tuple[str | None, str | None]:
    return (None, None) if when is None else (when.strftime("%d%m%y"), when.strftime("%H%M"))


def _leg(leg: PnrLeg, passengers: list[PnrPassenger]) -> Iterator[_Spec]:
    yield _tvl(leg)
    if leg.status or leg.passengers is not None:
        yield "RPI", None if leg.passengers is None else str(leg.passengers), leg.status
    for passenger in passengers:
        for seat in passenger.seats:
            if seat.source == "check-in" and (seat.origin, seat.destination) == (leg.origin, leg.destination):
                yield from (("TRI",), _tif(passenger), ("SSD", seat.seat))
