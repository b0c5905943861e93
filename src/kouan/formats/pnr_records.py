"""Plain records the PNRGOV parser returns: bookings (PNRs) with their travellers, documents, itinerary, non-air
segments and booking history. No database, no web framework; errors and warnings are those of :mod:`records`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from kouan.formats.records import Document, ParseWarning

SeatSource = Literal["request", "check-in"]


@dataclass(frozen=True)
class PnrDocument(Document):
    """A travel document from an SSR DOCS: a :class:`Document` plus what DOCS says of its holder."""

    nationality: str | None = None  # as sent (alpha-3)
    birth_date: date | None = None
    sex: str | None = None  # M, F, U, X (MI/FI infants read as M/F)
    surname: str | None = None  # the name as in the document, which may differ from the booking name
    given_names: str | None = None


@dataclass(frozen=True)
class RecordLocator:
    """One RCI reservation control: the system that holds the booking and its record locator."""

    system: str | None  # airline or reservation system code: "LH", "1A" (Amadeus), "1S" (Sabre)
    locator: str
    created: datetime | None = None


@dataclass(frozen=True)
class PnrLeg:
    """An air leg (TVL) as sent: local times, IATA codes; a city code also lists the airports it stands for."""

    origin: str | None
    destination: str | None
    departure: datetime | None
    arrival: datetime | None
    carrier: str | None
    number: str | None  # flight number as sent without the carrier, e.g. "308" or "0006"
    origin_airports: tuple[str, ...] = ()  # (code,) for an airport, the city's airports for a city code
    destination_airports: tuple[str, ...] = ()
    booking_class: str | None = None
    status: str | None = None  # RPI: HK confirmed, HL waitlisted, ...
    passengers: int | None = None  # RPI: how many of the PNR's travellers fly this leg


@dataclass(frozen=True)
class PnrSeat:
    seat: str  # e.g. "15A"
    origin: str | None  # the leg the seat is on
    destination: str | None
    source: SeatSource  # an SSR SEAT request, or the seat given at check-in (TRI/SSD)


@dataclass(frozen=True)
class PnrPassenger:
    surname: str
    given_names: str
    title: str | None = None  # MR, MRS, MS, ... taken off the given names
    type: str | None = None  # TIF traveller type: A adult, C child, IN infant, ...
    reference: str | None = None  # TIF traveller reference number, as used by SSRs and TRI
    sex: str | None = None  # from the first document that has it
    birth_date: date | None = None
    nationality: str | None = None
    documents: tuple[PnrDocument, ...] = ()
    seat: str | None = None  # on the flight the message is for (check-in seat before a requested one)
    seats: tuple[PnrSeat, ...] = ()


@dataclass(frozen=True)
class OtherSegment:
    """A non-air segment (hotel, car, rail, ...) or a TVL in the itinerary that is not a flight."""

    kind: str  # hotel, car, rail, tour, surface, air taxi, other
    place: str | None  # where it is (hotel city, car pick-up), as sent
    name: str | None = None  # e.g. the hotel's name
    start: datetime | None = None
    end: datetime | None = None
    destination: str | None = None
    provider: str | None = None  # chain, company or carrier code
    details: tuple[str, ...] = ()  # the rest, as sent (property code, rate, car type)
    code: str | None = None  # MSG business function (8 hotel, 9 car, ...), None for a TVL in the itinerary


@dataclass(frozen=True)
class HistoryChange:
    """One SAC item of the booking history: what was added (A) or cancelled (X), and to what."""

    action: str | None  # SAC action code as sent: A added, X cancelled, ...
    segment: str | None  # the changed item's segment tag: TVL, SSR, TIF; None until one follows the SAC
    leg: PnrLeg | None = None  # for a TVL
    text: str | None = None  # for an SSR (e.g. "SEAT 15A") or a TIF (the name)


@dataclass(frozen=True)
class HistoryEntry:
    """An ABI block: who changed the booking, when, and the changes."""

    by: str | None  # ABI originator, e.g. "LHRRR LON DL"
    at: datetime | None  # its DAT
    changes: tuple[HistoryChange, ...] = ()


@dataclass
class Pnr:
    booking_ref: str | None  # the record locator of the carrier the message is from, else the first
    record_locators: tuple[RecordLocator, ...]  # every RCI locator, the booking_ref's among them
    split_refs: tuple[RecordLocator, ...] = ()  # bookings that travellers were split off into (EQN + RCI)
    passengers: list[PnrPassenger] = field(default_factory=list)
    itinerary: list[PnrLeg] = field(default_factory=list)  # the current air legs, in the order sent
    other_segments: list[OtherSegment] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)  # kept apart: not the current itinerary


@dataclass
class PnrgovMessage:
    flight: PnrLeg | None  # the header TVL: the flight the push is for
    pnrs: list[Pnr]
    version: str | None  # "10.1", "11.1", "13.1"
    declared_count: int | None = None  # header EQN: the number of PNRs the sender says it sends
    reference: str | None = None  # UNH message reference
    sender: str | None = None  # UNB sender
    prepared_at: datetime | None = None  # UNB date/time
    warnings: list[ParseWarning] = field(default_factory=list)
