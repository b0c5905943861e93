"""The demo night's flights (``data/flights.json``) and their legs in local times.

A flight is given by its arrival time where it lands (PEK, PVG or CAN) and each leg's block time; departures are
worked out backwards, converted to each airport's own time zone (from :mod:`kouan.reference`) and written as naive
local times, which is how PAXLST DTM 189/232 carry them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from kouan.demo.tables import read_json, weights
from kouan.formats.records import Leg
from kouan.reference import airport

NOON = time(12, 0)


@dataclass(frozen=True)
class Boarding:
    """Where a share of a flight's passengers embarked (LOC 178) and their nationality mix (alpha-3 → weight)."""

    at: str
    share: int
    mix: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Flight:
    carrier: str
    number: str
    aircraft: str
    route: tuple[str, ...]  # airports, the last one where it lands
    blocks: tuple[int, ...]  # minutes per leg
    ground: tuple[int, ...]  # minutes at each intermediate stop
    arrive: time  # local time where it lands
    crew: bool  # whether a crew list is sent
    transit: int  # % of passenger parties in transit
    boarding: tuple[Boarding, ...]

    @property
    def origin(self) -> str:
        return self.route[0]

    @property
    def destination(self) -> str:
        return self.route[-1]


def _flight(raw: dict[str, Any]) -> Flight:
    boarding = tuple(Boarding(str(b["at"]), int(b["share"]), weights(b["mix"])) for b in raw["boarding"])
    return Flight(
        carrier=raw["carrier"],
        number=raw["number"],
        aircraft=raw["aircraft"],
        route=tuple(raw["route"]),
        blocks=tuple(raw["blocks"]),
        ground=tuple(raw["ground"]),
        arrive=time.fromisoformat(raw["arrive"]),
        crew=bool(raw["crew"]),
        transit=int(raw["transit"]),
        boarding=boarding,
    )


@lru_cache(maxsize=1)
def flights() -> tuple[Flight, ...]:
    """Every flight of the demo night (into PEK, PVG and CAN), in the order of ``data/flights.json``."""
    return tuple(_flight(item) for item in read_json("flights.json")["flights"])


def _zone(code: str) -> ZoneInfo:
    found = airport(code)
    if found is None:
        raise KeyError(f"airport {code!r} not in airportsdata")
    return ZoneInfo(found.tz)


def arrival(flight: Flight, night: date) -> datetime:
    """When the flight lands (aware): evening times on ``night``, small hours on the day after."""
    day = night if flight.arrive >= NOON else night + timedelta(days=1)
    return datetime.combine(day, flight.arrive, tzinfo=_zone(flight.destination))


def _local(moment: datetime, code: str) -> datetime:
    return moment.astimezone(_zone(code)).replace(tzinfo=None)


def timed_legs(flight: Flight, night: date) -> list[tuple[datetime, datetime]]:
    """(departure, arrival) of each leg as aware datetimes, worked out backwards from the landing."""
    legs: list[tuple[datetime, datetime]] = []
    landing = arrival(flight, night)
    for index in reversed(range(len(flight.blocks))):
        departure = landing - timedelta(minutes=flight.blocks[index])
        legs.insert(0, (departure, landing))
        landing = departure - timedelta(minutes=flight.ground[index - 1]) if index else departure
    return legs


def legs(flight: Flight, night: date) -> list[Leg]:
    """The flight's legs as PAXLST records, times naive and local to each airport."""
    return [
        Leg(
            origin=flight.route[i],
            destination=flight.route[i + 1],
            departure=_local(dep, flight.route[i]),
            arrival=_local(arr, flight.route[i + 1]),
            carrier=flight.carrier,
            number=flight.number,
        )
        for i, (dep, arr) in enumerate(timed_legs(flight, night))
    ]
