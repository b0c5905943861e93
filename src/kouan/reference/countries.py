"""Countries and the ICAO Doc 9303 MRZ-only nationality codes.

``country()`` accepts ISO 3166-1 alpha-2 and alpha-3, the MRZ codes (``D`` for Germany, ``GBD``..., ``RKS``,
``XXA``...) and a few aliases seen in dirty data. Decisions:

- ``D`` *is* Germany: it returns the Germany record (code ``DEU``); ``normalise_country("D") == "DEU"``.
- The British ``GB?`` codes are their own nationalities (code ``GBD``...), but UK risk applies (``iso_country`` GBR).
- Kosovo has no ISO code. Its canonical code is the MRZ code ``RKS``; its risk is kept under ``XKX`` (the
  user-assigned code used by the EU and the World Bank; JHU's ``XKS`` is mapped to ``XKX`` by ``regions``).
  ``XK``, ``XKX`` and ``XKS`` are accepted as aliases. UNMIK documents (``UNK``) also carry Kosovo's risk.
- UN, other organisations, stateless, refugee and unspecified codes carry no country risk (``iso_country`` None).
- English names are ISO 3166 short names (so they match pycountry's translation catalogues); Chinese names come
  from pycountry's ``zh_CN`` catalogue, hand-written for the MRZ-only codes.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pycountry

from kouan.reference._tables import read_table

ALIASES = {"D": "DEU", "UK": "GBR", "XK": "RKS", "XKX": "RKS", "XKS": "RKS"}


@dataclass(frozen=True)
class Country:
    code: str  # alpha-3 for ISO countries, the MRZ code otherwise
    alpha2: str | None
    name: str
    name_zh: str
    iso_country: str | None  # the alpha-3 whose risk applies


@lru_cache(maxsize=1)
def _zh() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)


def _iso_country(record: Any) -> Country:
    name, alpha3 = str(record.name), str(record.alpha_3)
    return Country(code=alpha3, alpha2=str(record.alpha_2), name=name, name_zh=_zh().gettext(name), iso_country=alpha3)


def _mrz_country(row: dict[str, str]) -> Country:
    return Country(
        code=row["code"],
        alpha2=row["alpha2"] or None,
        name=row["name"],
        name_zh=row["name_zh"],
        iso_country=row["iso_country"] or None,
    )


@lru_cache(maxsize=1)
def _table() -> dict[str, Country]:
    """Every accepted code (alpha-2, alpha-3, MRZ, alias) → its Country."""
    table: dict[str, Country] = {}
    for record in pycountry.countries:
        entry = _iso_country(record)
        table[entry.code] = entry
        table[str(entry.alpha2)] = entry
    for row in read_table("mrz_codes.csv"):
        entry = _mrz_country(row)
        table[entry.code] = entry
    for alias, target in ALIASES.items():
        table[alias] = table[target]
    return table


def _clean(code: str) -> str:
    return code.strip().strip("<").strip().upper()


def country(code: str) -> Country | None:
    """The country (or MRZ pseudo-country) for an alpha-2, alpha-3 or MRZ code; None when unknown."""
    return _table().get(_clean(code))


def normalise_country(code: str) -> str:
    """The canonical code for ``code``; raises KeyError naming the code when it is unknown."""
    found = country(code)
    if found is None:
        raise KeyError(f"unknown country code {code!r}")
    return found.code


def countries() -> list[Country]:
    """Every distinct country and MRZ pseudo-country, ordered by code."""
    unique = {entry.code: entry for entry in _table().values()}
    return [unique[code] for code in sorted(unique)]
