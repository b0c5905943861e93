"""IMO ship identification numbers: seven digits, the last a check digit (SOLAS XI-1/3, IMO Res. A.1117(30)).

The check digit is the last digit of d1*7 + d2*6 + d3*5 + d4*4 + d5*3 + d6*2. Numbers come as ``9321483`` or
``IMO 9321483``.
"""

from __future__ import annotations

import re

_IMO = re.compile(r"^(?:IMO)?\s*(?:NO\.?|NR\.?)?\s*:?\s*(\d{7})$")


class InvalidImo(ValueError):
    """Text that is not a valid IMO number; the message names the number."""


def imo_check_digit(six_digits: str) -> int:
    """The check digit for the first six digits of an IMO number."""
    if len(six_digits) != 6 or not (six_digits.isascii() and six_digits.isdigit()):
        raise InvalidImo(f"{six_digits!r} is not six digits")
    return sum(int(digit) * weight for digit, weight in zip(six_digits, range(7, 1, -1), strict=True)) % 10


def parse_imo(text: str) -> str:
    """The seven digits of an IMO number; raises :class:`InvalidImo` naming the number when it is wrong."""
    found = _IMO.match(" ".join(text.upper().split()))
    if found is None:
        raise InvalidImo(f"{text.strip()!r} is not an IMO number (IMO and seven digits)")
    digits = found.group(1)
    expected = imo_check_digit(digits[:6])
    if int(digits[6]) != expected:
        raise InvalidImo(f"IMO {digits}: check digit is {digits[6]}, should be {expected}")
    return digits


def is_imo(text: str) -> bool:
    """Whether ``text`` is a valid IMO number."""
    try:
        parse_imo(text)
    except InvalidImo:
        return False
    return True
