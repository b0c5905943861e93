"""Two names (with dates of birth and nationalities when known) compared directly, without blocking: the
`kouan watchlist compare` contract. The first side is taken as the list entry, the second as the traveller."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from kouan.watchlist.matching.model import ALGORITHM, Entry, Person
from kouan.watchlist.matching.names import Raw, fold_key, is_swapped, name_keys, spelling_of, spelt, well_formed
from kouan.watchlist.matching.score import SWAPPED_FIELDS, decide_pair


@dataclass(frozen=True, slots=True)
class Comparison:
    score: float
    match: bool
    explanation: dict[str, Any]


@dataclass(frozen=True, slots=True, order=True)
class KeyMatch:
    """The best key pair of two names."""

    name: float
    list_key: str = ""
    person_key: str = ""
    spelling: str = ""
    near_name: bool = False


def best_keys(listed: str, given: str) -> KeyMatch:
    """The best name score between any spelling's keys of two names, and which keys and spelling gave it."""
    pairs = itertools.product(name_keys(listed), name_keys(given, either_way=True))
    scored = [
        (_name_score(a, b) * (SWAPPED_FIELDS if is_swapped(b, theirs) else 1.0), a, b) for (a, _), (b, theirs) in pairs
    ]
    if not scored:
        return KeyMatch(0.0)
    name, ours, theirs = max(scored, key=lambda found: found[0])
    spelling = spelling_of(listed, key=fold_key(ours), as_spelt=spelt(theirs))
    near = _name_score(ours, theirs) < 1.0 and well_formed(theirs)
    return KeyMatch(name, fold_key(ours), fold_key(theirs), spelling, near)


def _name_score(listed: Raw, given: Raw) -> float:
    """As the index scores a key pair: the better of the folded and the as-spelt similarity."""
    return max(fuzz.ratio(fold_key(listed), fold_key(given)), fuzz.ratio(spelt(listed), spelt(given))) / 100


def compare(*, listed: Entry, given: Person) -> Comparison:
    """The best of the entry's aliases against the person's names, decided as an index hit is."""
    candidates = [(best_keys(alias, name), alias) for alias in listed.names for name in given.names]
    best, alias = max(candidates, key=lambda found: found[0].name, default=(KeyMatch(0.0), ""))
    decision = decide_pair(entry=listed, person=given, name=best.name, near_name=best.near_name)
    explanation = {
        "algorithm": ALGORITHM,
        "alias": alias,
        "spelling": best.spelling,
        "key": f"{best.person_key} ~ {best.list_key}",
        "features": decision.features,
    }
    return Comparison(decision.score, decision.alert, explanation)
