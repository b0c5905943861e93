"""A name as written (Han, Hangul, Latin, MRZ) → its spellings, and each spelling's folded keys.

A key is ``anchor|rest``: one token that may be the surname, folded alone, and the other tokens run together in
their order, folded. A name whose surname is known (MRZ ``SURNAME<<GIVEN``, ``Surname, Given``, a Han name) has
one key per spelling; a name in unknown order has one per token that may be its surname, so ``Xiaoming Wang``,
``WANG Xiao-Ming`` and ``Wang Xiao Ming`` share ``wanG|xiaominG``. A traveller's structured name is also keyed the
other way round, for documents whose surname and given-name fields were swapped."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from kouan.watchlist.matching.han import han_readings, hangul_reading, is_han, is_hangul
from kouan.watchlist.matching.latin import anchor_fold, given_fold, icao_transliteration, latin_tokens, syllabic

MAX_ANCHORS = 4
MIN_NEIGHBOURED = 5  # raw keys shorter than this get no one-letter deletions: they would meet half a list

Raw = tuple[str, tuple[str, ...], bool]  # an anchor token, the other tokens (unfolded), read as Wade-Giles


@dataclass(frozen=True, slots=True)
class Spelling:
    """One way of writing a name in Latin letters; ``surname`` is empty when the order is not known."""

    system: str  # latin | mrz | pinyin | wade-giles | cantonese | korean
    surname: tuple[str, ...]
    given: tuple[str, ...]

    def raw_keys(self, *, either_way: bool = False) -> list[Raw]:
        if self.surname:  # and the other way round, for a document whose fields were swapped
            straight: Raw = ("".join(self.surname), self.given, False)
            return [straight, ("".join(self.given), self.surname, False)] if either_way and self.given else [straight]
        tokens = self.given
        anchors = [(i, i + 1) for i in range(len(tokens))] + [(0, 2)] * (len(tokens) >= 3)
        cuts = (("".join(tokens[a:b]), tokens[:a] + tokens[b:], False) for a, b in anchors[:MAX_ANCHORS])
        return list(dict.fromkeys(cuts))


def spelt(raw: Raw) -> str:
    """The key as spelt, unfolded: a typo the fold would widen (jeon → jen reads as ren) is still one letter."""
    return raw[0] + "|" + "".join(raw[1])


def well_formed(raw: Raw) -> bool:
    """Whether every token of a key is pinyin or Wade-Giles syllables: a near spelling that is well formed is
    more likely another person's name than a typo of this one."""
    return syllabic(raw[0]) and all(map(syllabic, raw[1]))


def fold_key(raw: Raw) -> str:
    return anchor_fold(raw[0], raw[2]) + "|" + given_fold(raw[1], raw[2])


def neighbours(raw: Raw) -> list[str]:
    """The folded key and the folded keys of the raw spelling with one letter deleted, so one typo on either side
    still meets (SymSpell's deletion neighbourhood, taken before folding so a typo in ``zhang`` stays one edit)."""
    anchor, rest, wade_giles = raw
    folded_anchor, folded_rest = anchor_fold(anchor, wade_giles), given_fold(rest, wade_giles)
    if len(anchor) + sum(map(len, rest)) < MIN_NEIGHBOURED:
        return [folded_anchor + "|" + folded_rest]
    anchors = [a + "|" + folded_rest for a in _anchor_deletions(anchor, wade_giles)]
    rests = (folded_anchor + "|" + r for r in _rest_deletions(rest, wade_giles))
    return [folded_anchor + "|" + folded_rest, *anchors, *rests]


@lru_cache(maxsize=1 << 16)
def _anchor_deletions(anchor: str, wade_giles: bool) -> frozenset[str]:
    cut = (anchor[:i] + anchor[i + 1 :] for i in range(len(anchor)) if len(anchor) > 1)
    return frozenset(anchor_fold(a, wade_giles) for a in cut)


@lru_cache(maxsize=1 << 16)
def _rest_deletions(rest: tuple[str, ...], wade_giles: bool) -> frozenset[str]:
    deleted = (rest[:j] + (t[:i] + t[i + 1 :],) + rest[j + 1 :] for j, t in enumerate(rest) for i in range(len(t)))
    return frozenset(given_fold(tuple(t for t in tokens if t), wade_giles) for tokens in deleted)


def spellings(name: str) -> list[Spelling]:
    """Every spelling of a name: the readings of a Han or Hangul name, or the name's own Latin tokens."""
    if is_han(name):
        return [Spelling(r.system, r.surname, r.given) for r in han_readings(name)]
    if is_hangul(name):
        reading = hangul_reading(name)
        return [Spelling("korean", reading.surname, reading.given)]
    transliterated = icao_transliteration(name)
    return [_latin(name)] + ([_latin(transliterated, "mrz")] if transliterated != name.lower() else [])


def _latin(name: str, system: str = "latin") -> Spelling:
    if "<<" in name:
        surname, _, given = name.partition("<<")
        return Spelling("mrz", tuple(latin_tokens(surname)), tuple(latin_tokens(given)))
    if "," in name:
        surname, _, given = name.partition(",")
        return Spelling(system, tuple(latin_tokens(surname)), tuple(latin_tokens(given)))
    return Spelling(system, (), tuple(latin_tokens(name)))


def name_keys(name: str, *, either_way: bool = False) -> list[tuple[Raw, Spelling]]:
    """(raw key, spelling) for every key of every spelling of a name, each folded key once."""
    seen: dict[str, tuple[Raw, Spelling]] = {}
    for spelling in spellings(name):
        for raw in spelling.raw_keys(either_way=either_way):
            seen.setdefault(fold_key(raw), (raw, spelling))
            as_wade_giles: Raw = (raw[0], raw[1], True)  # Hsu Chieh as Xu Jie, beside Hsu Chieh as written
            seen.setdefault(fold_key(as_wade_giles), (as_wade_giles, spelling))
    return list(seen.values())


def is_swapped(raw: Raw, spelling: Spelling) -> bool:
    """Whether a key of a name whose surname is known reads it the other way round."""
    return bool(spelling.surname) and raw[1] == spelling.surname


def spelling_of(name: str, *, key: str, as_spelt: str) -> str:
    """Which spelling of a name gave a key, when several fold alike (张伟: pinyin ZHANG Wei and Wade-Giles CHANG
    Wei): the one written most like the other side's."""
    found = [
        (fuzz.ratio(spelt(raw), as_spelt), spelling.system)
        for spelling in spellings(name)
        for raw in spelling.raw_keys() + [(r[0], r[1], True) for r in spelling.raw_keys()]
        if fold_key(raw) == key
    ]
    return max(found, default=(0.0, "latin"))[1]
