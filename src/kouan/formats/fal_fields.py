"""Reading the boxes of FAL forms and the Maritime Declaration of Health: dates, birth, nationality, documents.

Each reader returns the value, or raises :class:`FieldProblem` saying what is wrong with the text; the caller
knows the place (row and column, or JSON path) and turns the problem into a warning. Dates are read when their
meaning is certain: ``1980-02-14``, ``14.02.1980``, ``14 FEB 1980``, and ``14/02/1980`` when the day is over 12;
``03/04/1980`` could be 3 April or 4 March and is left empty with a warning.
"""

from __future__ import annotations

import re
from datetime import date

import pycountry

from kouan.reference.countries import country

MONTHS = {
    name: number
    for number, name in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], start=1
    )
}
_ISO = r"(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
_NUMERIC = r"(?P<na>\d{1,2})(?P<sep>[./-])(?P<nb>\d{1,2})(?P=sep)(?P<ny>\d{4})"
_NAMED = r"(?P<md>\d{1,2})[ -]?(?P<mm>[A-Za-z]{3})[A-Za-z]*\.?[ -]?(?P<my>\d{4})"
DATE = re.compile(rf"\b(?:{_ISO}|{_NUMERIC}|{_NAMED})\b")

# Nationality as crew lists often write it: the adjective, not the country.
DEMONYMS = {
    "CHINESE": "CHN",
    "FILIPINO": "PHL",
    "PHILIPPINE": "PHL",
    "UKRAINIAN": "UKR",
    "RUSSIAN": "RUS",
    "INDIAN": "IND",
    "INDONESIAN": "IDN",
    "VIETNAMESE": "VNM",
    "BURMESE": "MMR",
    "MYANMAR": "MMR",
    "KOREAN": "KOR",
    "SOUTH KOREAN": "KOR",
    "JAPANESE": "JPN",
    "GREEK": "GRC",
    "TURKISH": "TUR",
    "POLISH": "POL",
    "CROATIAN": "HRV",
    "ROMANIAN": "ROU",
    "BULGARIAN": "BGR",
    "LATVIAN": "LVA",
    "GEORGIAN": "GEO",
    "BANGLADESHI": "BGD",
    "SRI LANKAN": "LKA",
    "PAKISTANI": "PAK",
    "MALAYSIAN": "MYS",
    "SINGAPOREAN": "SGP",
    "THAI": "THA",
    "BRITISH": "GBR",
    "AMERICAN": "USA",
    "NORWEGIAN": "NOR",
    "GERMAN": "DEU",
    "ITALIAN": "ITA",
    "PANAMANIAN": "PAN",
    "LIBERIAN": "LBR",
    "BRAZILIAN": "BRA",
    "AUSTRALIAN": "AUS",
    "DUTCH": "NLD",
    "MONTENEGRIN": "MNE",
    "ESTONIAN": "EST",
    "LITHUANIAN": "LTU",
    "RUSSIA": "RUS",
    "KOREA": "KOR",
    "SOUTH KOREA": "KOR",
    "VIETNAM": "VNM",
    "UK": "GBR",
    "USA": "USA",
}
DOCUMENT_TYPES = (
    ("passport", ("PASSPORT", "PPT", "PP", "P")),
    ("seafarer_id", ("SEAFARER", "SEAMAN", "SEAMEN", "SID", "CDC", "DISCHARGE", "SB")),
    ("identity_card", ("IDENTITY CARD", "ID CARD", "ID", "I")),
)


class FieldProblem(ValueError):
    """What is wrong with one box's text (the caller adds where it is)."""


def _checked(*, year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise FieldProblem(f"{text} is not a date") from None


def _numeric(found: re.Match[str], text: str) -> date:
    first, second, year = int(found["na"]), int(found["nb"]), int(found["ny"])
    if found["sep"] == "/" and first <= 12 and second <= 12 and first != second:
        raise FieldProblem(f"{text} is ambiguous (day/month or month/day); left empty")
    if found["sep"] == "/" and second > 12 and first <= 12:
        return _checked(year=year, month=first, day=second, text=text)
    return _checked(year=year, month=second, day=first, text=text)


def _from_match(found: re.Match[str]) -> date:
    text = found.group(0)
    if found["iy"]:
        return _checked(year=int(found["iy"]), month=int(found["im"]), day=int(found["id"]), text=text)
    if found["ny"]:
        return _numeric(found, text)
    month = MONTHS.get(found["mm"].upper())
    if month is None:
        raise FieldProblem(f"{text} is not a date (unknown month {found['mm']!r})")
    return _checked(year=int(found["my"]), month=month, day=int(found["md"]), text=text)


def read_date(text: str) -> date | None:
    """A date box: None when empty; raises FieldProblem when it is not (certainly) a date."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return None
    found = DATE.fullmatch(cleaned)
    if found is None:
        raise FieldProblem(f"{cleaned} is not a date")
    return _from_match(found)


def split_birth(text: str) -> tuple[str | None, str | None]:
    """``Date and place of birth`` as written → (the date's text, the place); either may be missing."""
    cleaned = " ".join(text.split())
    found = DATE.search(cleaned)
    if found is None:
        return None, cleaned.strip(" ,;/") or None
    place = (cleaned[: found.start()] + " " + cleaned[found.end() :]).strip(" ,;/-")
    return found.group(0), " ".join(place.split()) or None


def read_nationality(text: str) -> str | None:
    """Alpha-3 for an alpha-2, alpha-3 or MRZ code, a country name or a common demonym; None when empty."""
    cleaned = " ".join(text.replace(".", " ").split()).upper()
    if not cleaned:
        return None
    if cleaned in DEMONYMS:
        return DEMONYMS[cleaned]
    found = country(cleaned) if len(cleaned) <= 3 else None
    if found is not None:
        return found.code
    try:
        return str(pycountry.countries.lookup(cleaned).alpha_3)
    except LookupError:
        raise FieldProblem(f"{text.strip()!r} is not a known country or nationality") from None


def document_type(text: str) -> str | None:
    """``passport``, ``seafarer_id``, ``identity_card``, or the words as written (lower case); None when empty."""
    cleaned = " ".join(re.sub(r"[^A-Za-z' ]", " ", text).split()).upper()
    if not cleaned:
        return None
    for kind, words in DOCUMENT_TYPES:
        if any(cleaned == word or cleaned.startswith(word + " ") or word in cleaned.split() for word in words):
            return kind
        if any(len(word) > 3 and word in cleaned for word in words):
            return kind
    return cleaned.lower()


def split_document(text: str) -> tuple[str | None, str | None]:
    """``Nature and No. of identity document`` → (type, number): the number is the last token with a digit."""
    tokens = text.replace(":", " ").replace(",", " ").split()
    numbered = [index for index, token in enumerate(tokens) if any(char.isdigit() for char in token)]
    if not numbered:
        return document_type(text), None
    at = numbered[-1]
    words = " ".join(tokens[:at] + tokens[at + 1 :])
    return document_type(words), tokens[at].strip(".#").upper()


def heading_key(text: str) -> str:
    """A box name or JSON key reduced for matching: ``7. Family name`` and ``family_name`` → ``family name``."""
    words = re.sub(r"[^a-z0-9]+", " ", text.casefold()).split()
    while words and (words[0].isdigit() or words[0] == "no" and len(words) > 1 and words[1].isdigit()):
        words = words[1:]
    return " ".join(words)
