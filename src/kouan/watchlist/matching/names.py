"""A name as written (Han, Hangul, Latin, MRZ) → its spellings, and each spelling's folded keys.

A key is ``anchor|rest``: one token that may be the surname, folded alone, and the other tokens run together in
their order, folded. A name whose surname is known (MRZ ``SURNAME<<GIVEN``, ``Surname, Given``, a Han name) has
one key per spelling; a name in unknown order has one per token that may be its surname, so ``Xiaoming Wang``,
``WANG Xiao-Ming`` and ``Wang Xiao Ming`` share ``wanG|xiaominG``. A traveller's structured name is also keyed the
other way round, for documents whose surname and given-name fields were swapped."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kouan.watchlist.matching.han import han_readings, hangul_reading, is_han, is_hangul
from kouan.watchlist.matching.latin import anchor_fold, given_fold, latin_tokens

MAX_ANCHORS = 4
MIN_NEIGHBOURED = 5  # raw keys shorter than this get no one-letter deletions: they would meet half a list

Raw = tuple[str, tuple[str, ...]]  # an anchor token and the other tokens, unfolded


@dataclass(frozen=True, slots=True)
class Spelling:
    """One way of writing a name in Latin letters; ``surname`` is empty when the order is not known."""

    system: str  # latin | mrz | pinyin | wade-giles | cantonese | korean
    surname: tuple[str, ...]
    given: tuple[str, ...]

    def raw_keys(self, *, either_way: bool = False) -> list[Raw]:
        if self.surname:
            straight = ("".join(self.surname), self.given)
            return [straight, ("".join(self.given), self.surname)] if either_way and self.given else [straight]
        tokens = self.given
        anchors = [(i, i + 1) for i in range(len(tokens))] + [(0, 2)] * (len(tokens) >= 3)
        return list(dict.fromkeys(("".join(tokens[a:b]), tokens[:a] + tokens[b:]) for a, b in anchors[:MAX_ANCHORS]))


def spelt(raw: Raw) -> str:
    """The key as spelt, unfolded: a typo the fold would widen (jeon → jen reads as ren) is still one letter."""
    return raw[0] + "|" + "".join(raw[1])


def fold_key(raw: Raw) -> str:
    return anchor_fold(raw[0]) + "|" + given_fold(raw[1])


def neighbours(raw: Raw) -> list[str]:
    """The folded key and the folded keys of the raw spelling with one letter deleted, so one typo on either side
    still meets (SymSpell's deletion neighbourhood, taken before folding so a typo in ``zhang`` stays one edit)."""
    anchor, rest = raw
    folded_anchor, folded_rest = anchor_fold(anchor), given_fold(rest)
    if len(anchor) + sum(map(len, rest)) < MIN_NEIGHBOURED:
        return [folded_anchor + "|" + folded_rest]
    anchors = [a + "|" + folded_rest for a in _anchor_deletions(anchor)]
    return [folded_anchor + "|" + folded_rest, *anchors, *(folded_anchor + "|" + r for r in _rest_deletions(rest))]


@lru_cache(maxsize=1 << 16)
def _anchor_deletions(anchor: str) -> frozenset[str]:
    return frozenset(anchor_fold(anchor[:i] + anchor[i + 1 :]) for i in range(len(anchor)) if len(anchor) > 1)


@lru_cache(maxsize=1 << 20)
def _rest_deletions(rest: tuple[str, ...]) -> frozenset[str]:
    deleted = (rest[:j] + (t[:i] + t[i + 1 :],) + rest[j + 1 :] for j, t in enumerate(rest) for i in range(len(t)))
    return frozenset(given_fold(tuple(t for t in tokens if t)) for tokens in deleted)


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


def name_keys(name: str, *, either_way: bool = False) -> list[tuple[Raw, Spelling]]:
    """(raw key, spelling) for every key of every spelling of a name, each folded key once."""
    seen: dict[str, tuple[Raw, Spelling]] = {}
    for spelling in spellings(name):
        for raw in spelling.raw_keys(either_way=either_way):
            seen.setdefault(fold_key(raw), (raw, spelling))
    return list(seen.values())


def is_swapped(raw: Raw, spelling: Spelling) -> bool:
    """Whether a key of a name whose surname is known reads it the other way round."""
    return bool(spelling.surname) and raw[1] == spelling.surname
