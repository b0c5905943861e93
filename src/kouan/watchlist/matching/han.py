"""Names in Han characters (and Hangul) → their Latin readings: mainland pinyin with the surname readings that
differ from a character's common one (单 Shan, 曾 Zeng, 区 Ou, compound surnames 欧阳, 司马), Wade-Giles as Taiwan
documents write it, and the Hong Kong Government Cantonese romanisation (陳 Chan, 黃 Wong, 吳 Ng) as Hong Kong and
Macao documents write it. Readings come from pypinyin (pinyin), cantonese-romanisation (Cantonese, from
Traditional characters: OpenCC converts Simplified first); only the surname table is ours (data/han_surnames.tsv)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from anyascii import anyascii
from cantoroman import Cantonese
from opencc import OpenCC
from pypinyin import Style, lazy_pinyin

from kouan.watchlist.matching.latin import wade_giles

MAX_CANTONESE_READINGS = 4  # a name's Cantonese alternatives beyond these are rare readings of rare characters


@dataclass(frozen=True, slots=True)
class Reading:
    """One Latin reading of a name: its system, surname and given-name syllables."""

    system: str  # pinyin | wade-giles | cantonese | korean
    surname: tuple[str, ...]
    given: tuple[str, ...]

    def text(self) -> str:
        joiner = "" if self.system == "pinyin" else "-"
        return " ".join(["".join(self.surname).upper(), joiner.join(self.given).capitalize()]).strip()


def is_han(text: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" for char in text)


def is_hangul(text: str) -> bool:
    return any("\uac00" <= char <= "\ud7a3" for char in text)


def han_readings(name: str) -> list[Reading]:
    """The pinyin, Wade-Giles and Cantonese readings of a Han name (surname first, as Han names are written)."""
    chars = "".join(char for char in name if is_han(char))
    surname, given = split_surname(chars)
    pinyin_surname = surname_pinyin(surname)
    pinyin_given = tuple(_pinyin(char) for char in given)
    readings = [
        Reading("pinyin", pinyin_surname, pinyin_given),
        Reading("wade-giles", tuple(wade_giles(s) for s in pinyin_surname), tuple(wade_giles(s) for s in pinyin_given)),
    ]
    return readings + cantonese_readings(surname, given)


def hangul_reading(name: str) -> Reading:
    """A Hangul name (surname first) in Revised Romanization as anyascii writes it, one syllable per block."""
    syllables = [anyascii(char).lower() for char in name if is_hangul(char)]
    return Reading("korean", tuple(syllables[:1]), tuple(syllables[1:]))


def split_surname(chars: str) -> tuple[str, str]:
    """A compound surname (欧阳, 诸葛) when the name starts with one and is longer; otherwise the first character."""
    simplified = _simplified(chars)
    if len(chars) > 2 and simplified[:2] in _surnames():
        return chars[:2], chars[2:]
    return chars[:1], chars[1:]


def surname_pinyin(surname: str) -> tuple[str, ...]:
    pinyin, _ = _surnames().get(_simplified(surname), ((), ()))
    return pinyin or tuple(_pinyin(char) for char in surname)


def cantonese_readings(surname: str, given: str) -> list[Reading]:
    """Hong Kong romanisations: the surname's document spelling (or the library's readings), the given names'
    alternative readings, at most MAX_CANTONESE_READINGS of them."""
    _, known = _surnames().get(_simplified(surname), ((), ()))
    surnames: list[tuple[str, ...]] = [known] if known else list(itertools.product(*map(_cantonese, surname)))
    syllables = [_cantonese(char) for char in _traditional(given)]
    if not surnames or not all(syllables):
        return []
    combos = itertools.islice(itertools.product(surnames, *syllables), MAX_CANTONESE_READINGS)
    return [Reading("cantonese", combo[0], tuple(combo[1:])) for combo in combos]  # type: ignore[arg-type]


@cache
def _pinyin(char: str) -> str:
    return lazy_pinyin(char, style=Style.NORMAL, v_to_u=False)[0]


@cache
def _cantonese(char: str) -> tuple[str, ...]:
    char = _traditional(char)
    readings = _cantonese_table().getRoman(char)
    return tuple(readings[0]) if readings and readings[0] else ()


@cache
def _simplified(text: str) -> str:
    return _converter("t2s").convert(text)


@cache
def _traditional(text: str) -> str:
    return _converter("s2t").convert(text)


@cache
def _converter(config: str) -> OpenCC:
    return OpenCC(config)


@cache
def _cantonese_table() -> Cantonese:
    return Cantonese()


@cache
def _surnames() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Surname → (pinyin syllables, Hong Kong syllables), either empty when the library's reading is right."""
    rows = files(__package__).joinpath("data/han_surnames.tsv").read_text("utf-8").splitlines()
    fields = (row.split("\t") for row in rows if row and row[0] != "#")
    return {han: (tuple(pinyin.split()), tuple(cantonese.split())) for han, pinyin, cantonese in fields}
