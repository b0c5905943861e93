"""EDIFACT dates are read by their digits exactly as ``strptime`` with the standard's formats reads them: the same
datetime, or a refusal where it refuses (impossible months, days, hours, minutes and seconds included)."""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from kouan.formats.edifact import edi_datetime

FORMATS = {8: "%Y%m%d", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}


def by_strptime(digits: str) -> datetime | None:
    try:
        return datetime.strptime(digits, FORMATS[len(digits)])
    except ValueError:
        return None


def by_edifact(digits: str) -> datetime | None:
    try:
        return edi_datetime(digits)
    except ValueError:
        return None


def near_dates(seed: int, count: int) -> list[str]:
    """Digit strings around real dates: each field from 00 to a little past its largest value."""
    pick = random.Random(seed)
    found = []
    for _ in range(count):
        fields = [f"{pick.randrange(0, 10_000):04d}", *(f"{pick.randrange(0, limit):02d}" for limit in (14, 33, 26))]
        fields += [f"{pick.randrange(0, 62):02d}", f"{pick.randrange(0, 63):02d}"]
        text = "".join(fields)
        found.append(text[: pick.choice((8, 12, 14))])
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_date_is_read_as_strptime_reads_it(seed: int) -> None:
    for digits in near_dates(seed, 5000):
        assert by_edifact(digits) == by_strptime(digits), digits


def test_a_two_digit_year_is_this_century_unless_that_is_too_late() -> None:
    assert edi_datetime("200321") == datetime(2020, 3, 21)
    assert edi_datetime("650321", not_after=datetime(2020, 1, 1).date()) == datetime(1965, 3, 21)
    assert by_edifact("201332") is None and by_edifact("2003211260") is None
