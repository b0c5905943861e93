"""Two names (with dates of birth and nationalities when known) compared directly, without blocking: the
`kouan watchlist compare` contract. The first side is taken as the list entry, the second as the traveller."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from kouan.watchlist.matching.model import ALGORITHM, Entry, Person
from kouan.watchlist.matching.names import Raw, fold_key, is_swapped, name_keys, spelling_of, spelt
from kouan.watchlist.matching.score import SWAPPED_FIELDS, decide_pair


@dataclass(frozen=True, slots=True)
class Comparison:
    score: float
    match: bool
    explanation: dict[str, Any]


def best_keys(listed: str, given: str) -> tuple[float, str, str, str]:
    """The best name score between any spelling's keys of two names: (score, list key, person key, system)."""
    pairs = itertools.product(name_keys(listed), name_keys(given, either_way=True))
    scored = (
        (_name_score(a, b) * (SWAPPED_FIELDS if is_swapped(b, theirs) else 1.0), fold_key(a), fold_key(b), spelt(b))
        for (a, _), (b, theirs) in pairs
    )
    score, list_key, person_key, as_spelt = max(scored, default=(0.0, "", "", ""))
    return score, list_key, person_key, spelling_of(listed, key=list_key, as_spelt=as_spelt) if list_key else ""


def _name_score(listed: Raw, given: Raw) -> float:
    """As the index scores a key pair: the better of the folded and the as-spelt similarity."""
    return max(fuzz.ratio(fold_key(listed), fold_key(given)), fuzz.ratio(spelt(listed), spelt(given))) / 100


def compare(*, listed: Entry, given: Person) -> Comparison:
    """The best of the entry's aliases against the person's names, decided as an index hit is."""
    candidates = [(best_keys(alias, name), alias) for alias in listed.names for name in given.names]
    (name, list_key, person_key, system), alias = max(candidates, default=((0.0, "", "", ""), ""))
    decision = decide_pair(entry=listed, person=given, name=name)
    explanation = {
        "algorithm": ALGORITHM,
        "alias": alias,
        "spelling": system,
        "key": f"{person_key} ~ {list_key}",
        "features": decision.features,
    }
    return Comparison(decision.score, decision.alert, explanation)
