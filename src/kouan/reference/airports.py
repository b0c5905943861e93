"""Airports (from airportsdata, IATA codes), IATA city codes, and the region each place's risk is kept under.

An airport's ``region_code`` is its country's alpha-3, except in mainland China, where it is the province
(``PEK`` → ``CN-BJ``) derived from airportsdata's ``subd`` field. Hong Kong, Macao and Taiwan airports are in
``HKG``, ``MAC`` and ``TWN``. City codes (``BJS``, ``LON``...) come from the hand-written ``data/city_codes.csv``;
where a code is both an airport and a city (``SHA``, ``BKK``), ``place()`` returns the airport.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import airportsdata

from kouan.reference._tables import read_table
from kouan.reference.countries import country
from kouan.reference.regions import KOSOVO, china_province

PlaceKind = Literal["airport", "city"]


@dataclass(frozen=True)
class Airport:
    iata: str
    name: str
    city: str
    country: str  # alpha-3
    region_code: str
    tz: str  # IANA time zone name


@dataclass(frozen=True)
class Place:
    code: str
    kind: PlaceKind
    name: str
    country: str
    region_code: str


@lru_cache(maxsize=1)
def _airports() -> dict[str, dict[str, Any]]:
    return {code: dict(row) for code, row in airportsdata.load("IATA").items()}


def _alpha3(alpha2: str) -> str:
    if alpha2 == "XK":
        return KOSOVO
    found = country(alpha2)
    return found.code if found is not None else alpha2


def _region_code(alpha3: str, subd: str) -> str:
    if alpha3 != "CHN":
        return alpha3
    return china_province(subd) or "CHN"


def _airport(row: dict[str, Any]) -> Airport:
    alpha3 = _alpha3(str(row["country"]))
    return Airport(
        iata=str(row["iata"]),
        name=str(row["name"]),
        city=str(row["city"]),
        country=alpha3,
        region_code=_region_code(alpha3, str(row["subd"])),
        tz=str(row["tz"]),
    )


@lru_cache(maxsize=4096)
def airport(code: str) -> Airport | None:
    """The airport with this IATA code; None when airportsdata does not list it."""
    row = _airports().get(code.strip().upper())
    return _airport(row) if row is not None else None


@lru_cache(maxsize=1)
def _cities() -> dict[str, tuple[str, tuple[str, ...]]]:
    return {row["code"]: (row["name"], tuple(row["airports"].split())) for row in read_table("city_codes.csv")}


def city_airports(code: str) -> tuple[str, ...]:
    """The airports an IATA city code groups (``LON`` → ``LHR``, ``LGW``...); an airport alone gives itself."""
    key = code.strip().upper()
    if key in _cities():
        return _cities()[key][1]
    return (key,) if airport(key) is not None else ()


def _city_place(code: str) -> Place | None:
    name, members = _cities()[code]
    first = airport(members[0])
    if first is None:
        return None
    return Place(code=code, kind="city", name=name, country=first.country, region_code=first.region_code)


def place(code: str) -> Place | None:
    """An airport or, failing that, an IATA city code, as a Place; None when neither."""
    key = code.strip().upper()
    found = airport(key)
    if found is not None:
        return Place(code=key, kind="airport", name=found.name, country=found.country, region_code=found.region_code)
    return _city_place(key) if key in _cities() else None
