"""Plain records that the pure parsers return: no database, no web framework.

Every parser keeps what it can: problems it can live with become :class:`ParseWarning` (naming the segment),
problems it cannot become :class:`FormatError` (naming the position).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from kouan.errors import Invalid

Role = Literal["passenger", "crew", "in_transit"]
MessageType = Literal["passengers", "crew"]
MAX_JSON_DEPTH = 64  # a FAL list or an MDH needs 4 levels; far below what Python's JSON reader can follow
_JSON_MARKS = re.compile(r'[\\"\[\]{}]')


class FormatError(Invalid):
    """Input that cannot be used; ``position`` names where (segment number and tag, or line/column)."""

    def __init__(self, *, position: str, message: str) -> None:
        super().__init__(f"{position}: {message}")
        self.position = position
        self.message = message

    @property
    def detail(self) -> dict[str, str]:
        return {"position": self.position, "message": self.message}


@dataclass(frozen=True)
class ParseWarning:
    segment: str  # e.g. "CNT (segment 38)"
    message: str


@dataclass(frozen=True)
class Leg:
    origin: str | None  # IATA airport (or city) code as sent
    destination: str | None
    departure: datetime | None  # local time at the origin, naive, as sent
    arrival: datetime | None  # local time at the destination, naive, as sent
    carrier: str | None = None
    number: str | None = None  # flight number as sent in TDT, e.g. "UA123"


@dataclass(frozen=True)
class Document:
    type: str | None  # P passport, I id card, V visa, ... (DOC code as sent)
    number: str | None
    issuer: str | None  # ISO 3166 alpha-3 (or ICAO MRZ code such as D, GBD)
    expiry: date | None
    issued: date | None = None


@dataclass(frozen=True)
class Person:
    surname: str
    given_names: str
    role: Role
    sex: str | None = None  # M, F, X / U as sent
    birth_date: date | None = None
    nationality: str | None = None  # alpha-3
    documents: tuple[Document, ...] = ()
    embarkation: str | None = None  # LOC 178 (IATA)
    debarkation: str | None = None  # LOC 179 (IATA)
    transit: str | None = None  # LOC 22 (airport of arrival/clearance in the reporting country)
    residence_country: str | None = None  # LOC 174
    birth_place: str | None = None  # LOC 180
    seat: str | None = None  # RFF SEA
    booking_ref: str | None = None  # RFF AVF
    address: str | None = None  # NAD address, street/city/postcode joined


@dataclass
class PaxlstMessage:
    message_type: MessageType
    carrier: str | None
    number: str | None  # the flight of the leg that arrives in the reporting country, e.g. "UA124"
    legs: list[Leg]
    travellers: list[Person]
    declared_count: int | None  # CNT 41/42, None when absent or malformed
    reference: str | None = None  # UNH message reference
    sender: str | None = None  # UNB sender
    prepared_at: datetime | None = None  # UNB date/time
    version: str | None = None  # "D:05B" etc.
    warnings: list[ParseWarning] = field(default_factory=list)


def json_object(text: str) -> dict[str, Any]:
    """The JSON object in ``text`` (see :func:`json_value`); ``FormatError`` at ``$`` when it is JSON but not an
    object."""
    document = json_value(text)
    if not isinstance(document, dict):
        raise FormatError(position="$", message="not a JSON object")
    return document


def json_value(text: str) -> Any:
    """The JSON in ``text``; ``FormatError`` naming the line and column when it is not JSON or nests deeper than
    :data:`MAX_JSON_DEPTH`. A number longer than Python turns into an ``int`` (4,300 digits) is kept as a
    ``Decimal`` of the digits sent."""
    deep = _too_deep_at(text, limit=MAX_JSON_DEPTH)
    if deep is not None:
        raise FormatError(position=_line_column(text, deep), message=f"nesting deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as error:
        raise FormatError(
            position=f"line {error.lineno} column {error.colno}", message=f"not JSON: {error.msg}"
        ) from None


def _too_deep_at(text: str, *, limit: int) -> int | None:
    """Where the first bracket opening level ``limit + 1`` is (brackets in strings do not count), or None.
    One pass over the brackets, quotes and backslashes: the check costs little next to reading the JSON."""
    depth, in_string, escaped = 0, False, -1
    for mark in _JSON_MARKS.finditer(text):
        char, at = mark.group(), mark.start()
        if in_string and at != escaped:
            escaped, in_string = (at + 1, True) if char == "\\" else (escaped, char != '"')
        elif not in_string and char == '"':
            in_string = True
        elif not in_string and char in "[{":
            depth += 1
            if depth > limit:
                return at
        elif not in_string and char in "]}":
            depth -= 1
    return None


def _line_column(text: str, at: int) -> str:
    return f"line {text.count(chr(10), 0, at) + 1} column {at - text.rfind(chr(10), 0, at)}"


def _json_int(digits: str) -> int | Decimal:
    try:
        return int(digits)
    except ValueError:  # longer than Python converts (sys.get_int_max_str_digits)
        return Decimal(digits)
