"""Names as they are spelt in passports: uppercase ASCII, from Faker locales or hand-written romanised lists.

Each nationality's source is in ``data/nationalities.csv``: ``faker:<locale>`` (Latin names, transliterated),
``roman:<locale>`` (Faker's romanised providers: Hepburn for ja_JP, Wade-Giles for zh_TW) or ``list:<key>``
(``data/names.json``: gendered pinyin for Chinese nationals, since Faker's zh_CN romanised given names are few and
ungendered, and lists for Korean, Cantonese, Mongolian, Arabic, Persian and Ethiopian names).
Every draw re-seeds Faker from the caller's ``random.Random``, so names depend only on it.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from faker import Faker
from faker.decode import unidecode

from kouan.demo.tables import read_csv, read_json

ICAO_LATIN = str.maketrans(
    {
        "Ä": "AE",
        "Ö": "OE",
        "Ü": "UE",
        "ß": "SS",
        "Æ": "AE",
        "Ø": "OE",
        "Å": "AA",
        "ä": "AE",
        "ö": "OE",
        "ü": "UE",
        "æ": "AE",
        "ø": "OE",
        "å": "AA",
        "Þ": "TH",
        "þ": "TH",
        "Ə": "A",
        "ə": "A",
    }
)
NOT_NAME = re.compile(r"[^A-Z ]+")


@dataclass(frozen=True)
class Nationality:
    code: str
    names: str  # faker:<locale> | roman:<locale> | list:<key>
    passport: tuple[str, ...]  # number patterns
    family_name: str  # "own": spouses keep their own surname


@lru_cache(maxsize=1)
def nationalities() -> dict[str, Nationality]:
    rows = read_csv("nationalities.csv")
    return {
        row["code"]: Nationality(row["code"], row["names"], tuple(row["passport"].split("|")), row["family_name"])
        for row in rows
    }


@lru_cache(maxsize=1)
def _lists() -> dict[str, dict[str, list[str]]]:
    return {key: value for key, value in read_json("names.json").items() if not key.startswith("_")}


@cache
def _faker(locale: str) -> Faker:
    return Faker(locale)


def passport_spelling(text: str) -> str:
    """Uppercase ASCII letters and single spaces (ICAO 9303-style: Ü → UE, hyphens and apostrophes dropped)."""
    plain = unidecode(text.translate(ICAO_LATIN)).upper().replace("-", " ").replace("'", "")
    return " ".join(NOT_NAME.sub(" ", plain).split())


def _seeded(rng: random.Random, locale: str) -> Faker:
    faker = _faker(locale)
    faker.seed_instance(rng.getrandbits(48))
    return faker


def _faker_name(faker: Faker, part: str, sex: str, roman: bool) -> str:
    gender = "male" if sex == "M" else "female"
    stem = f"{part}_romanized_name" if roman else f"{part}_name"
    gendered = getattr(faker, f"{stem}_{gender}", None)
    return str(gendered() if gendered is not None else getattr(faker, stem)())


def given_name(rng: random.Random, nationality: str, sex: str) -> str:
    kind, _, source = nationalities()[nationality].names.partition(":")
    if kind == "list":
        return rng.choice(_lists()[source]["male" if sex == "M" else "female"])
    return passport_spelling(_faker_name(_seeded(rng, source), "first", sex, kind == "roman"))


def surname(rng: random.Random, nationality: str, sex: str) -> str:
    kind, _, source = nationalities()[nationality].names.partition(":")
    if kind == "list":
        return rng.choice(_lists()[source]["surnames"])
    return passport_spelling(_faker_name(_seeded(rng, source), "last", sex, kind == "roman"))
