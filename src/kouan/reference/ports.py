"""Seaports by UN/LOCODE, and the region each port's risk is kept under.

A UN/LOCODE is the ISO 3166-1 alpha-2 of a country and a three-character location (``CNMAA``, sometimes written
``CN MAA``). The ports come from the bundled extract ``data/un_locode_ports.csv`` (its sources are in
``data/README.md``). A port's ``region_code`` is its country's alpha-3, except in mainland China, where it is the
province (``CNMAA`` → ``CN-AH``) from the port's ISO 3166-2:CN subdivision; Chinese locodes in Hong Kong and Macao
give ``HKG`` and ``MAC``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from kouan.reference._tables import read_table
from kouan.reference.countries import country
from kouan.reference.regions import KOSOVO, region

LOCODE = re.compile(r"^([A-Z]{2})\s?([A-Z2-9]{3})$")
SPECIAL_SUBDIVISIONS = {"HK": "HKG", "MO": "MAC", "TW": "TWN"}  # CN subdivisions kept as their own regions


@dataclass(frozen=True)
class Port:
    locode: str
    name: str
    country: str  # ISO 3166-1 alpha-2, as in the locode
    country_alpha3: str
    subdivision: str | None  # ISO 3166-2 subdivision code without the country (``AH``), when known
    region_code: str  # what screening keeps risk under: alpha-3, or ``CN-XX`` for a mainland province
    function: str | None  # "1" = port; None when the extract does not know


def normalise_locode(text: str) -> str | None:
    """``CNMAA`` from ``cnmaa``, ``CN MAA`` or ``CN-MAA``; None when it is not shaped like a UN/LOCODE."""
    cleaned = text.strip().upper().replace("-", " ")
    found = LOCODE.match(cleaned)
    return found.group(1) + found.group(2) if found else None


def _alpha3(alpha2: str) -> str | None:
    if alpha2 == "XK":
        return KOSOVO
    found = country(alpha2)
    return found.iso_country if found is not None and found.alpha2 == alpha2 else None


def _region_code(alpha3: str, subdivision: str | None) -> str:
    if alpha3 != "CHN" or not subdivision:
        return alpha3
    if subdivision in SPECIAL_SUBDIVISIONS:
        return SPECIAL_SUBDIVISIONS[subdivision]
    province = region(f"CN-{subdivision}")
    return province.code if province is not None else "CHN"


def _port(row: dict[str, str]) -> Port | None:
    alpha3 = _alpha3(row["country"])
    if alpha3 is None:
        return None
    subdivision = row["subdivision"] or None
    return Port(
        locode=row["locode"],
        name=row["name"],
        country=row["country"],
        country_alpha3=alpha3,
        subdivision=subdivision,
        region_code=_region_code(alpha3, subdivision),
        function=row["function"] or None,
    )


@lru_cache(maxsize=1)
def _ports() -> dict[str, Port]:
    ports = (_port(row) for row in read_table("un_locode_ports.csv"))
    return {found.locode: found for found in ports if found is not None}


def port(locode: str) -> Port | None:
    """The port with this UN/LOCODE (``CNMAA``, ``CN MAA``); None when the extract does not list it."""
    key = normalise_locode(locode)
    return _ports().get(key) if key is not None else None


def ports() -> list[Port]:
    """Every port of the bundled extract, ordered by locode."""
    return [_ports()[key] for key in sorted(_ports())]


def port_region(locode: str) -> str | None:
    """The region a port of call's risk is kept under.

    A listed port gives its region (``CNMAA`` → ``CN-AH``, ``SGSIN`` → ``SGP``). A well-formed locode the extract
    does not list still names its country, so it gives the country's alpha-3 (``CHN`` for an unlisted Chinese
    place); None when the text is not a UN/LOCODE or its country is unknown.
    """
    found = port(locode)
    if found is not None:
        return found.region_code
    key = normalise_locode(locode)
    return _alpha3(key[:2]) if key is not None else None


ZONES = {"CN": "Asia/Shanghai"}  # a seaport's time zone by its UN/LOCODE country; UTC where none is listed


def seaport_zone(locode: str) -> ZoneInfo:
    """The time zone officers read a seaport's ETA in."""
    return ZoneInfo(ZONES.get(locode[:2].upper(), "UTC"))
