"""Dates of birth as lists hold them (full, year-month or year only) and how two of them agree, in classes."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

_DATE = re.compile(r"(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?")

EXACT, SWAPPED, YEAR_APART, YEAR_ONLY = "exact", "swapped", "year-apart", "year-only"
MISSING, DISAGREE, NOT_GIVEN = "missing", "disagree", "not-given"
DOB_CLASSES = (EXACT, SWAPPED, YEAR_APART, YEAR_ONLY, MISSING, DISAGREE, NOT_GIVEN)


class BadDate(ValueError):
    """A date of birth that is none of YYYY-MM-DD, YYYY-MM, YYYY (dashes optional)."""


@dataclass(frozen=True, slots=True)
class BirthDate:
    year: int
    month: int | None = None
    day: int | None = None


def parse_birth_date(text: str | None) -> BirthDate | None:
    """``1980-03-15``, ``19800315``, ``1980-03``, ``1980`` → a BirthDate; empty → None; else BadDate."""
    if text is None or not text.strip():
        return None
    match = _DATE.fullmatch(text.strip())
    if match is None:
        raise BadDate(f"{text!r} is not a date of birth (YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = (int(part) if part else None for part in match.groups())
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        raise BadDate(f"{text!r} has no such month or day")
    return BirthDate(year or 0, month, day)


def dob_class(listed: BirthDate | None, given: BirthDate | None) -> str:
    """How a list entry's date of birth and a traveller's agree: exact, swapped (day and month), year-apart (same
    day and month, one year off), year-only (a side knows less, and what both know agrees), missing (one side has
    none), disagree; not-given when neither side has one (two names compared as names)."""
    if listed is None and given is None:
        return NOT_GIVEN
    if listed is None or given is None:
        return MISSING
    if listed.day is None or given.day is None:
        return YEAR_ONLY if _partial_agree(listed, given) else DISAGREE
    if listed == given:
        return EXACT
    if listed.year == given.year and (listed.month, listed.day) == (given.day, given.month):
        return SWAPPED
    if abs(listed.year - given.year) == 1 and (listed.month, listed.day) == (given.month, given.day):
        return YEAR_APART
    return DISAGREE


def _partial_agree(listed: BirthDate, given: BirthDate) -> bool:
    both_months = listed.month is not None and given.month is not None
    return listed.year == given.year and (not both_months or listed.month == given.month)


def date_parts(text: str | None) -> tuple[int, int, int]:
    """(year, month, day) with 0 for what is not known; (0, 0, 0) for no date or one that does not parse."""
    try:
        parsed = parse_birth_date(text)
    except BadDate:
        return (0, 0, 0)
    return (parsed.year, parsed.month or 0, parsed.day or 0) if parsed else (0, 0, 0)


def dob_classes(listed: NDArray[np.int32], given: NDArray[np.int32]) -> NDArray[np.int8]:
    """``dob_class`` over arrays of (year, month, day) rows (0 = unknown): positions in DOB_CLASSES."""
    (ly, lm, ld), (gy, gm, gd) = listed.T, given.T
    missing = (ly == 0) | (gy == 0)
    not_given = (ly == 0) & (gy == 0)
    partial = ~missing & ((ld == 0) | (gd == 0))
    partial_agree = (ly == gy) & ((lm == 0) | (gm == 0) | (lm == gm))
    full = ~missing & ~partial
    exact = full & (ly == gy) & (lm == gm) & (ld == gd)
    swapped = full & (ly == gy) & (lm == gd) & (ld == gm)
    year_apart = full & (np.abs(ly - gy) == 1) & (lm == gm) & (ld == gd)
    conditions = [exact, swapped, year_apart, partial & partial_agree, not_given, missing]
    return np.select(conditions, [0, 1, 2, 3, 6, 4], default=5).astype(np.int8)
