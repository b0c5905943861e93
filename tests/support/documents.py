"""Travel documents for the counter tests: a passport's MRZ (ICAO 9303 TD3) and an IATA boarding pass (BCBP),
written for the people of tests/support/messages.py."""

from __future__ import annotations

from datetime import date

WEIGHTS = (7, 3, 1)


def check_digit(field: str) -> str:
    values = [int(c) if c.isdigit() else 0 if c == "<" else ord(c) - 55 for c in field]
    return str(sum(v * WEIGHTS[i % 3] for i, v in enumerate(values)) % 10)


def td3(*, surname: str, given: str, number: str, nationality: str, born: date, sex: str, expiry: date) -> list[str]:
    name = f"{surname}<<{given.replace(' ', '<')}"
    line1 = f"P<{nationality}{name}".ljust(44, "<")[:44]
    doc, birth, until = number.ljust(9, "<"), born.strftime("%y%m%d"), expiry.strftime("%y%m%d")
    optional = "<" * 14
    parts = [doc + check_digit(doc), nationality, birth + check_digit(birth), sex, until + check_digit(until)]
    body = "".join(parts) + optional + check_digit(optional)
    composite = doc + check_digit(doc) + birth + check_digit(birth) + until + check_digit(until) + optional
    composite += check_digit(optional)
    return [line1, body + check_digit(composite)]


def bcbp(*, surname: str, given: str, booking: str, origin: str, destination: str, carrier: str, flight: str,
         day: date, seat: str, sequence: int = 1) -> str:  # fmt: skip
    name = f"{surname}/{given}".ljust(20)[:20]
    julian = f"{day.timetuple().tm_yday:03d}"
    seat_field = seat.rjust(4, "0")
    leg = f"{booking.ljust(7)}{origin}{destination}{carrier.ljust(3)}{flight.rjust(4, '0').ljust(5)}{julian}Y"
    return f"M1{name}E{leg}{seat_field}{sequence:04d} 100"
