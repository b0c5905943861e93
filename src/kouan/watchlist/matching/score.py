"""Features of a candidate pair and the decision: a name score between folded keys, the date-of-birth class,
nationality, sex and document number. A name alone never alerts when the dates of birth or the sexes disagree."""

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
SEX_CLASSES = ("agree", "missing", "disagree")
SEXES = ("M", "F")  # what tells people apart; 'X' or an unknown sex is missing
SEX_WEIGHT = {"agree": 1.0, "missing": 1.0, "disagree": 0.5}
# A date of birth that agrees only in part tells few people apart: such a pair alerts only on a name that at most
# this many entries of the list share (on a 1,000,000-entry list 王伟 is shared by hundreds, and one of them is
# born in any year, or a day and month swapped or a year off from anyone's). An entry without a date of birth
# never alerts on a name alone: on a large list every common name would.
COMMON_NAME = {"swapped": 50, "year-apart": 50, "year-only": 10, "missing": 0}
# When both sexes are known and agree, ``sharing`` counts only the entries of that sex (or of none known) with the
# name, and these limits apply instead: a full date a swap or a year off, on a person of the same sex, tells apart
# names that up to 400 entries share (at 1,000,000 entries no looser limit found more); a year alone still only
# names at most 10 share, and no date still never (looser, each cost more innocent alerts than it found planted:
# benchmarks/README.md).
COMMON_NAME_SAME_SEX = {"swapped": 400, "year-apart": 400, "year-only": 10, "missing": 0}
# A near spelling that is itself well-formed pinyin or Wade-Giles is another name more often than a typo: with these
# a date of birth known to the year only it does not alert (with a year off, it held back more typos than it saved).
NEAR_NAME_HELD = ("year-only",)
_NEAR_NAME_HELD = np.array([name in NEAR_NAME_HELD for name in DOB_CLASSES])
_COMMON_LIMIT = np.array([COMMON_NAME.get(name, np.iinfo(np.int64).max) for name in DOB_CLASSES])
_SAME_SEX_LIMIT = np.array([COMMON_NAME_SAME_SEX.get(name, np.iinfo(np.int64).max) for name in DOB_CLASSES])
_SEX_WEIGHTS = np.array([SEX_WEIGHT[name] for name in SEX_CLASSES])
_SEX_AGREE, _SEX_DISAGREE = SEX_CLASSES.index("agree"), SEX_CLASSES.index("disagree")
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


def sex_class(listed: str | None, given: str | None) -> str:
    ours, theirs = (listed or "").upper(), (given or "").upper()
    if ours not in SEXES or theirs not in SEXES:
        return "missing"
    return "agree" if ours == theirs else "disagree"


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
    sex: NDArray[np.int8],
    document_same: NDArray[np.bool_],
    sharing: NDArray[np.int64],
    near_name: NDArray[np.bool_],
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """``decide`` over arrays: dob as positions in DOB_CLASSES, nationality in NATIONALITY_CLASSES, sex in
    SEX_CLASSES, ``sharing`` the number of list entries that share the name's key (of the same sex, or of none
    known, when the sexes agree), ``near_name`` whether the person's spelling differs from the entry's and is
    itself well-formed pinyin or Wade-Giles (another name more likely than a typo)."""
    score = name * _DOB_WEIGHTS[dob] * _NATIONALITY_WEIGHTS[nationality] * _SEX_WEIGHTS[sex]
    score = np.where(document_same & (name >= 0.5), np.maximum(score, DOCUMENT_FLOOR), score)
    another_name = near_name & _NEAR_NAME_HELD[dob]
    limit = np.where(sex == _SEX_AGREE, _SAME_SEX_LIMIT[dob], _COMMON_LIMIT[dob])
    disagree = (dob == DOB_CLASSES.index(DISAGREE)) | (sex == _SEX_DISAGREE)
    told_apart = ~disagree & (sharing <= limit) & ~another_name
    return np.round(score, 4), (score >= THRESHOLD) & (told_apart | document_same)


def decide(
    *,
    name: float,
    dob: str,
    nationality: str,
    document: str,
    sex: str = "missing",
    sharing: int = 1,
    near_name: bool = False,
) -> Decision:
    """The score (0-1) of a pair from its features, and whether it alerts (see decide_many)."""
    score, alert = decide_many(
        name=np.array([name]),
        dob=np.array([DOB_CLASSES.index(dob)], dtype=np.int8),
        nationality=np.array([NATIONALITY_CLASSES.index(nationality)], dtype=np.int8),
        sex=np.array([SEX_CLASSES.index(sex)], dtype=np.int8),
        document_same=np.array([document == "same"]),
        sharing=np.array([sharing], dtype=np.int64),
        near_name=np.array([near_name]),
    )
    features: dict[str, float | str] = {"name": round(name, 4), "dob": dob, "nationality": nationality}
    features |= {"sex": sex, "document": document}
    return Decision(float(score[0]), bool(alert[0]), features)


def decide_pair(*, entry: Entry, person: Person, name: float, near_name: bool = False) -> Decision:
    return decide(
        name=name,
        near_name=near_name,
        dob=dob_class(parse_birth_date(entry.birth_date), parse_birth_date(person.birth_date)),
        nationality=nationality_class(entry.nationality, person.nationality),
        sex=sex_class(entry.sex, person.sex),
        document=document_class(entry.documents, person.document),
    )
