"""Regions: the places risk data is kept for.

A region code is the ISO 3166-1 alpha-3 of a country, except mainland China, which is split into its 31
provincial-level divisions under their ISO 3166-2 *letter* codes as pycountry 26 names them (``CN-BJ``, ``CN-HB``;
not the older numeric ``CN-11``). Hong Kong (``HKG``), Macao (``MAC``) and Taiwan (``TWN``) are kept as their own
regions with their ISO alpha-3 codes, as in the JHU data. Kosovo, which has no ISO code, is ``XKX``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import pycountry

from kouan.reference._tables import read_table
from kouan.reference.countries import country as lookup_country

RegionKind = Literal["country", "province"]
KOSOVO = "XKX"
JHU_ISO3 = {"XKS": KOSOVO}  # JHU's user-assigned codes → ours
JHU_COUNTRY_NAMES = {"US": "USA", "Korea, South": "KOR", "Taiwan*": "TWN", "Burma": "MMR"}


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    name_zh: str
    kind: RegionKind
    parent: str | None  # alpha-3 of the country a province belongs to


def _province(row: dict[str, str]) -> Region:
    return Region(code=row["code"], name=row["name"], name_zh=row["name_zh"], kind="province", parent="CHN")


@lru_cache(maxsize=1)
def provinces() -> tuple[Region, ...]:
    """The 31 provincial-level divisions of mainland China."""
    return tuple(_province(row) for row in read_table("cn_provinces.csv"))


def _key(name: str) -> str:
    return " ".join(name.replace("-", " ").split()).casefold()


@lru_cache(maxsize=1)
def _province_names() -> dict[str, str]:
    """Every spelling of a province (ours, aliases, pycountry's romanised name) → its code."""
    names: dict[str, str] = {}
    for row in read_table("cn_provinces.csv"):
        for name in [row["name"], *filter(None, row["aliases"].split("|"))]:
            names[_key(name)] = row["code"]
    for sub in pycountry.subdivisions.get(country_code="CN") or []:
        if any(region.code == sub.code for region in provinces()):
            names[_key(sub.name)] = sub.code
    return names


def china_province(name: str) -> str | None:
    """The ``CN-XX`` code of a mainland province named in English or pinyin; None when not recognised."""
    return _province_names().get(_key(name))


def _country_region(alpha3: str) -> Region:
    found = lookup_country(alpha3)
    assert found is not None, alpha3
    return Region(code=alpha3, name=found.name, name_zh=found.name_zh, kind="country", parent=None)


@lru_cache(maxsize=1)
def _regions() -> tuple[Region, ...]:
    codes = [str(record.alpha_3) for record in pycountry.countries]
    kosovo = lookup_country("RKS")
    assert kosovo is not None
    extra = Region(code=KOSOVO, name=kosovo.name, name_zh=kosovo.name_zh, kind="country", parent=None)
    listed = [_country_region(code) for code in codes] + [extra]
    return tuple(sorted(listed, key=lambda region: region.code)) + provinces()


def regions() -> list[Region]:
    """Every country (ISO alpha-3, plus Kosovo ``XKX``) and the 31 mainland provinces."""
    return list(_regions())


@lru_cache(maxsize=1)
def _regions_by_code() -> dict[str, Region]:
    return {region.code: region for region in _regions()}


def region(code: str) -> Region | None:
    """The region with this code (``ITA``, ``CN-HB``); None when unknown."""
    return _regions_by_code().get(code.strip().upper())


def region_name(code: str) -> str:
    """The region's English name; the code itself when unknown (``?`` reads as an unknown place)."""
    found = region(code)
    return found.name if found else f"unknown place {code}" if code == "?" else code


def _jhu_country_iso3(name: str) -> str | None:
    if name in JHU_COUNTRY_NAMES:
        return JHU_COUNTRY_NAMES[name]
    try:
        return str(pycountry.countries.lookup(name).alpha_3)
    except LookupError:
        return None


def region_for_jhu(*, province: str, country: str, iso3: str) -> str | None:
    """The region code a row of the JHU CSSE time series is kept under, or None when the row is not used.

    Country rows give their iso3; Chinese provinces give ``CN-XX`` (Hong Kong and Macau their own iso3); rows of
    other countries' territories count only when they have their own iso3 (Bermuda, Greenland...).
    """
    code = JHU_ISO3.get(iso3, iso3) or None
    if not province:
        return code
    if country == "China" and code == "CHN":
        return china_province(province)
    return code if code and code != _jhu_country_iso3(country) else None
