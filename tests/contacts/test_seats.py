"""Seats as carriers send them: padded, lower case, spaced; anything else is a BadSeat naming what was given."""

from __future__ import annotations

import pytest

from kouan.contacts.seats import BadSeat, Seat, parse_seat, seat_or_none


@pytest.mark.parametrize(
    ("text", "seat"),
    [("18C", Seat(18, "C")), ("018C", Seat(18, "C")), (" 5k ", Seat(5, "K")), ("101A", Seat(101, "A"))],
)
def test_reads_row_and_letter(text: str, seat: Seat) -> None:
    assert parse_seat(text) == seat


@pytest.mark.parametrize("text", ["", "C18", "0A", "18", "18CC", "1 8C", "18-C", "1000A"])
def test_rejects_what_is_not_a_seat_naming_the_text(text: str) -> None:
    with pytest.raises(BadSeat, match=repr(text).replace("[", r"\[")):
        parse_seat(text)


def test_prints_as_carriers_write_it() -> None:
    assert str(parse_seat("007b")) == "7B"


def test_seats_order_by_row_then_letter() -> None:
    assert sorted([Seat(18, "C"), Seat(2, "K"), Seat(18, "A")]) == [Seat(2, "K"), Seat(18, "A"), Seat(18, "C")]


@pytest.mark.parametrize("text", [None, "", "  ", "FREE", "18CC"])
def test_free_seating_and_unreadable_seats_are_none(text: str | None) -> None:
    assert seat_or_none(text) is None


def test_seat_or_none_reads_a_good_seat() -> None:
    assert seat_or_none("32k") == Seat(32, "K")
