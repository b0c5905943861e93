"""PNRGOV field values: PADIS dates (DDMMYY, HHMM), SSR DOCS text and its dates (DDMMMYY), names with titles,
seats, and the airports an IATA place code stands for. Pure functions; problems come back as text to warn with."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from kouan.formats.edifact import Segment
from kouan.formats.pnr_records import OtherSegment, PnrDocument
from kouan.reference import city_airports, place

TITLES = frozenset({"MR", "MRS", "MS", "MISS", "MSTR", "MASTER", "DR", "PROF", "REV", "SIR", "LADY", "MME", "MLLE"})
_GLUED_TITLES = ("MRS", "MR", "MISS", "MSTR")  # "JOHNMR" (AIRIMP); MS and DR end too many real names to unglue
_MONTHS = {
    m: i
    for i, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1)
}
_DOCS_DATE = re.compile(r"([0-9]{1,2})([A-Z]{3})([0-9]{2}|[0-9]{4})")
_SEAT = re.compile(r"0*([0-9]{1,3}[A-Z])")
_SEXES = {"M": "M", "F": "F", "MI": "M", "FI": "F", "U": "U", "X": "X"}
_NON_AIR_KINDS = {
    "2": "car",
    "3": "hotel",
    "6": "rail",
    "7": "tour",
    "8": "hotel",
    "9": "car",
    "10": "air taxi",
    "11": "tour",
    "12": "surface",
    "13": "tour",
    "32": "other",
}
_NON_AIR_WORDS = {
    "HTL": "hotel",
    "HHL": "hotel",
    "CAR": "car",
    "CCR": "car",
    "RAIL": "rail",
    "TUR": "tour",
    "SUR": "surface",
    "ATX": "air taxi",
}
DOCS_FIELDS = 9  # type/issuer/number/nationality/birth date/sex/expiry/surname/given names
NO_SEAT = frozenset({"", "XXX"})  # what senders put for "no seat assigned"
_MISSING = "SSR DOCS has {} of its {} fields; the rest are unknown"


def padis_datetime(day: str | None, time: str | None = None) -> datetime:
    """A PADIS date DDMMYY (20YY) with an optional time HHMM. Raises ValueError for anything else."""
    if day is None or not re.fullmatch(r"[0-9]{6}", day) or not re.fullmatch(r"[0-9]{4}", time or "0000"):
        raise ValueError(f"{day!r} {time!r} is not a PADIS date and time")
    clock = time or "0000"
    return datetime(2000 + int(day[4:]), int(day[2:4]), int(day[:2]), int(clock[:2]), int(clock[2:]))


def tvl_times(parts: Sequence[str]) -> tuple[tuple[str | None, str | None], tuple[str | None, str | None]]:
    """The (date, time) of departure and of arrival in a TVL's first element.

    ``DDMMYY:HHMM:DDMMYY:HHMM`` in full; the arrival date may be left out (``121210:0915::1230``) or the arrival
    time may follow the departure time directly (``311219:1710:1955``): both mean the day of departure.
    """
    day, time, third, fourth = (*(p.strip() or None for p in parts[:4]), None, None, None, None)[:4]
    if third is not None and len(third) == 4 and fourth is None:
        return (day, time), (day, third)
    return (day, time), (third or (day if fourth else None), fourth)


def docs_date(value: str, *, not_after: date | None = None) -> date:
    """DDMMMYY or DDMMMYYYY (05FEB53). Two-digit years are 20YY, or 19YY when that would be after ``not_after``."""
    found = _DOCS_DATE.fullmatch(value.strip().upper())
    if found is None or found.group(2) not in _MONTHS:
        raise ValueError(f"{value!r} is not a DDMMMYY date")
    day, month, year = int(found.group(1)), _MONTHS[found.group(2)], found.group(3)
    when = date(int(year) if len(year) == 4 else 2000 + int(year), month, day)
    if len(year) == 2 and not_after is not None and when > not_after:
        when = when.replace(year=when.year - 100)
    return when


def split_title(given: str) -> tuple[str, str | None]:
    """Given names without their title: "NINA MS", "MR JOHN", "JOHNMR", "MISS" → ("NINA", "MS") ..."""
    words = given.split()
    if words and words[-1] in TITLES:
        return " ".join(words[:-1]), words[-1]
    if len(words) > 1 and words[0] in TITLES:
        return " ".join(words[1:]), words[0]
    for title in _GLUED_TITLES:
        if words and words[-1].endswith(title) and len(words[-1]) > len(title) + 1:
            return " ".join([*words[:-1], words[-1][: -len(title)]]), title
    return " ".join(words), None


def read_seat(value: str | None) -> str | None:
    """A seat such as 15A ("015A" → "15A"); None for anything else."""
    found = _SEAT.fullmatch((value or "").strip().upper())
    return found.group(1) if found else None


def airports_for(code: str | None) -> tuple[tuple[str, ...], str | None]:
    """The airports a TVL place stands for, with a note when it is a city code or not known at all."""
    if code is None:
        return (), None
    found = place(code)
    if found is None:
        return (), f"unknown airport or city code {code!r}"
    if found.kind == "city":
        airports = city_airports(code)
        return airports, f"{found.code} is a city code ({found.name}): airports {' '.join(airports)}"
    return (found.code,), None


def docs_text(segment: Segment) -> str | None:
    """An SSR's free text: components 9 onwards of its first element, joined as sent (a wrap may split them)."""
    return "".join(segment.components(0)[8:]).strip() or None


def docs_fields(text: str) -> list[str]:
    """The slash-separated DOCS fields; PNRGOV senders put a "/" before the first."""
    return (text[1:] if text.startswith("/") else text).split("/")


def continues(previous: str, text: str) -> bool:
    """Whether ``text`` is the rest of a DOCS that a line wrap cut short, rather than another document: it is no
    document of its own, and either the previous one lacks fields or the wrap split a field (no "/" first)."""
    if len(docs_fields(text)) >= DOCS_FIELDS or len(docs_fields(previous + text)) > DOCS_FIELDS + 2:
        return False
    return len(docs_fields(previous)) < DOCS_FIELDS or not text.startswith("/")


def read_docs(text: str, *, today: date) -> tuple[PnrDocument, list[str]]:
    """A DOCS free text as a document, with the problems found in it."""
    fields = docs_fields(text)
    problems = [] if len(fields) >= DOCS_FIELDS else [_MISSING.format(len(fields), DOCS_FIELDS)]
    kind, issuer, number, nationality, born, sex, expiry, surname, *given = [*fields, *[""] * DOCS_FIELDS]
    first, _ = split_title(given[0].strip())
    document = PnrDocument(
        type=kind.strip() or None,
        number=number.strip() or None,
        issuer=issuer.strip() or None,
        expiry=_docs_day(expiry, "expiry", problems),
        nationality=nationality.strip() or None,
        birth_date=_docs_day(born, "birth date", problems, not_after=today),
        sex=_sex(sex, problems),
        surname=surname.strip() or None,
        given_names=" ".join(n for n in (first, given[1].strip()) if n) or None,
    )
    return document, problems


def _docs_day(value: str, name: str, problems: list[str], *, not_after: date | None = None) -> date | None:
    if not value.strip():
        return None
    try:
        return docs_date(value, not_after=not_after)
    except ValueError:
        problems.append(f"unreadable SSR DOCS {name} {value.strip()!r}")
        return None


def _sex(value: str, problems: list[str]) -> str | None:
    code = value.strip().upper()
    if code and code not in _SEXES:
        problems.append(f"unknown SSR DOCS sex {code!r}")
    return _SEXES.get(code)


def other_segment(segment: Segment, *, code: str | None, problems: list[str]) -> OtherSegment:
    """A non-air TVL: where (and its name), from when to when, by whom, and the rest as sent."""
    (day, time), (end_day, end_time) = tvl_times(segment.components(0))
    details = tuple(part.strip() for i in range(4, len(segment.elements)) for part in segment.components(i))
    provider = segment.value(3)
    return OtherSegment(
        kind=_NON_AIR_KINDS.get(code or "") or _NON_AIR_WORDS.get(provider or "", "other"),
        place=segment.value(1),
        name=segment.value(1, 1),
        start=moment(day, time, problems),
        end=moment(end_day, end_time, problems),
        destination=segment.value(2),
        provider=provider,
        details=tuple(d for d in details if d),
        code=code,
    )


def moment(day: str | None, time: str | None, problems: list[str], *, what: str = "TVL date") -> datetime | None:
    """A PADIS date and time, or None (with a problem noted when it is there but unreadable)."""
    if day is None:
        return None
    try:
        return padis_datetime(day, time)
    except ValueError:
        problems.append(f"unreadable {what} {':'.join(p for p in (day, time) if p)!r}")
        return None
