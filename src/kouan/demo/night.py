"""A realistic night of arrivals at Beijing Capital (PEK), Shanghai Pudong (PVG) and Guangzhou Baiyun (CAN) in
mid-March 2020, written as PAXLST files.

``generate_night()`` builds one passenger list per flight (BGM 745) and a crew list (BGM 250) for the flights
marked so in ``data/flights.json``, and writes them with :func:`kouan.formats.paxlst.write_paxlst`. Everything is
drawn from ``random.Random`` seeded with ``(seed, flight number)``, so a seed always gives the same night and each
flight is independent of the others. Filenames are ``<night>_<flight>_<first origin>_<pax|crew>.edi``, where
``<night>`` is the evening's date (flights landing after midnight belong to the night before).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from kouan.demo.cabin import SeatMap, capacity
from kouan.demo.people import Trip, booking_ref, crew_member, party, pick
from kouan.demo.schedule import Boarding, Flight, flights, legs, timed_legs
from kouan.demo.tables import read_csv, weights
from kouan.formats.paxlst import write_paxlst
from kouan.formats.records import MessageType, PaxlstMessage, Person, Role

NIGHT = date(2020, 3, 15)
LOAD_FACTOR = (0.40, 0.80)  # March 2020
BUSINESS_SHARE = 0.08  # share of parties seated in business
CREW_SIZE = (8, 16)
ABROAD_RESIDENT = 0.5  # share of Chinese nationals boarding abroad who live there (students, workers)
SUFFIX: dict[MessageType, str] = {"passengers": "pax", "crew": "crew"}


@dataclass(frozen=True)
class DemoMessage:
    filename: str
    text: str
    carrier: str
    number: str
    origin: str  # first origin of the flight
    message_type: MessageType


@lru_cache(maxsize=1)
def _carriers() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in read_csv("carriers.csv")}


def _boarding(rng: random.Random, flight: Flight) -> Boarding:
    return rng.choices(flight.boarding, [point.share for point in flight.boarding])[0]


def _seated(rng: random.Random, seats: SeatMap, group: list[Person]) -> list[Person]:
    cabin = "J" if rng.random() < BUSINESS_SHARE else "Y"
    taken = seats.take(rng, len(group), cabin)
    return [replace(traveller, seat=seat) for traveller, seat in zip(group, taken, strict=False)]


def _party(rng: random.Random, flight: Flight, night: date) -> list[Person]:
    point = _boarding(rng, flight)
    role: Role = "in_transit" if rng.random() * 100 < flight.transit else "passenger"
    trip = Trip(night, point.at, flight.destination, role, booking_ref(rng), rng.random() < ABROAD_RESIDENT)
    return party(rng, trip, pick(rng, point.mix))


def passengers(rng: random.Random, flight: Flight, night: date, scale: float) -> list[Person]:
    """A load of 40-80 % of the aircraft's seats (times ``scale``), seated party by party."""
    seats, size = SeatMap(flight.aircraft), capacity(flight.aircraft)
    wanted = min(size, max(1, round(size * rng.uniform(*LOAD_FACTOR) * scale)))
    travellers: list[Person] = []
    while len(travellers) < wanted:
        group = _party(rng, flight, night)[: wanted - len(travellers)]
        travellers.extend(_seated(rng, seats, group))
    return travellers


def crew(rng: random.Random, flight: Flight, night: date) -> list[Person]:
    mix = weights(_carriers()[flight.carrier]["crew"])
    trip = Trip(night, flight.origin, flight.destination, "crew")
    return [crew_member(rng, trip, pick(rng, mix)) for _ in range(rng.randint(*CREW_SIZE))]


def _prepared_at(flight: Flight, night: date) -> datetime:
    """Carriers send the list when the last leg is airborne: its departure (UTC) plus 15 minutes."""
    departure = timed_legs(flight, night)[-1][0]
    return (departure + timedelta(minutes=15)).astimezone(UTC).replace(tzinfo=None)


def message(flight: Flight, night: date, kind: MessageType, travellers: list[Person]) -> PaxlstMessage:
    return PaxlstMessage(
        message_type=kind,
        carrier=flight.carrier,
        number=flight.number,
        legs=legs(flight, night),
        travellers=travellers,
        declared_count=len(travellers),
        reference=f"{flight.number}{SUFFIX[kind][0].upper()}",
        sender=_carriers()[flight.carrier]["sender"],
        prepared_at=_prepared_at(flight, night),
        version="D:05B",
    )


def _lists(flight: Flight, night: date, seed: int, scale: float) -> Iterator[tuple[MessageType, list[Person]]]:
    rng = random.Random(f"{seed}:{flight.number}")
    yield "passengers", passengers(rng, flight, night, scale)
    if flight.crew:
        yield "crew", crew(rng, flight, night)


def _demo(flight: Flight, night: date, kind: MessageType, text: str) -> DemoMessage:
    filename = f"{night:%Y%m%d}_{flight.number}_{flight.origin}_{SUFFIX[kind]}.edi"
    return DemoMessage(filename, text, flight.carrier, flight.number, flight.origin, kind)


def generate_night(*, night: date = NIGHT, seed: int = 2020, scale: float = 1.0) -> list[DemoMessage]:
    """The PAXLST messages of one night of arrivals at the three airports (passenger lists, and crew lists for
    some flights)."""
    out: list[DemoMessage] = []
    for flight in flights():
        for kind, travellers in _lists(flight, night, seed, scale):
            text = write_paxlst(message(flight, night, kind, travellers), interchange_ref=str(len(out) + 1))
            out.append(_demo(flight, night, kind, text))
    return out


def write_night(
    *,
    directory: Path,
    night: date = NIGHT,
    seed: int = 2020,
    scale: float = 1.0,
    messages: list[DemoMessage] | None = None,
) -> list[Path]:
    """Write the night's messages (generated unless given) into ``directory``; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for demo in messages if messages is not None else generate_night(night=night, seed=seed, scale=scale):
        path = directory / demo.filename
        path.write_text(demo.text, encoding="ascii")
        paths.append(path)
    return paths
