"""UN/EDIFACT PAXLST (advance passenger and crew lists, D:02B, D:05B, D:12B): parse, write, and the CLI dict.

The parser keeps what it can (each problem becomes a :class:`ParseWarning` naming the segment) and raises
:class:`FormatError` only for input it cannot use. The writer emits clean UNOA text, one segment a line.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from kouan.formats.edifact import (
    Message,
    Segment,
    edi_count,
    edi_datetime,
    in_order,
    messages_of,
)
from kouan.formats.paxlst_write import PERSON_LOCS
from kouan.formats.paxlst_write import write_paxlst as write_paxlst
from kouan.formats.records import (
    Document,
    FormatError,
    Leg,
    MessageType,
    ParseWarning,
    PaxlstMessage,
    Person,
    Role,
)

_DOCUMENT_CODES: dict[str, MessageType] = {"745": "passengers", "250": "crew", "336": "crew"}
_ROLES: dict[str, Role] = {"FL": "passenger", "FM": "crew", "DDT": "in_transit", "DDU": "in_transit"}
_VERSIONS = {"D:02B", "D:05B", "D:12B"}
_LEG_LOCS = {"125", "87", "92"}
_DATES = {"189": "departure", "232": "arrival", "329": "birth_date", "36": "expiry", "182": "issued"}
_PAST_DATES = {"329", "182"}
_UNUSED = {"COM", "CTA", "FTX", "MEA", "GEI", "EMP", "CPI", "QTY"}  # known PAXLST segments kouan keeps nothing of


@dataclass
class _Draft:
    """One UNH..UNT message while it is being read."""

    unh: Segment
    today: date
    warnings: list[ParseWarning]
    message_type: MessageType | None = None
    legs: list[Leg] = field(default_factory=list)
    tdts: list[Segment] = field(default_factory=list)
    routing: list[int] = field(default_factory=list)  # LOC 92 seen so far, per leg
    reporting_leg: int | None = None  # the last leg with a LOC 87 arrival
    persons: list[Person] = field(default_factory=list)
    pending: dict[str, Any] = field(default_factory=dict)  # the last person's changes, applied in one replace
    declared: int | None = None
    cnt: Segment | None = None

    def warn(self, segment: Segment, message: str) -> None:
        self.warnings.append(ParseWarning(segment.label, message))

    def update_leg(self, segment: Segment, **changes: Any) -> None:
        if not self.legs:
            return self.warn(segment, "flight leg data before any TDT; ignored")
        self.legs[-1] = replace(self.legs[-1], **changes)

    def add_person(self, person: Person) -> None:
        self.settle()
        self.persons.append(person)

    def settle(self) -> None:
        """Applies the last person's changes (one copy per person rather than one per segment)."""
        if self.pending:
            self.persons[-1], self.pending = replace(self.persons[-1], **self.pending), {}

    def update_person(self, segment: Segment, **changes: Any) -> None:
        if not self.persons:
            return self.warn(segment, "traveller data before any NAD traveller group; ignored")
        self.pending.update(changes)

    def documents(self) -> tuple[Document, ...]:
        """The last person's documents so far."""
        return self.pending.get("documents", self.persons[-1].documents) if self.persons else ()

    def update_document(self, segment: Segment, **changes: Any) -> None:
        if not self.documents():
            return self.warn(segment, "document data before any DOC; ignored")
        *earlier, last = self.documents()
        self.update_person(segment, documents=(*earlier, replace(last, **changes)))


def parse_paxlst(text: str, *, today: date | None = None) -> PaxlstMessage:
    """Read a PAXLST interchange; ``today`` settles two-digit birth years (a birth date is never in the future)."""
    envelope, warnings = messages_of(text, kind="PAXLST")
    parts = [_read(message, today or date.today(), warnings) for message in envelope.messages]
    merged = _merge(parts)
    return replace(merged, sender=envelope.sender, prepared_at=envelope.prepared_at, warnings=in_order(warnings))


def _read(message: Message, today: date, warnings: list[ParseWarning]) -> tuple[_Draft, PaxlstMessage]:
    draft = _Draft(message.unh, today, warnings)
    for segment in message.body:
        _HANDLERS.get(segment.tag, _unknown)(draft, segment)
    return draft, _finish(draft)


def _version(unh: Segment, warnings: list[ParseWarning]) -> str | None:
    directory, release = unh.value(1, 1), unh.value(1, 2)
    version = f"{directory}:{release}" if directory and release else None
    if version not in _VERSIONS:
        warnings.append(ParseWarning(unh.label, f"PAXLST version {version} is not D:02B, D:05B or D:12B; read anyway"))
    return version


def _finish(draft: _Draft) -> PaxlstMessage:
    draft.settle()
    if draft.message_type is None:
        raise FormatError(position=draft.unh.place, message="no BGM (745 passengers, 250/336 crew)")
    if not draft.legs:
        raise FormatError(position=draft.unh.place, message="PAXLST has no TDT flight leg")
    for leg, tdt in zip(draft.legs, draft.tdts, strict=True):
        if leg.origin is None or leg.destination is None:
            draft.warn(tdt, "flight leg without its departure or arrival airport")
    if draft.cnt is not None and draft.declared is not None and draft.declared != len(draft.persons):
        draft.warn(draft.cnt, f"declares {draft.declared} persons but the message lists {len(draft.persons)}")
    leg = draft.legs[-1 if draft.reporting_leg is None else draft.reporting_leg]
    return PaxlstMessage(
        draft.message_type,
        leg.carrier,
        leg.number,
        draft.legs,
        draft.persons,
        draft.declared,
        reference=draft.unh.value(0),
        version=_version(draft.unh, draft.warnings),
    )


def _merge(parts: list[tuple[_Draft, PaxlstMessage]]) -> PaxlstMessage:
    """Several messages in one interchange are parts of one list: travellers are joined, counts summed."""
    first = parts[0][1]
    for draft, part in parts[1:]:
        if (part.message_type, part.legs) != (first.message_type, first.legs):
            draft.warn(draft.unh, "message for another voyage or list type; its travellers are ignored")
            continue
        first.travellers.extend(part.travellers)
        counts = (first.declared_count, part.declared_count)
        first.declared_count = None if None in counts else sum(c or 0 for c in counts)
    return first


# --- segments inside a message ---------------------------------------------------------------------------


def _bgm(draft: _Draft, segment: Segment) -> None:
    code = segment.value(0)
    draft.message_type = _DOCUMENT_CODES.get(code or "")
    if draft.message_type is None:
        message = f"BGM {code!r} is neither 745 (passengers) nor 250/336 (crew)"
        raise FormatError(position=segment.place, message=message)


def _tdt(draft: _Draft, segment: Segment) -> None:
    draft.legs.append(Leg(None, None, None, None, carrier=segment.value(4), number=segment.value(1)))
    draft.routing.append(0)
    draft.tdts.append(segment)


def _loc(draft: _Draft, segment: Segment) -> None:
    qualifier, place = segment.value(0), segment.value(1) or segment.value(1, 3)
    if qualifier in _LEG_LOCS:
        _leg_place(draft, segment, qualifier or "", place)
    elif qualifier == "22" and not draft.persons and draft.legs:
        _clearance_as_leg_place(draft, segment, place)
    elif qualifier == "91":
        draft.update_document(segment, issuer=place)
    elif qualifier in PERSON_LOCS:
        draft.update_person(segment, **{PERSON_LOCS[qualifier or ""]: place})
    else:
        draft.warn(segment, f"LOC qualifier {qualifier!r} not used; ignored")


def _leg_place(draft: _Draft, segment: Segment, qualifier: str, place: str | None) -> None:
    if place is None:
        draft.warn(segment, "empty location")
    if qualifier == "125":
        draft.update_leg(segment, origin=place)
    elif qualifier == "87":
        draft.update_leg(segment, destination=place)
        draft.reporting_leg = len(draft.legs) - 1 if draft.legs else None
    elif draft.legs:
        # LOC 92 pairs: the first is where the leg departs, the second where it arrives
        seen, draft.routing[-1] = draft.routing[-1], draft.routing[-1] + 1
        first = seen == 0 and draft.legs[-1].origin is None
        draft.update_leg(segment, **{"origin" if first else "destination": place})
    else:
        draft.update_leg(segment)


def _clearance_as_leg_place(draft: _Draft, segment: Segment, place: str | None) -> None:
    leg = draft.legs[-1]
    if leg.origin is None:
        draft.warn(segment, "LOC 22 given where the departure airport (LOC 125) belongs; used as departure")
        draft.update_leg(segment, origin=place)
    elif leg.destination is None:
        draft.warn(segment, "LOC 22 given where the arrival airport (LOC 87) belongs; used as arrival")
        draft.update_leg(segment, destination=place)
    else:
        draft.warn(segment, "LOC 22 in a complete flight leg; ignored")


def _dtm(draft: _Draft, segment: Segment) -> None:
    qualifier, raw = segment.value(0) or "", segment.value(0, 1)
    name = _DATES.get(qualifier)
    if name is None:
        return  # other dates (message date, ...) carry nothing kouan keeps
    if raw is None:
        return draft.warn(segment, f"empty DTM {qualifier} date")
    try:
        when = edi_datetime(raw, not_after=draft.today if qualifier in _PAST_DATES else None)
    except ValueError:
        return draft.warn(segment, f"unreadable DTM {qualifier} date {raw!r}")
    if name in {"departure", "arrival"}:
        draft.update_leg(segment, **{name: when})
    elif name == "birth_date":
        draft.update_person(segment, birth_date=when.date())
    else:
        draft.update_document(segment, **{name: when.date()})


def _nad(draft: _Draft, segment: Segment) -> None:
    code = segment.value(0)
    if code == "MS":
        return  # the reporting party: a contact, not a traveller
    role = _ROLES.get(code or "")
    if role is None:
        return draft.warn(segment, f"NAD {code!r} is not a traveller (FL, FM, DDT, DDU); ignored")
    surname = segment.value(3)
    if surname is None:
        raise FormatError(position=segment.place, message=f"NAD {code} traveller without a surname")
    given = " ".join(part.strip() for part in segment.components(3)[1:] if part.strip())
    draft.add_person(Person(surname=surname, given_names=given, role=role, address=_address(segment)))


def _address(segment: Segment) -> str | None:
    """Street, city, region, postcode and country (NAD elements 5-9), joined with commas."""
    lines = (" ".join(p.strip() for p in segment.components(i) if p.strip()) for i in range(4, 9))
    return ", ".join(line for line in lines if line) or None


def _att(draft: _Draft, segment: Segment) -> None:
    if segment.value(0) == "2":
        draft.update_person(segment, sex=segment.value(2))


def _nat(draft: _Draft, segment: Segment) -> None:
    draft.update_person(segment, nationality=segment.value(1))


def _rff(draft: _Draft, segment: Segment) -> None:
    kind, value = segment.value(0), segment.value(0, 1)
    if kind in {"AVF", "SEA"} and draft.persons:
        draft.update_person(segment, **{"booking_ref" if kind == "AVF" else "seat": value})


def _doc(draft: _Draft, segment: Segment) -> None:
    document = Document(type=segment.value(0), number=segment.value(1), issuer=None, expiry=None)
    if draft.persons:
        draft.update_person(segment, documents=(*draft.documents(), document))
    else:
        draft.warn(segment, "DOC before any NAD traveller group; ignored")


def _cnt(draft: _Draft, segment: Segment) -> None:
    if segment.value(0) not in {"41", "42"}:
        return draft.warn(segment, f"CNT qualifier {segment.value(0)!r} is not 41/42; ignored")
    draft.cnt, value = segment, segment.value(0, 1) or ""
    draft.declared = edi_count(value)
    if draft.declared is None:
        draft.warn(segment, f"malformed person count {reprlib.repr(value)}")


def _ignore(draft: _Draft, segment: Segment) -> None:
    """Known PAXLST segments that carry nothing kouan keeps (contacts, free text, measures)."""


def _unknown(draft: _Draft, segment: Segment) -> None:
    draft.warn(segment, f"{'unknown' if segment.valid_tag else 'unreadable'} segment skipped")


_HANDLERS: dict[str, Callable[[_Draft, Segment], None]] = {
    "BGM": _bgm,
    "TDT": _tdt,
    "LOC": _loc,
    "DTM": _dtm,
    "NAD": _nad,
    "ATT": _att,
    "NAT": _nat,
    "RFF": _rff,
    "DOC": _doc,
    "CNT": _cnt,
    **{tag: _ignore for tag in _UNUSED},
}


# --- the CLI JSON contract -------------------------------------------------------------------------------


def paxlst_to_dict(message: PaxlstMessage) -> dict[str, Any]:
    """The ``kouan`` CLI's JSON for a parsed message: ISO dates, None where unknown."""
    legs = [
        {"from": leg.origin, "to": leg.destination, "departure": _iso(leg.departure), "arrival": _iso(leg.arrival)}
        for leg in message.legs
    ]
    return {
        "message_type": message.message_type,
        "voyage": {"carrier": message.carrier, "number": message.number, "legs": legs},
        "declared_count": message.declared_count,
        "travellers": [_person_dict(person) for person in message.travellers],
        "warnings": [{"segment": w.segment, "message": w.message} for w in message.warnings],
    }


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _person_dict(person: Person) -> dict[str, Any]:
    documents = [
        {"type": d.type, "number": d.number, "issuer": d.issuer, "expiry": _iso(d.expiry)} for d in person.documents
    ]
    return {
        "surname": person.surname,
        "given_names": person.given_names,
        "sex": person.sex,
        "birth_date": _iso(person.birth_date),
        "nationality": person.nationality,
        "role": person.role,
        "documents": documents,
        "embarkation": person.embarkation,
        "debarkation": person.debarkation,
        "seat": person.seat,
        "booking_ref": person.booking_ref,
    }
