"""Pure core: one person across sources — manifest (PAXLST), bookings (PNR) and our own crossings.

No database, no web. Every link keeps its method, score and the evidence it rests on, so an officer can read why two
records were taken to be the same person.

Name normalisation (`normalise_name`, `normalise_given_names`):

- Latin letters only, upper case, ASCII. Accents are stripped to the base letter (É→E, Ñ→N, Ü→U, Ö→O, Å→A), the
  letters without a decomposition follow ICAO 9303 part 3 (ß→SS, Æ→AE, Ø→OE, Œ→OE, Þ→TH, Đ→D, Ł→L). Documents may
  write Ü as UE (ICAO allows both): MUELLER against MULLER still scores ~0.92, which the threshold accepts.
- Anything else (hyphens, apostrophes, dots, the MRZ filler `<`, digits, non-Latin scripts) separates words;
  spaces are collapsed.
- Titles that PNR TIF/DOCS append to given names are dropped, as a word ("MARIO MR") or glued to the last word
  ("MARIOMR", for MR, MRS, MSTR and MISS only — DR and MS end real names such as ALEXANDR).
- Comparing names (`name_similarity`) takes the best of: the names as written with spaces removed ("XIAOMING" =
  "XIAO MING"), the same with surname and given names swapped ("XIAOMING WANG" = "WANG XIAOMING"), and
  rapidfuzz's token-sort ratio on the whole name. Scores are 0..1.

Birth dates: `birth_year_only=True` marks a record whose day and month are unknown (MRZ `<<`, PNR DOCS with a year
only); such a pair is compared on the year alone ("year-only"). A name without any birth date never links to
history by itself: namesakes are too common (pinyin names above all).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz

TITLES = frozenset({"MR", "MRS", "MS", "MSTR", "MISS", "DR"})
GLUED_TITLES = ("MSTR", "MISS", "MRS", "MR")  # longest first
NAME_FLOOR = 0.85  # a booking reference plus a name at least this close links
# A shared document links at 1.0 only when the names are at least this close: a transliteration (ZHANG SAN / CHANG
# SHAN, 0.82) still does, another name on the same number (CHEN WEI / CHEN HUI, 0.75) is a conflict, not a person.
DOCUMENT_NAME_FLOOR = 0.8
BIRTH_FACTOR = {"exact": 1.0, "year-only": 0.92, "missing": 0.0, "different": 0.0}
NATIONALITY_FACTOR = {"exact": 1.0, "missing": 0.95, "different": 0.8}
SEX_FACTOR = {"exact": 1.0, "missing": 1.0, "different": 0.9}
METHOD_RANK = {"document": 0, "booking+name": 1, "name+birth-date": 2}
_ICAO = str.maketrans(
    {"ß": "SS", "ẞ": "SS", "Æ": "AE", "æ": "AE", "Ø": "OE", "ø": "OE", "Œ": "OE", "œ": "OE", "Þ": "TH", "þ": "TH"}
    | {"Đ": "D", "đ": "D", "Ð": "D", "ð": "D", "Ł": "L", "ł": "L", "ı": "I", "Ħ": "H", "ħ": "H"}
)
_NOT_LETTER = re.compile(r"[^A-Z]+")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")

Evidence = dict[str, str | float]


@dataclass(frozen=True)
class PersonRecord:
    record_id: str
    source: str  # "manifest" | "pnr" | "crossing" | ...
    surname: str
    given_names: str
    birth_date: date | None
    nationality: str | None  # ISO alpha-3
    document_number: str | None
    sex: str | None = None
    booking_ref: str | None = None
    event_date: date | None = None
    birth_year_only: bool = False  # day and month unknown: compare the year only


@dataclass(frozen=True)
class Link:
    left_id: str
    right_id: str
    score: float  # 0..1
    method: str  # "document" | "booking+name" | "name+birth-date" | "splink"
    evidence: Evidence = field(default_factory=dict)


@lru_cache(maxsize=1 << 16)  # names, codes and documents recur across the pairs a manifest is compared in
def ascii_letters(text: str | None) -> str:
    """Upper-case ASCII: ICAO transliteration of the few undecomposable letters, accents stripped."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_ICAO))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).upper()


def normalise_name(text: str | None) -> str:
    """A surname (or any name part) as words of A–Z separated by single spaces."""
    return " ".join(_NOT_LETTER.sub(" ", ascii_letters(text)).split())


def normalise_given_names(text: str | None) -> str:
    """Given names with PNR titles dropped ("MARIO MR" → "MARIO", "JOHNMR" → "JOHN")."""
    words = [word for word in normalise_name(text).split() if word not in TITLES]
    if words:
        words[-1] = _strip_glued_title(words[-1])
    return " ".join(words)


def _strip_glued_title(word: str) -> str:
    for title in GLUED_TITLES:
        if word.endswith(title) and len(word) - len(title) >= 2:
            return word[: -len(title)]
    return word


def normalise_document(text: str | None) -> str:
    """A document number without spaces, dashes or MRZ filler."""
    if text and text.isascii() and text.isalnum():
        return text.upper()  # the usual case: nothing to strip or transliterate (and no use caching each number)
    return _NOT_ALNUM.sub("", ascii_letters(text))


def normalise_code(text: str | None) -> str:
    """A nationality or sex code, upper case; the German MRZ code D is DEU."""
    code = _NOT_LETTER.sub("", ascii_letters(text))
    return "DEU" if code == "D" else code


def name_similarity(*, left: PersonRecord, right: PersonRecord) -> float:
    """0..1: best of as-written, swapped and token-sorted comparisons of the normalised names."""
    left_surname, left_given = normalise_name(left.surname), normalise_given_names(left.given_names)
    right_surname, right_given = normalise_name(right.surname), normalise_given_names(right.given_names)
    if not (left_surname or left_given) or not (right_surname or right_given):
        return 0.0
    squashed = _squash(left_surname, left_given)
    ordered = fuzz.ratio(squashed, _squash(right_surname, right_given))
    swapped = fuzz.ratio(squashed, _squash(right_given, right_surname))
    tokens = fuzz.token_sort_ratio(f"{left_surname} {left_given}", f"{right_surname} {right_given}")
    return round(max(ordered, swapped, tokens) / 100, 3)


def _squash(first: str, second: str) -> str:
    return (first + second).replace(" ", "")


def compare_birth_dates(*, left: PersonRecord, right: PersonRecord) -> str:
    """ "exact", "year-only" (one side knows only the year), "missing" or "different"."""
    if left.birth_date is None or right.birth_date is None:
        return "missing"
    if left.birth_year_only or right.birth_year_only:
        return "year-only" if left.birth_date.year == right.birth_date.year else "different"
    return "exact" if left.birth_date == right.birth_date else "different"


def compare_values(left: str, right: str) -> str:
    """ "exact", "missing" (either side empty) or "different" for already-normalised values."""
    if not left or not right:
        return "missing"
    return "exact" if left == right else "different"


def evidence_for(*, left: PersonRecord, right: PersonRecord) -> Evidence:
    """Per-field comparison of two records: what a link's score is made of."""
    return {
        "document": compare_values(normalise_document(left.document_number), normalise_document(right.document_number)),
        "nationality": compare_values(normalise_code(left.nationality), normalise_code(right.nationality)),
        "name": name_similarity(left=left, right=right),
        "birth_date": compare_birth_dates(left=left, right=right),
        "sex": compare_values(normalise_code(left.sex), normalise_code(right.sex)),
    }


def name_score(evidence: Evidence, *, with_birth_date: bool = True) -> float:
    """Name similarity scaled down by birth date, nationality and sex agreement."""
    score = float(evidence["name"]) * NATIONALITY_FACTOR[str(evidence["nationality"])]
    score *= SEX_FACTOR[str(evidence["sex"])]
    return round(score * (BIRTH_FACTOR[str(evidence["birth_date"])] if with_birth_date else 1.0), 3)


def _pnr_candidate(pnr: PersonRecord, manifest: PersonRecord) -> Link | None:
    evidence = evidence_for(left=pnr, right=manifest)
    if evidence["document"] == "exact" and evidence["nationality"] != "different" and _names_fit(evidence):
        return Link(pnr.record_id, manifest.record_id, 1.0, "document", evidence)
    if evidence["birth_date"] == "different":
        return None
    if _same_booking(pnr, manifest) and float(evidence["name"]) >= NAME_FLOOR:
        evidence["booking"] = "exact"
        return Link(
            pnr.record_id, manifest.record_id, name_score(evidence, with_birth_date=False), "booking+name", evidence
        )
    score = name_score(evidence)
    return Link(pnr.record_id, manifest.record_id, score, "name+birth-date", evidence) if score >= NAME_FLOOR else None


def _names_fit(evidence: Evidence) -> bool:
    """A document agreement counts only under names close enough to be one person's (see DOCUMENT_NAME_FLOOR)."""
    return float(evidence["name"]) >= DOCUMENT_NAME_FLOOR


def _same_booking(left: PersonRecord, right: PersonRecord) -> bool:
    return compare_values(normalise_document(left.booking_ref), normalise_document(right.booking_ref)) == "exact"


def link_pnr_to_manifest(*, pnr: list[PersonRecord], manifest: list[PersonRecord]) -> list[Link]:
    """Link each manifest record to at most one booking passenger (left = PNR, right = manifest).

    Same document under a close name (DOCUMENT_NAME_FLOOR) → "document" (1.0); else same booking reference and a
    name ≥ 0.85 → "booking+name"; else name and birth date → "name+birth-date". Candidates are taken greedily by
    method, then score, then ids, and each record on either side is used once, so a namesake cannot take a
    passenger already linked by a stronger rule.
    """
    pairs = _candidate_pairs(pnr, manifest, keys=(_document_key, _booking_key, _birth_year_key))
    candidates = [link for left, right in pairs if (link := _pnr_candidate(left, right))]
    return _one_to_one(sorted(candidates, key=_rank))


def _rank(link: Link) -> tuple[int, float, str, str]:
    return METHOD_RANK.get(link.method, 9), -link.score, link.left_id, link.right_id


def _one_to_one(ranked: Iterable[Link]) -> list[Link]:
    taken_left: set[str] = set()
    taken_right: set[str] = set()
    chosen = []
    for link in ranked:
        if link.left_id not in taken_left and link.right_id not in taken_right:
            taken_left.add(link.left_id)
            taken_right.add(link.right_id)
            chosen.append(link)
    return sorted(chosen, key=lambda link: (link.right_id, link.left_id))


def _history_candidate(arrival: PersonRecord, earlier: PersonRecord, threshold: float) -> Link | None:
    if not _may_link(arrival, earlier, threshold):
        return None
    evidence = evidence_for(left=arrival, right=earlier)
    if evidence["document"] == "exact" and evidence["nationality"] == "exact" and _names_fit(evidence):
        return Link(arrival.record_id, earlier.record_id, 1.0, "document", evidence)
    score = name_score(evidence)
    return (
        Link(arrival.record_id, earlier.record_id, score, "name+birth-date", evidence) if score >= threshold else None
    )


def _may_link(left: PersonRecord, right: PersonRecord, threshold: float) -> bool:
    """Whether the pair can link at all, before comparing names (the dear part; a name scores at most 1)."""
    nationality = compare_values(normalise_code(left.nationality), normalise_code(right.nationality))
    sex = compare_values(normalise_code(left.sex), normalise_code(right.sex))
    birth = compare_birth_dates(left=left, right=right)
    if round(BIRTH_FACTOR[birth] * NATIONALITY_FACTOR[nationality] * SEX_FACTOR[sex], 3) >= threshold:
        return True
    documents = compare_values(normalise_document(left.document_number), normalise_document(right.document_number))
    return documents == "exact" and nationality == "exact"


def link_to_history(
    *, arrivals: list[PersonRecord], history: list[PersonRecord], threshold: float = 0.85
) -> list[Link]:
    """Every earlier record each arrival is (left = arrival, right = history), best first per arrival.

    Document number and nationality both equal under a close name (DOCUMENT_NAME_FLOOR) → "document" (1.0): the
    same number under another name is scored on name and birth date like any other pair. Otherwise name ×
    birth-date agreement (exact 1.0, year-only 0.92; none or different: no link) × nationality (missing 0.95,
    different 0.8) × sex (different 0.9); below `threshold` there is no link.
    """
    birth_key = _birth_year_key if threshold <= 0 or _any_year_only(arrivals, history) else _birth_day_key
    pairs = _candidate_pairs(arrivals, history, keys=(_document_key, birth_key))
    links = [link for left, right in pairs if (link := _history_candidate(left, right, threshold))]
    return sorted(links, key=lambda link: (link.left_id, -link.score, link.right_id))


KeyFunction = Callable[[PersonRecord], str | None]


def _document_key(record: PersonRecord) -> str | None:
    return normalise_document(record.document_number) or None


def _booking_key(record: PersonRecord) -> str | None:
    return normalise_document(record.booking_ref) or None


def _birth_year_key(record: PersonRecord) -> str | None:
    return str(record.birth_date.year) if record.birth_date else None


def _birth_day_key(record: PersonRecord) -> str | None:
    """Without a year-only record on either side, a pair born on different days scores 0 unless its documents
    match: pairing by day instead of year leaves the links as they are and spares most comparisons."""
    return record.birth_date.isoformat() if record.birth_date else None


def _any_year_only(*groups: list[PersonRecord]) -> bool:
    return any(record.birth_year_only for group in groups for record in group)


def _candidate_pairs(
    lefts: list[PersonRecord], rights: list[PersonRecord], *, keys: tuple[KeyFunction, ...]
) -> Iterator[tuple[PersonRecord, PersonRecord]]:
    """Pairs sharing a document, booking or birth year (no rule can link any other pair), each once, in order."""
    index: dict[tuple[int, str], list[int]] = defaultdict(list)
    for position, record in enumerate(rights):
        for number, key in enumerate(keys):
            if (value := key(record)) is not None:
                index[(number, value)].append(position)
    for left in lefts:
        found = {p for number, key in enumerate(keys) if (value := key(left)) for p in index.get((number, value), [])}
        yield from ((left, rights[position]) for position in sorted(found))
