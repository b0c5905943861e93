"""Seats as carriers send them ("18C", "018C", " 5k "): a row number and a letter."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kouan import errors

_SEAT = re.compile(r"0*([1-9][0-9]{0,2})([A-Z])")


class BadSeat(errors.Invalid):
    """A seat that is not a row number followed by one letter."""


@dataclass(frozen=True, order=True)
class Seat:
    row: int
    letter: str

    def __str__(self) -> str:
        return f"{self.row}{self.letter}"


def parse_seat(text: str) -> Seat:
    """``"18C"``, ``"018C"``, ``" 5k "`` → a Seat; anything else → BadSeat naming the text."""
    match = _SEAT.fullmatch(text.strip().upper())
    if match is None:
        raise BadSeat(f"seat {text!r} is not a row number followed by a letter (e.g. 18C)")
    return Seat(int(match.group(1)), match.group(2))


def seat_or_none(text: str | None) -> Seat | None:
    """The seat, or None for free seating, an empty value or one that cannot be read."""
    if not text:
        return None
    try:
        return parse_seat(text)
    except BadSeat:
        return None
