"""Pure core: the stays a manifest tells about a person (no database, no web).

A manifest shows where a person boarded and every point the flight left from after that: each is a stay
on the day the leg departed. Later sources (PNR, declarations, our own crossings) add their own stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kouan import errors
from kouan.formats.records import Leg, PaxlstMessage, Person
from kouan.reference import city_airports, place

UNKNOWN_REGION = "?"


@dataclass(frozen=True)
class StayRecord:
    region_code: str
    place: str | None
    stay_date: date  # the last day known in the place
    source: str
    date_from: date | None = None
    evidence: str | None = None


class UnidentifiedVoyage(errors.Invalid):
    """The message does not say which flight on which day: it cannot be filed."""

    @property
    def detail(self) -> dict[str, str]:
        return {"position": "message", "message": str(self)}


def flight_number(*, carrier: str | None, number: str | None) -> str:
    """'UA124', '124' and '0124' all file as '124' under carrier UA (suffix letters kept: '6A')."""
    text = (number or "").strip().upper()
    if carrier and text.startswith(carrier.upper()):
        text = text[len(carrier) :]
    return text.lstrip("0") or text[-1:] if text else ""


def region_of(code: str | None) -> str:
    found = place(code) if code else None
    return found.region_code if found and found.region_code else UNKNOWN_REGION


def arriving_leg(*, message: PaxlstMessage, port: str) -> Leg:
    """The leg that brings the voyage to our port (the last one when none names it)."""
    if not message.legs:
        raise UnidentifiedVoyage("the message has no flight leg (TDT)")
    ports = {port, *city_airports(port)}
    for leg in message.legs:
        if leg.destination in ports:
            return leg
    return message.legs[-1]


def departing_leg(*, message: PaxlstMessage, port: str) -> Leg:
    """The leg that leaves our port, for a departure manifest (the first one when none names it)."""
    if not message.legs:
        raise UnidentifiedVoyage("the message has no flight leg (TDT)")
    ports = {port, *city_airports(port)}
    return next((leg for leg in message.legs if leg.origin in ports), message.legs[0])


def leg_date(leg: Leg) -> date | None:
    moment = leg.departure or leg.arrival
    return moment.date() if moment else None


def legs_to_port(*, message: PaxlstMessage, port: str) -> list[Leg]:
    """The legs up to and including the one arriving at our port, those with a date."""
    last = message.legs.index(arriving_leg(message=message, port=port))
    return [leg for leg in message.legs[: last + 1] if leg_date(leg) is not None]


def manifest_stays(*, message: PaxlstMessage, person: Person, port: str) -> list[StayRecord]:
    """Embarkation point and every later departure point of the flight, each on its leg's date."""
    legs = legs_to_port(message=message, port=port)
    start = _embarkation_index(legs=legs, person=person)
    stays: list[StayRecord] = []
    if start is None and person.embarkation and legs:
        stays.append(_stay(person.embarkation, leg_date(legs[0]), "manifest-embarkation"))
        start = 0
    for index, leg in enumerate(legs[start or 0 :], start=start or 0):
        source = "manifest-embarkation" if index == start and not stays else "manifest-leg"
        stays.append(_stay(leg.origin, leg_date(leg), source))
    return [stay for stay in stays if stay.place]


def _embarkation_index(*, legs: list[Leg], person: Person) -> int | None:
    if not person.embarkation:
        return 0
    for index, leg in enumerate(legs):
        if leg.origin == person.embarkation:
            return index
    return None


def _stay(code: str | None, when: date | None, source: str) -> StayRecord:
    assert when is not None
    return StayRecord(region_code=region_of(code), place=code, stay_date=when, source=source)
