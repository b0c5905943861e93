"""IMO ship numbers: seven digits, the seventh a check digit over the first six (weights 7 to 2)."""

from __future__ import annotations

import pytest

from kouan.formats.imo import InvalidImo, imo_check_digit, is_imo, parse_imo


@pytest.mark.parametrize("text", ["9321483", "IMO 9321483", "imo9321483", " IMO  9321483 ", "IMO No. 9321483"])
def test_reads_the_number_however_written(text: str) -> None:
    assert parse_imo(text) == "9321483"


@pytest.mark.parametrize(("six", "digit"), [("932148", 3), ("907472", 9), ("902042", 9), ("000000", 0)])
def test_check_digit_is_the_last_digit_of_the_weighted_sum(six: str, digit: int) -> None:
    assert imo_check_digit(six) == digit


def test_wrong_check_digit_names_the_number_and_the_right_digit() -> None:
    with pytest.raises(InvalidImo, match=r"IMO 9321484: check digit is 4, should be 3"):
        parse_imo("IMO 9321484")


@pytest.mark.parametrize("text", ["", "IMO", "932148", "93214830", "IMO 93214A3", "MMSI 412345678"])
def test_text_that_is_no_imo_number_is_refused_naming_it(text: str) -> None:
    with pytest.raises(InvalidImo, match="is not an IMO number"):
        parse_imo(text)


def test_check_digit_wants_six_digits() -> None:
    with pytest.raises(InvalidImo, match="is not six digits"):
        imo_check_digit("93214")


@pytest.mark.parametrize(("text", "valid"), [("9074729", True), ("9074728", False), ("hello", False)])
def test_is_imo(text: str, valid: bool) -> None:
    assert is_imo(text) is valid
