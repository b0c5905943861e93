"""Reading single MRZ fields: check digits, characters, dates, names, codes and sex (ICAO Doc 9303 Part 3).

Nothing is corrected: a character of the wrong class (``O`` in a date, ``0`` in a name) is an error naming the
field, line and position, with the character it resembles as a hint; the value is kept as read.

Dates are YYMMDD. Birth: the most recent century that puts the date on or before ``today``. Expiry: the century
that puts the year within ``today.year - 49`` .. ``today.year + 50`` (a window of 100 years, so exactly one;
the future side gets the extra year). Fillers in a date mean a part is unknown (Doc 9303 allows this for birth
dates): the value is None with a warning. An impossible date (``991340``) is an error, value None.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from datetime import date

from kouan.formats.mrz_layouts import Span
from kouan.reference import country

DIGITS = frozenset(string.digits)
LETTERS = frozenset(string.ascii_uppercase)
ALLOWED = {
    "alpha": (LETTERS | {"<"}, "a letter or <"),
    "alnum": (LETTERS | DIGITS | {"<"}, "a letter, digit or <"),
    "date": (DIGITS | {"<"}, "a digit"),
    "check": (DIGITS | {"<"}, "a digit"),
}
LOOKS_LIKE = {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "G": "6", "B": "8"}
LOOKS_LIKE |= {"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B"}
VALUES = {char: int(char) for char in string.digits} | {"<": 0}
VALUES |= {char: 10 + index for index, char in enumerate(string.ascii_uppercase)}
WEIGHTS = (7, 3, 1)
SPECIMEN_STATES = {"UTO": "Utopia"}  # the fictitious state of ICAO Doc 9303's specimens
SEXES = {"M": "M", "F": "F", "X": "X", "<": "X"}


@dataclass
class Notes:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def text(*, rows: list[str], span: Span) -> str:
    return rows[span.line][span.start : span.end]


def where(*, span: Span, offset: int = 0) -> str:
    return f"line {span.line + 1} position {span.start + offset + 1}"


def check_digit(data: str) -> int | None:
    """The 7-3-1 check digit of ``data``; None when it holds a character outside the MRZ set."""
    if any(char not in VALUES for char in data):
        return None
    return sum(VALUES[char] * WEIGHTS[index % 3] for index, char in enumerate(data)) % 10


def _slip(*, name: str, char: str, place: str, allowed: frozenset[str], expected: str) -> str:
    hint = LOOKS_LIKE.get(char)
    tail = f" (OCR slip for {hint!r}?)" if hint in allowed else ""
    return f"{name}: {char!r} at {place} where {expected} is expected{tail}"


def check_characters(*, name: str, rows: list[str], span: Span, notes: Notes) -> bool:
    """Report every character of the wrong class for the field; True when there is none."""
    allowed, expected = ALLOWED[span.kind]
    slips = [
        _slip(name=name, char=char, place=where(span=span, offset=offset), allowed=allowed, expected=expected)
        for offset, char in enumerate(text(rows=rows, span=span))
        if char not in allowed
    ]
    notes.errors.extend(slips)
    return not slips


def verify(*, name: str, data: str, digit: str, place: str, notes: Notes, empty_may_be_filler: bool = False) -> bool:
    """Whether ``digit`` is the check digit of ``data``; a mismatch is an error naming the place."""
    expected = check_digit(data)
    if empty_may_be_filler and digit == "<" and set(data) <= {"<"}:
        return True
    if expected is not None and digit == str(expected):
        return True
    computed = f"computed {expected}" if expected is not None else "the field has characters outside the MRZ set"
    notes.errors.append(f"{name}: check digit {digit!r} at {place} does not match ({computed})")
    return False


def clean(raw: str) -> str:
    """Fillers removed: none at either end, a run of them inside becomes one space."""
    return " ".join(part for part in raw.split("<") if part)


def read_name(*, raw: str, notes: Notes) -> tuple[str, str]:
    """(surname, given names): split at the first ``<<``; a name filling the whole field may be truncated."""
    if raw and raw[-1] != "<":
        notes.warnings.append("name fills its whole field and may be truncated; kept as read")
    surname, _, given = raw.rstrip("<").partition("<<")
    return clean(surname), clean(given)


def read_code(*, name: str, raw: str, notes: Notes) -> str:
    """An issuing state or nationality as read (fillers removed); unknown codes are errors."""
    code = clean(raw)
    if code in SPECIMEN_STATES:
        notes.warnings.append(f"{name}: {code} is {SPECIMEN_STATES[code]}, ICAO's specimen state")
    elif not code or (len(code) != 3 and code != "D") or country(code) is None:
        notes.errors.append(f"{name}: unknown state code {raw!r}")
    return code


def read_sex(*, raw: str, notes: Notes) -> str:
    if raw not in SEXES:
        notes.errors.append(f"sex: {raw!r} is not M, F, X or <")
        return raw
    return SEXES[raw]


def _valid(*, year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _birth(*, yy: int, month: int, day: int, today: date) -> date | None:
    base = today.year - today.year % 100 + yy
    found = [_valid(year=year, month=month, day=day) for year in (base, base - 100)]
    return next((day_ for day_ in found if day_ is not None and day_ <= today), None)


def _expiry(*, yy: int, month: int, day: int, today: date) -> date | None:
    base = today.year - today.year % 100 + yy
    year = next(year for year in (base - 100, base, base + 100) if today.year - 49 <= year <= today.year + 50)
    return _valid(year=year, month=month, day=day)


def read_date(*, name: str, raw: str, today: date, notes: Notes) -> date | None:
    """A YYMMDD date placed in its century (birth: the past; expiry: within 50 years of today)."""
    if any(char not in DIGITS | {"<"} for char in raw):
        return None  # already reported by check_characters
    if "<" in raw:
        notes.warnings.append(f"{name}: {raw!r} is (partly) unknown")
        return None
    place = _birth if name == "birth_date" else _expiry
    found = place(yy=int(raw[:2]), month=int(raw[2:4]), day=int(raw[4:]), today=today)
    if found is None:
        notes.errors.append(f"{name}: {raw!r} is not a valid date")
    return found
