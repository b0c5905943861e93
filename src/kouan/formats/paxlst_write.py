"""Writing PAXLST: clean UNOA text, one segment a line, that the parser in :mod:`paxlst` reads back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from kouan.formats.edifact import Element, edi_date, edi_time, format_segment, to_unoa
from kouan.formats.records import Leg, PaxlstMessage, Person

_Spec = tuple[str, *tuple[Element, ...]]  # a segment to write: tag, then its elements
RECIPIENT = "KOUAN"  # UNB/UNG recipient of what the writer produces
PERSON_LOCS = {  # LOC qualifier → the Person field it carries
    "22": "transit",
    "178": "embarkation",
    "179": "debarkation",
    "174": "residence_country",
    "180": "birth_place",
}


def write_paxlst(message: PaxlstMessage, *, version: str = "D:05B", interchange_ref: str = "1") -> str:
    """A clean interchange (UNA, UNB, UNG, one message, UNE, UNZ), one segment a line.

    Values are made UNOA (uppercase, accents removed, other characters dropped) and escaped. The leg whose
    carrier/number are the message's is written with LOC 125/87 (so it reads back as the reporting leg), the
    others with LOC 92 pairs. A ``declared_count`` of None writes no CNT; a missing ``prepared_at`` is now, and
    it is written to the minute (UNB has no seconds).
    """
    if not message.legs:
        raise ValueError("a PAXLST needs at least one flight leg")
    directory, release = version.split(":", 1)
    sender, unh_ref = message.sender or RECIPIENT, message.reference or interchange_ref
    stamp, _ = edi_time((message.prepared_at or datetime.now()).replace(second=0, microsecond=0))
    stamp_parts = (stamp[:-4], stamp[-4:])
    body = [format_segment(tag, *elements) for tag, *elements in _message(message)]
    return (
        "\n".join(
            [
                "UNA:+.? '",
                format_segment("UNB", ("UNOA", "4"), sender, RECIPIENT, stamp_parts, interchange_ref),
                format_segment(
                    "UNG", "PAXLST", sender, RECIPIENT, stamp_parts, interchange_ref, "UN", (directory, release)
                ),
                format_segment("UNH", unh_ref, ("PAXLST", directory, release, "UN", "IATA")),
                *body,
                format_segment("UNT", str(len(body) + 2), unh_ref),
                format_segment("UNE", "1", interchange_ref),
                format_segment("UNZ", "1", interchange_ref),
            ]
        )
        + "\n"
    )


def _message(message: PaxlstMessage) -> Iterator[_Spec]:
    crew = message.message_type == "crew"
    yield "BGM", "250" if crew else "745"
    yield "NAD", "MS", None, None, message.sender
    reporting = _reporting_leg(message)
    for index, leg in enumerate(message.legs):
        yield from _leg(leg, reporting=index == reporting)
    for person in message.travellers:
        yield from _person(person, crew=crew)
    if message.declared_count is not None:
        yield "CNT", ("41" if crew else "42", str(message.declared_count))


def _reporting_leg(message: PaxlstMessage) -> int:
    flight = (message.carrier, message.number)
    matches = [i for i, leg in enumerate(message.legs) if (leg.carrier, leg.number) == flight]
    return matches[-1] if matches else len(message.legs) - 1


def _leg(leg: Leg, *, reporting: bool) -> Iterator[_Spec]:
    yield "TDT", "20", leg.number, None, None, leg.carrier
    yield "LOC", "125" if reporting else "92", leg.origin
    if leg.departure is not None:
        yield "DTM", ("189", *edi_time(leg.departure))
    yield "LOC", "87" if reporting else "92", leg.destination
    if leg.arrival is not None:
        yield "DTM", ("232", *edi_time(leg.arrival))


def _person(person: Person, *, crew: bool) -> Iterator[_Spec]:
    if not to_unoa(person.surname).strip():
        raise ValueError(f"traveller surname {person.surname!r} has no UNOA letters")
    codes = {"passenger": "FL", "crew": "FM", "in_transit": "DDU" if crew else "DDT"}
    yield "NAD", codes[person.role], None, None, (person.surname, person.given_names), person.address
    yield from _known(("ATT", "2", None, person.sex), ("DTM", ("329", _date(person.birth_date), "102")))
    yield from _known(*(("LOC", qualifier, getattr(person, name)) for qualifier, name in PERSON_LOCS.items()))
    yield from _known(
        ("NAT", "2", person.nationality), ("RFF", ("AVF", person.booking_ref)), ("RFF", ("SEA", person.seat))
    )
    for document in person.documents:
        yield "DOC", (document.type, "110", "111"), document.number
        yield from _known(
            ("DTM", ("36", _date(document.expiry), "102")),
            ("DTM", ("182", _date(document.issued), "102")),
            ("LOC", "91", document.issuer),
        )


def _known(*segments: _Spec) -> Iterator[_Spec]:
    """The segments whose value (the last element, or the second component of it) is known."""
    for segment in segments:
        last = segment[-1]
        value = last if last is None or isinstance(last, str) else last[1]
        if value:
            yield segment


def _date(day: date | None) -> str | None:
    return None if day is None else edi_date(day)
