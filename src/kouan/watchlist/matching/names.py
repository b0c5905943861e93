"""A name as written (Han, Hangul, Latin, MRZ) → its spellings, and each spelling's folded keys.

A key is ``anchor|rest``: one token that may be the surname, folded alone, and the other tokens run together in
their order, folded. A name whose surname is known (MRZ ``SURNAME<<GIVEN``, ``Surname, Given``, a Han name) has
one key per spelling; a name in unknown order has one per token that may be its surname, so ``Xiaoming Wang``,
``WANG Xiao-Ming`` and ``Wang Xiao Ming`` share ``wanG|Jiaoming``."""

from __future__ import annotations

from dataclasses import dataclass

from kouan.watchlist.matching.han import han_readings, hangul_reading, is_han, is_hangul
from kouan.watchlist.matching.latin import anchor_fold, given_fold, latin_tokens

MAX_ANCHORS = 4


@dataclass(frozen=True, slots=True)
class Spelling:
    """One way of writing a name in Latin letters; ``surname`` is empty when the order is not known."""

    system: str  # latin | mrz | pinyin | wade-giles | cantonese | korean
    surname: tuple[str, ...]
    given: tuple[str, ...]

    def text(self) -> str:
        return " ".join([*self.surname, *self.given])

    def folded_keys(self) -> list[str]:
        if self.surname:
            return [_key(("".join(self.surname),), self.given)]
        tokens = self.given
        anchors = [(i, i + 1) for i in range(len(tokens))] + [(0, 2)] * (len(tokens) >= 3)
        keys = [_key(tokens[a:b], tokens[:a] + tokens[b:]) for a, b in anchors[:MAX_ANCHORS]]
        return list(dict.fromkeys(keys))


def _key(anchor: tuple[str, ...], rest: tuple[str, ...]) -> str:
    return anchor_fold("".join(anchor)) + "|" + given_fold(rest)


def spellings(name: str) -> list[Spelling]:
    """Every spelling of a name: the readings of a Han or Hangul name, or the name's own Latin tokens."""
    if is_han(name):
        return [Spelling(r.system, r.surname, r.given) for r in han_readings(name)]
    if is_hangul(name):
        reading = hangul_reading(name)
        return [Spelling("korean", reading.surname, reading.given)]
    return [_latin(name)]


def _latin(name: str) -> Spelling:
    if "<<" in name:
        surname, _, given = name.partition("<<")
        return Spelling("mrz", tuple(latin_tokens(surname)), tuple(latin_tokens(given)))
    if "," in name:
        surname, _, given = name.partition(",")
        return Spelling("latin", tuple(latin_tokens(surname)), tuple(latin_tokens(given)))
    return Spelling("latin", (), tuple(latin_tokens(name)))


def name_keys(name: str) -> list[tuple[str, Spelling]]:
    """(key, spelling) for every key of every spelling of a name, each key once."""
    seen: dict[str, Spelling] = {}
    for spelling in spellings(name):
        for key in spelling.folded_keys():
            seen.setdefault(key, spelling)
    return list(seen.items())
