"""Features of a candidate pair and the decision: a name score between folded keys, the date-of-birth class,
nationality and document number. A name alone never alerts when the dates of birth disagree."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from kouan.watchlist.matching.dates import DISAGREE, DOB_CLASSES, dob_class, parse_birth_date
from kouan.watchlist.matching.model import Entry, Person

THRESHOLD = 0.8
DOB_WEIGHT = {"exact": 1.0, "swapped": 0.94, "year-apart": 0.92, "year-only": 0.9, "missing": 0.82, "disagree": 0.5}
DOB_WEIGHT["not-given"] = DOB_WEIGHT["missing"]
SWAPPED_FIELDS = 0.9  # the name score of a key that reads a document's surname field as given names
NATIONALITY_WEIGHT = {"agree": 1.0, "missing": 0.98, "disagree": 0.9}
DOCUMENT_FLOOR = 0.99  # the same document number and a name that is not far off
NATIONALITY_CLASSES = ("agree", "missing", "disagree")
# A date of birth that agrees only in part tells few people apart: such a pair alerts only on a name that at most
# this many entries of the list share (on a 1,000,000-entry list 王伟 is shared by hundreds, and one of them is
# born in any year, or a day and month swapped or a year off from anyone's). An entry without a date of birth
# never alerts on a name alone: on a large list every common name would.
COMMON_NAME = {"swapped": 50, "year-apart": 50, "year-only": 10, "missing": 0}
# A near spelling that is itself well-formed pinyin or Wade-Giles is another name more often than a typo: with these
# a date of birth known to the year only it does not alert (with a year off, it held back more typos than it saved).
NEAR_NAME_HELD = ("year-only",)
_NEAR_NAME_HELD = np.array([name in NEAR_NAME_HELD for name in DOB_CLASSES])
_COMMON_LIMIT = np.array([COMMON_NAME.get(name, np.iinfo(np.int64).max) for name in DOB_CLASSES])
_DOB_WEIGHTS = np.array([DOB_WEIGHT[name] for name in DOB_CLASSES])
_NATIONALITY_WEIGHTS = np.array([NATIONALITY_WEIGHT[name] for name in NATIONALITY_CLASSES])


@dataclass(frozen=True, slots=True)
class Decision:
    score: float
    alert: bool
    features: dict[str, float | str]


def nationality_class(listed: str | None, given: str | None) -> str:
    if not listed or not given:
        return "missing"
    return "agree" if listed.upper() == given.upper() else "disagree"


def document_class(listed: tuple[str, ...], given: str | None) -> str:
    if not listed or not given:
        return "missing"
    return "same" if _document(given) in {_document(d) for d in listed} else "different"


def _document(number: str) -> str:
    return "".join(char for char in number.upper() if char.isalnum())


def decide_many(
    *,
    name: NDArray[np.float64],
    dob: NDArray[np.int8],
    nationality: NDArray[np.int8],
    document_same: NDArray[np.bool_],
    sharing: NDArray[np.int64],
    near_name: NDArray[np.bool_],
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """``decide`` over arrays: dob as positions in DOB_CLASSES, nationality in NATIONALITY_CLASSES, ``sharing``
    the number of list entries that share the name's key, ``near_name`` whether the person's spelling differs
    from the entry's and is itself well-formed pinyin or Wade-Giles (another name more likely than a typo)."""
    score = name * _DOB_WEIGHTS[dob] * _NATIONALITY_WEIGHTS[nationality]
    score = np.where(document_same & (name >= 0.5), np.maximum(score, DOCUMENT_FLOOR), score)
    another_name = near_name & _NEAR_NAME_HELD[dob]
    told_apart = (dob != DOB_CLASSES.index(DISAGREE)) & (sharing <= _COMMON_LIMIT[dob]) & ~another_name
    return np.round(score, 4), (score >= THRESHOLD) & (told_apart | document_same)


def decide(
    *, name: float, dob: str, nationality: str, document: str, sharing: int = 1, near_name: bool = False
) -> Decision:
    """The score (0-1) of a pair from its features, and whether it alerts (see decide_many): a near spelling
    that is itself a well-formed name does not alert on a year of birth alone."""
    score = name * DOB_WEIGHT[dob] * NATIONALITY_WEIGHT[nationality]
    if document == "same" and name >= 0.5:
        score = max(score, DOCUMENT_FLOOR)
    another_name = near_name and dob in NEAR_NAME_HELD
    told_apart = dob != DISAGREE and sharing <= COMMON_NAME.get(dob, sharing) and not another_name
    alert = score >= THRESHOLD and (told_apart or document == "same")
    features: dict[str, float | str] = {"name": round(name, 4), "dob": dob, "nationality": nationality}
    features["document"] = document
    return Decision(round(score, 4), alert, features)


def decide_pair(*, entry: Entry, person: Person, name: float, near_name: bool = False) -> Decision:
    return decide(
        name=name,
        near_name=near_name,
        dob=dob_class(parse_birth_date(entry.birth_date), parse_birth_date(person.birth_date)),
        nationality=nationality_class(entry.nationality, person.nationality),
        document=document_class(entry.documents, person.document),
    )
