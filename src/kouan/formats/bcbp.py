"""IATA Bar Coded Boarding Pass (Resolution 792, Implementation Guide v6/v7): a pure parser.

Layout: the mandatory unique items (format code ``M``, number of legs, name, e-ticket indicator), then per leg the
mandatory repeated items ending in the hex size of that leg's variable block. The first leg's variable block may open
with ``>`` + version + the hex size of the conditional unique items; every leg's conditional block opens with the hex
size of its repeated items; what a variable block holds beyond them is the airline's private data. A security block
(``^`` + type + hex length + data) may follow the last leg and is kept raw.

Decisions:
- Positions are 1-based character numbers, with the leg when the item belongs to one.
- A title at the end of the given names (``LUC MR``), separated by a space, is kept out of ``given_names`` and put in
  ``title``; a title glued to the name (``LUCMR``) is left alone, as it cannot be told from a name.
- The pass has no year. The date of issue (last digit of its year + Julian day), when present, is placed in the year
  with that digit nearest the reference (the reference only picks the decade); the flight date is the Julian day
  nearest the issue date, or nearest the reference when there is no date of issue.
- Sizes are strict (a size pointing beyond the text is an error); trailing whitespace after the last item is ignored;
  a conditional field cut by its block's size is kept as far as it goes, with a warning.
- Versions 1-8 read the conditional items by the v6/v7 field list; another version keeps every variable block raw
  (``conditional["raw"]``) with a warning, and the mandatory items are read all the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, timedelta
from typing import Any

from kouan.formats.records import FormatError, ParseWarning

TITLES = frozenset({"MR", "MRS", "MS", "MISS", "MSTR", "DR", "PROF", "REV", "SIR", "MME", "MLLE", "CHD", "INF"})
KNOWN_VERSIONS = frozenset("12345678")
UNIQUE_FIELDS: tuple[tuple[str, int], ...] = (
    ("passenger_description", 1),
    ("checkin_source", 1),
    ("issuance_source", 1),
    ("issue_date", 4),
    ("document_type", 1),
    ("issuer", 3),
    ("baggage_tag", 13),
    ("baggage_tag_2", 13),
    ("baggage_tag_3", 13),
)
REPEATED_FIELDS: tuple[tuple[str, int], ...] = (
    ("airline_numeric_code", 3),
    ("document_number", 10),
    ("selectee", 1),
    ("document_verification", 1),
    ("marketing_carrier", 3),
    ("frequent_flyer_airline", 3),
    ("frequent_flyer_number", 16),
    ("id_ad", 1),
    ("baggage_allowance", 3),
    ("fast_track", 1),
)
FLIGHT = re.compile(r"(\d{1,4})([A-Z]?)")
SEAT = re.compile(r"(\d{1,3})([A-Z])")
SEQUENCE = re.compile(r"(\d{1,4})([A-Z]?)")


@dataclass(frozen=True)
class BcbpLeg:
    booking_ref: str
    origin: str
    destination: str
    carrier: str
    flight: str  # leading zeros stripped, suffix kept: "0834 " -> "834", "0012A" -> "12A"
    julian_day: int
    date: date
    cabin: str
    seat: str | None  # "001A" -> "1A"; None when blank
    sequence: str | None  # check-in sequence, leading zeros stripped; None when blank
    status: str
    conditional: dict[str, str] = field(default_factory=dict)  # first leg also holds the unique conditional items


@dataclass(frozen=True)
class BoardingPass:
    surname: str
    given_names: str
    electronic_ticket: bool
    legs: tuple[BcbpLeg, ...]
    version: str | None
    issue_date: date | None
    security: str | None  # "^" + type + hex length + data, as sent
    warnings: tuple[ParseWarning, ...] = ()
    title: str | None = None  # MR, MRS, ... when sent after the given names


class _Reader:
    """Reads fixed-size items from ``text`` up to ``end``, naming where a problem is."""

    def __init__(self, text: str, *, start: int, end: int, leg: int | None) -> None:
        self.text, self.pos, self.end, self.leg = text, start, end, leg

    def where(self, offset: int | None = None) -> str:
        character = f"character {(self.pos if offset is None else offset) + 1}"
        return character if self.leg is None else f"leg {self.leg}, {character}"

    def fail(self, item: str, message: str, *, at: int | None = None) -> FormatError:
        return FormatError(position=self.where(at), message=f"{item}: {message}")

    def take(self, size: int, item: str) -> str:
        if self.pos + size > self.end:
            raise self.fail(item, f"needs {size} characters, only {max(self.end - self.pos, 0)} left")
        value = self.text[self.pos : self.pos + size]
        self.pos += size
        return value

    def hex_size(self, item: str) -> int:
        start = self.pos
        raw = self.take(2, item)
        if not re.fullmatch(r"[0-9A-Fa-f]{2}", raw):
            raise self.fail(item, f"expected 2 hex digits, got {raw!r}", at=start)
        return int(raw, 16)

    def block(self, size: int, item: str) -> _Reader:
        if self.pos + size > self.end:
            raise self.fail(item, f"size {size} points beyond the text ({self.end - self.pos} characters left)")
        inner = _Reader(self.text, start=self.pos, end=self.pos + size, leg=self.leg)
        self.pos += size
        return inner

    def rest(self) -> str:
        value = self.text[self.pos : self.end]
        self.pos = self.end
        return value


def _at(offset: int, *, leg: int | None) -> _Reader:
    """A reader parked at ``offset``, only to name that place in an error."""
    return _Reader("", start=offset, end=0, leg=leg)


def parse_bcbp(text: str, *, reference: date) -> BoardingPass:
    """Read a BCBP barcode's text; ``reference`` is a day near the flight (the pass carries no year)."""
    text = text.rstrip()
    reader = _Reader(text, start=0, end=len(text), leg=None)
    _format_code(reader)
    count = _leg_count(reader)
    surname, given_names, title = split_name(reader.take(20, "passenger name"))
    electronic = reader.take(1, "electronic ticket indicator") == "E"
    warnings: list[ParseWarning] = []
    raw_legs = _read_legs(reader, count=count, warnings=warnings)
    issue = _issue_date(raw_legs[0], reference=reference)
    security = _security(reader, warnings=warnings)
    _check_issue(issue, reference=reference, warnings=warnings)
    return BoardingPass(
        surname=surname,
        given_names=given_names,
        electronic_ticket=electronic,
        legs=tuple(leg.resolve(anchor=issue or reference) for leg in raw_legs),
        version=raw_legs[0].version,
        issue_date=issue,
        security=security,
        warnings=tuple(warnings),
        title=title,
    )


def _format_code(reader: _Reader) -> None:
    code = reader.take(1, "format code")
    if code != "M":
        raise reader.fail("format code", f"expected 'M', got {code!r}", at=0)


def _leg_count(reader: _Reader) -> int:
    raw = reader.take(1, "number of legs")
    if raw not in ("1", "2", "3", "4"):
        raise reader.fail("number of legs", f"expected 1 to 4, got {raw!r}", at=1)
    return int(raw)


def split_name(raw: str) -> tuple[str, str, str | None]:
    """``"DESMARAIS/LUC MR    "`` -> ``("DESMARAIS", "LUC", "MR")``: surname, given names, title."""
    surname, _, given = raw.strip().partition("/")
    words = given.split()
    title = words.pop() if words and words[-1] in TITLES else None
    return surname.strip(), " ".join(words), title


@dataclass(frozen=True)
class _RawLeg:
    number: int
    items: dict[str, Any]
    julian_at: int
    conditional: dict[str, str]
    version: str | None

    def resolve(self, *, anchor: date) -> BcbpLeg:
        where = _at(self.julian_at, leg=self.number)
        day = flight_date(self.items["julian_day"], anchor=anchor, where=where, item="date of flight")
        return BcbpLeg(**self.items, date=day, conditional=self.conditional)


def _read_legs(reader: _Reader, *, count: int, warnings: list[ParseWarning]) -> list[_RawLeg]:
    legs = [_read_leg(reader, number=1, version=None, warnings=warnings)]
    for number in range(2, count + 1):
        legs.append(_read_leg(reader, number=number, version=legs[0].version, warnings=warnings))
    return legs


def _read_leg(reader: _Reader, *, number: int, version: str | None, warnings: list[ParseWarning]) -> _RawLeg:
    reader.leg = number
    items = _mandatory_leg(reader)
    julian_at = reader.pos - 14  # julian day (3), cabin (1), seat (4), sequence (5), status (1)
    size = reader.hex_size("field size of variable size field")
    block = reader.block(size, "variable size field")
    if number == 1:
        version, conditional = _first_block(block, warnings=warnings)
    else:
        conditional = _later_block(block, version=version, warnings=warnings)
    return _RawLeg(number, items, julian_at, conditional, version)


def _mandatory_leg(reader: _Reader) -> dict[str, Any]:
    return {
        "booking_ref": reader.take(7, "operating carrier PNR code").strip(),
        "origin": reader.take(3, "from city airport code").strip(),
        "destination": reader.take(3, "to city airport code").strip(),
        "carrier": reader.take(3, "operating carrier designator").strip(),
        "flight": _numbered(reader, size=5, item="flight number", pattern=FLIGHT) or "",
        "julian_day": _digits(reader, size=3, item="date of flight"),
        "cabin": reader.take(1, "compartment code").strip(),
        "seat": _seat(reader),
        "sequence": _numbered(reader, size=5, item="check-in sequence number", pattern=SEQUENCE, blank=True),
        "status": reader.take(1, "passenger status").strip(),
    }


def _digits(reader: _Reader, *, size: int, item: str) -> int:
    start = reader.pos
    raw = reader.take(size, item)
    if not raw.isdigit() or not raw.isascii():
        raise reader.fail(item, f"expected {size} digits, got {raw!r}", at=start)
    return int(raw)


def _numbered(reader: _Reader, *, size: int, item: str, pattern: re.Pattern[str], blank: bool = False) -> str | None:
    start = reader.pos
    raw = reader.take(size, item).strip()
    if blank and not raw:
        return None
    match = pattern.fullmatch(raw)
    if match is None:
        raise reader.fail(item, f"expected digits and an optional letter, got {raw!r}", at=start)
    return str(int(match.group(1))) + match.group(2)


def _seat(reader: _Reader) -> str | None:
    raw = reader.take(4, "seat number").strip()
    match = SEAT.fullmatch(raw)
    if match is None:
        return raw or None  # "INF", "GATE", ... as sent
    return str(int(match.group(1))) + match.group(2)


def _first_block(block: _Reader, *, warnings: list[ParseWarning]) -> tuple[str | None, dict[str, str]]:
    if block.text[block.pos : block.pos + 1] == ">":
        return _first_conditional(block, warnings=warnings)
    return None, _airline_data(block)


def _later_block(block: _Reader, *, version: str | None, warnings: list[ParseWarning]) -> dict[str, str]:
    if version is None:
        return _airline_data(block)
    if version not in KNOWN_VERSIONS:
        return {"raw": block.rest()} if block.pos < block.end else {}
    return _repeated_conditional(block, warnings=warnings)


def _first_conditional(block: _Reader, *, warnings: list[ParseWarning]) -> tuple[str | None, dict[str, str]]:
    block.take(1, "beginning of version number")
    version = block.take(1, "version number")
    if version not in KNOWN_VERSIONS:
        warnings.append(ParseWarning(block.where(), f"BCBP version {version!r} is unknown; conditional items kept raw"))
        return version, {"raw": block.rest()}
    unique = block.block(block.hex_size("field size of unique conditional items"), "unique conditional items")
    conditional = _fields(unique, fields=UNIQUE_FIELDS, warnings=warnings)
    return version, conditional | _repeated_conditional(block, warnings=warnings)


def _repeated_conditional(block: _Reader, *, warnings: list[ParseWarning]) -> dict[str, str]:
    if block.pos >= block.end:
        return {}
    repeated = block.block(block.hex_size("field size of repeated conditional items"), "repeated conditional items")
    return _fields(repeated, fields=REPEATED_FIELDS, warnings=warnings) | _airline_data(block)


def _airline_data(block: _Reader) -> dict[str, str]:
    data = block.rest()
    return {"airline_data": data} if data else {}


def _fields(block: _Reader, *, fields: tuple[tuple[str, int], ...], warnings: list[ParseWarning]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, size in fields:
        if block.pos >= block.end:
            break
        if block.pos + size > block.end:
            warnings.append(ParseWarning(block.where(), f"{name} cut short by its block's size"))
        values[name] = block.take(min(size, block.end - block.pos), name).strip()
    if block.pos < block.end:
        values["extra"] = block.rest()
    return {name: value for name, value in values.items() if value}


def _security(reader: _Reader, *, warnings: list[ParseWarning]) -> str | None:
    reader.leg = None
    if reader.pos >= reader.end:
        return None
    start = reader.pos
    if reader.text[start] != "^":
        warnings.append(ParseWarning(reader.where(), f"{reader.end - start} characters after the last leg ignored"))
        return None
    reader.take(2, "security data")
    reader.block(reader.hex_size("length of security data"), "security data")
    if reader.pos < reader.end:
        warnings.append(ParseWarning(reader.where(), "characters after the security data ignored"))
    return reader.text[start : reader.pos]


def _issue_date(leg: _RawLeg, *, reference: date) -> date | None:
    raw = leg.conditional.get("issue_date")
    if raw is None:
        return None
    where = _at(leg.julian_at + 23, leg=1)  # 14 + size (2) + ">", version, size (2) + 3 items
    if not re.fullmatch(r"\d{4}", raw):
        raise where.fail("date of issue", f"expected 4 digits, got {raw!r}")
    years = [year for year in _years(reference.year - 10, reference.year + 10) if year % 10 == int(raw[0])]
    return _nearest(int(raw[1:]), years=years, anchor=reference, where=where, item="date of issue")


def flight_date(julian: int, *, anchor: date, where: _Reader, item: str) -> date:
    """The day ``julian`` of the year before, of or after ``anchor``'s year, whichever is nearest ``anchor``."""
    years = _years(anchor.year - 1, anchor.year + 1)
    return _nearest(julian, years=years, anchor=anchor, where=where, item=item)


def _nearest(julian: int, *, years: list[int], anchor: date, where: _Reader, item: str) -> date:
    if not 1 <= julian <= 366:
        raise where.fail(item, f"Julian day {julian:03d} is not a day of the year")
    year = min(years, key=lambda y: abs(date(y, 1, 1).toordinal() + julian - 1 - anchor.toordinal()))
    if julian == 366 and not _leap(year):
        raise where.fail(item, f"Julian day 366 in {year}, which is not a leap year")
    return date(year, 1, 1) + timedelta(days=julian - 1)


def _years(first: int, last: int) -> list[int]:
    """The years from ``first`` to ``last`` that a date can have (a reference near year 1 or 9999 has fewer)."""
    return list(range(max(first, MINYEAR), min(last, MAXYEAR) + 1))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _check_issue(issue: date | None, *, reference: date, warnings: list[ParseWarning]) -> None:
    if issue is not None and abs(issue - reference) > timedelta(days=366):
        warnings.append(ParseWarning("date of issue", f"{issue} is more than a year from {reference}"))


def bcbp_to_dict(boarding_pass: BoardingPass) -> dict[str, Any]:
    """The CLI contract: the traveller, the first booking reference, every leg, the version and the warnings."""
    return {
        "surname": boarding_pass.surname,
        "given_names": boarding_pass.given_names,
        "booking_ref": boarding_pass.legs[0].booking_ref,
        "legs": [_leg_to_dict(leg) for leg in boarding_pass.legs],
        "version": boarding_pass.version,
        "warnings": [{"segment": w.segment, "message": w.message} for w in boarding_pass.warnings],
    }


def _leg_to_dict(leg: BcbpLeg) -> dict[str, Any]:
    return {
        "from": leg.origin,
        "to": leg.destination,
        "carrier": leg.carrier,
        "flight": leg.flight,
        "date": leg.date.isoformat(),
        "seat": leg.seat,
        "cabin": leg.cabin,
        "sequence": leg.sequence,
        "booking_ref": leg.booking_ref,
    }
