"""The state of one PNRGOV message while it is read, and the helpers the segment readers share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from kouan.formats.edifact import Segment
from kouan.formats.pnr_records import HistoryEntry, OtherSegment, PnrLeg, PnrSeat, RecordLocator
from kouan.formats.pnrgov_fields import NO_SEAT, TITLES, continues, docs_text, read_seat, split_title
from kouan.formats.records import ParseWarning

Context = Literal["header", "pnr", "passenger", "void", "leg", "checkin", "nonair", "history"]


@dataclass
class DocsText:
    """An SSR DOCS free text while being read: a later SSR may continue it."""

    segment: Segment
    text: str


@dataclass
class PassengerDraft:
    tif: Segment
    surname: str
    given_names: str
    title: str | None
    type: str | None
    reference: str | None
    docs: list[DocsText] = field(default_factory=list)
    seats: list[PnrSeat] = field(default_factory=list)


@dataclass
class Loose:
    """An SSR DOCS or SEAT outside a traveller group, matched to a traveller when the booking is complete."""

    segment: Segment
    leg: PnrLeg | None


@dataclass
class PnrDraft:
    src: Segment
    locators: list[RecordLocator] = field(default_factory=list)
    passengers: list[PassengerDraft] = field(default_factory=list)
    legs: list[PnrLeg] = field(default_factory=list)
    other: list[OtherSegment] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    loose: list[Loose] = field(default_factory=list)
    check_in: list[Segment] = field(default_factory=list)  # the current TRI and the TIF after it
    nonair_code: str | None = None
    split: list[RecordLocator] = field(default_factory=list)
    splitting: bool = False  # an EQN in a flight leg: the next RCI is a booking split off from this one


@dataclass
class Draft:
    """One UNH..UNT message while it is being read."""

    unh: Segment
    today: date
    warnings: list[ParseWarning]
    context: Context = "header"
    flight: PnrLeg | None = None
    function: Segment | None = None  # the header MSG
    eqn: Segment | None = None
    declared: int | None = None
    pnrs: list[PnrDraft] = field(default_factory=list)

    def warn(self, segment: Segment, message: str) -> None:
        self.warnings.append(ParseWarning(segment.label, message))

    @property
    def pnr(self) -> PnrDraft:
        return self.pnrs[-1]

    def in_pnr(self, segment: Segment) -> bool:
        if self.context == "header":
            self.warn(segment, f"{segment.tag} before any SRC booking; ignored")
        return self.context != "header"


def passenger_from_tif(segment: Segment, surname: str, index: int) -> PassengerDraft:
    """The traveller in element ``index`` of a TIF: given names without the title, type and reference number."""
    given, title = split_title(segment.value(index) or "")
    kind = segment.value(index, 1)
    if kind in TITLES:
        kind, title = None, title or kind
    return PassengerDraft(segment, surname, given, title, kind, segment.value(index, 2))


def by_reference(pnr: PnrDraft, *references: str | None) -> PassengerDraft | None:
    """The booking's traveller with the first of these TIF reference numbers that matches, else its only one."""
    for reference in filter(None, references):
        found = [p for p in pnr.passengers if p.reference == reference]
        if found:
            return found[0]
    return pnr.passengers[0] if len(pnr.passengers) == 1 else None


def add_docs(draft: Draft, passenger: PassengerDraft, segment: Segment) -> None:
    """An SSR DOCS for ``passenger``: a document of its own, or the rest of the last one when a wrap cut it."""
    text = docs_text(segment)
    if text is None:
        return draft.warn(segment, "SSR DOCS without its free text; ignored")
    last = passenger.docs[-1] if passenger.docs else None
    if last is not None and continues(last.text, text):
        last.text += text
        return draft.warn(segment, f"SSR DOCS free text continued from {last.segment.label}; joined")
    passenger.docs.append(DocsText(segment, text))


def seat_requests(draft: Draft, segment: Segment, leg: PnrLeg | None) -> list[tuple[str | None, PnrSeat]]:
    """The seats an SSR SEAT asks for (one per element after the first), each with its traveller reference."""
    origin = segment.value(0, 6) or (leg.origin if leg else None)
    destination = segment.value(0, 7) or (leg.destination if leg else None)
    requests = []
    for index in range(1, len(segment.elements)):
        seat = seat_value(draft, segment, segment.value(index))
        if seat is not None:
            requests.append((segment.value(index, 2), PnrSeat(seat, origin, destination, "request")))
    return requests


def seat_value(draft: Draft, segment: Segment, value: str | None) -> str | None:
    """A seat (15A), or None: silently for "no seat" placeholders, with a warning for anything unreadable."""
    seat = read_seat(value)
    if seat is None and (value or "").strip().upper() not in NO_SEAT:
        draft.warn(segment, f"unreadable seat {value!r}; ignored")
    return seat
