"""Features of a candidate pair and the decision: a name score between folded keys, the date-of-birth class,
nationality and document number. A name alone never alerts when the dates of birth disagree."""

from __future__ import annotations

from dataclasses import dataclass

from kouan.watchlist.matching.dates import DISAGREE, dob_class, parse_birth_date
from kouan.watchlist.matching.model import Entry, Person

THRESHOLD = 0.8
DOB_WEIGHT = {"exact": 1.0, "swapped": 0.95, "year-apart": 0.92, "year-only": 0.9, "missing": 0.85, "disagree": 0.5}
NATIONALITY_WEIGHT = {"agree": 1.0, "missing": 0.97, "disagree": 0.85}
DOCUMENT_FLOOR = 0.99  # the same document number and a name that is not far off


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


def decide(*, name: float, dob: str, nationality: str, document: str) -> Decision:
    """The score (0-1) of a pair from its features, and whether it alerts."""
    score = name * DOB_WEIGHT[dob] * NATIONALITY_WEIGHT[nationality]
    if document == "same" and name >= 0.5:
        score = max(score, DOCUMENT_FLOOR)
    alert = score >= THRESHOLD and (dob != DISAGREE or document == "same")
    features: dict[str, float | str] = {"name": round(name, 4), "dob": dob, "nationality": nationality}
    features["document"] = document
    return Decision(round(score, 4), alert, features)


def decide_pair(*, entry: Entry, person: Person, name: float) -> Decision:
    return decide(
        name=name,
        dob=dob_class(parse_birth_date(entry.birth_date), parse_birth_date(person.birth_date)),
        nationality=nationality_class(entry.nationality, person.nationality),
        document=document_class(entry.documents, person.document),
    )
