"""Latin-script names: tokens (MRZ fillers, hyphens, apostrophes, diacritics) and the fold that makes the spellings
of one name under pinyin, Wade-Giles, Korean and MRZ transliteration meet.

A fold is lossy on purpose: it merges aspirated and plain initials (Wade-Giles ch/ch', Korean b/p), ü written U,
YU or V, the vowel spellings of Korean romanisations (oo/u, eo/o) and ICAO's MRZ umlaut forms (UE, OE, AE). It is
used for blocking and for the fold score; the features a hit reports say how far the raw spellings are apart."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib.resources import files

from anyascii import anyascii
from pypinyin.style.wadegiles import _convert_table

_SPLIT = re.compile(r"[^a-z]+")
_DOUBLED = re.compile(r"(.)\1+")
_APOSTROPHES = re.compile(r"['’ʼ‘`´]")
# The fold, in three passes: letter groups (context-free but for ü and the MRZ's UE), single letters, then a vowel's
# trailing h and doubled letters.
_GROUPS = re.compile(r"hs|zh|ch|sh|ts|tz|(?<=[ln])(?:yu|v)|(?<![hjqxylns])ue|oe|eo|ae|oo|eu|ee")
_GROUP_FOLDS = {
    "hs": "x",  # Wade-Giles hs = pinyin x
    "zh": "J",  # Wade-Giles ch/ch' = pinyin zh, ch, j, q
    "ch": "J",
    "sh": "s",  # Hong Kong writes s before i and e as sh (Shing, Sheung)
    "ts": "Z",  # Wade-Giles ts/ts' = pinyin z, c
    "tz": "Z",
    "yu": "u",  # ü as YU (passports since 2012) or V (keyboards), after l and n
    "v": "u",
    "ue": "u",  # MRZ Ü → UE (pinyin jue/que/xue/yue/lue/nue keep theirs)
    "oe": "o",  # MRZ Ö → OE; Korean eo
    "eo": "o",
    "ae": "a",  # MRZ Ä → AE; Korean ae
    "oo": "u",  # Korean oo, eu, ee
    "eu": "u",
    "ee": "i",
}
_LETTERS = str.maketrans("jqzcbpdtgk", "JJZZBBDDGG")  # aspirated and plain initials: Park/Bak, Wade-Giles p/p'
_TRAILING_H = re.compile(r"(?<=[aeiou])h(?![aeiou])")  # Ahn, Oh, Bahk, Wade-Giles chih


def latin_tokens(text: str) -> list[str]:
    """Lower-case ASCII tokens of a name in any Latin form: diacritics dropped, MRZ ``<`` fillers, hyphens,
    commas and dots split, apostrophes (Wade-Giles ch'ang, O'Brien) dropped inside a token."""
    ascii_text = anyascii(_APOSTROPHES.sub("", text)).lower()
    return [token for token in _SPLIT.split(ascii_text) if token]


def fold(text: str) -> str:
    """The folded form of lower-case letters (one token or given names run together)."""
    grouped = _GROUPS.sub(lambda match: _GROUP_FOLDS[match.group()], text).translate(_LETTERS)
    return _DOUBLED.sub(r"\1", _TRAILING_H.sub("", grouped))


@lru_cache(maxsize=1 << 18)
def anchor_fold(token: str, wade_giles: bool = False) -> str:
    """A name token that may be a surname, folded: its Korean canonical spelling first (Lee/Yi/Rhee → li), then
    (when reading Wade-Giles) a Wade-Giles syllable as pinyin, then the fold."""
    return fold(korean_canonical().get(token) or (wade_giles_pinyin(token) if wade_giles else token))


@lru_cache(maxsize=1 << 20)
def given_fold(tokens: tuple[str, ...], wade_giles: bool = False) -> str:
    """Given names folded and run together, so written together, apart or hyphenated they fold alike."""
    return _DOUBLED.sub(r"\1", "".join(_token_fold(token, wade_giles) for token in tokens))


@lru_cache(maxsize=1 << 20)
def _token_fold(token: str, wade_giles: bool) -> str:
    return fold(wade_giles_pinyin(token) if wade_giles else token)


_ICAO = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "å": "aa", "ø": "oe", "æ": "ae", "ß": "ss", "þ": "th"})


def icao_transliteration(text: str) -> str:
    """ICAO Doc 9303's MRZ spellings of the letters it writes with two (Ü → UE, Ø → OE, Å → AA, ß → SS)."""
    return text.lower().translate(_ICAO)


def wade_giles_pinyin(token: str) -> str:
    """A Wade-Giles syllable written without apostrophes or umlauts as pinyin, also inside given names run
    together (Hsiujung → xiurong); any other token as it is."""
    table = _wade_giles_table()
    syllables = table.get(token) or _syllables(token)
    return "".join(table.get(s, s) for s in syllables) if isinstance(syllables, list) else syllables


def _syllables(token: str) -> list[str] | str:
    """The token cut into pinyin or Wade-Giles syllables, longest first; the token itself when it does not cut."""
    known, cut, at = _all_syllables(), [], 0
    while at < len(token):
        length = next((n for n in range(min(6, len(token) - at), 0, -1) if token[at : at + n] in known), 0)
        if not length:
            return token
        cut.append(token[at : at + length])
        at += length
    return cut


@lru_cache(maxsize=1 << 18)
def syllabic(token: str) -> bool:
    """Whether a token is pinyin or Wade-Giles syllables throughout (a well-formed Chinese name part)."""
    return isinstance(_syllables(token), list)


@cache
def _all_syllables() -> frozenset[str]:
    return pinyin_syllables() | frozenset(_wade_giles_table())


@cache
def pinyin_syllables() -> frozenset[str]:
    return frozenset(pinyin for pinyin, _ in _convert_table) | {"lv", "nv", "lve", "nve", "lu", "nu"}


@cache
def _wade_giles_table() -> dict[str, str]:
    """pypinyin's pinyin → Wade-Giles table, inverted for the syllables that are not also pinyin (Hsu → xu,
    Chieh → jie, Jen → ren); a Wade-Giles spelling that is also pinyin (chang, chen) folds alike either way."""
    table: dict[str, str] = {}
    for pinyin, wade_giles in _convert_table:
        for spelling in {latin_tokens(wade_giles)[0], latin_tokens(wade_giles.replace("ü", "yu"))[0]}:
            if spelling not in pinyin_syllables():
                table.setdefault(spelling, pinyin.replace("ü", "v"))
    return table


@cache
def korean_canonical() -> dict[str, str]:
    """Each passport spelling of a Korean surname → its canonical spelling (data/korean_surnames.tsv)."""
    table: dict[str, str] = {}
    for line in files(__package__).joinpath("data/korean_surnames.tsv").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            canonical, spellings = line.split("\t")
            table.update({spelling: canonical for spelling in [canonical, *spellings.split()]})
    return table


def wade_giles(pinyin: str) -> str:
    """A pinyin syllable in Wade-Giles without apostrophes or umlauts, as Taiwan passports write it."""
    return _pinyin_to_wade_giles().get(pinyin, pinyin)


@cache
def _pinyin_to_wade_giles() -> dict[str, str]:
    return {pinyin.replace("ü", "v"): latin_tokens(wg)[0] for pinyin, wg in _convert_table}
