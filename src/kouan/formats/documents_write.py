"""Pure writers for the documents a traveller shows at the counter: a passport's machine-readable zone (ICAO 9303
TD3) and a boarding pass barcode's text (IATA BCBP, mandatory items only). For the demo, the tests and the counter
benchmark, which need real scans of people on real manifests."""

from __future__ import annotations

from datetime import date

from kouan.formats.mrz_fields import check_digit


def _with_digit(field: str) -> str:
    return field + str(check_digit(field))


def passport_mrz(
    *, surname: str, given: str, number: str, nationality: str, born: date, sex: str, expiry: date, issuer: str = ""
) -> list[str]:
    """The two 44-character lines of a passport (no personal number)."""
    name = f"{surname}<<{given}".replace(" ", "<").replace("-", "<")
    line1 = f"P<{issuer or nationality}{name}".ljust(44, "<")[:44]
    doc, birth, until = (
        _with_digit(number.ljust(9, "<")[:9]),
        _with_digit(born.strftime("%y%m%d")),
        _with_digit(expiry.strftime("%y%m%d")),
    )
    optional = _with_digit("<" * 14)
    composite = check_digit(doc + birth + until + optional)
    return [line1, f"{doc}{nationality}{birth}{sex or '<'}{until}{optional}{composite}"]


def boarding_pass(
    *, surname: str, given: str, booking: str, origin: str, destination: str, carrier: str, flight: str, day: date,
    seat: str, sequence: int = 1, cabin: str = "Y",
) -> str:  # fmt: skip
    """A one-leg pass with the mandatory items (the variable-size block empty)."""
    name = f"{surname}/{given}".ljust(20)[:20]
    leg = f"{booking.ljust(7)}{origin}{destination}{carrier.ljust(3)}{flight.rjust(4, '0').ljust(5)}"
    return f"M1{name}E{leg}{day.timetuple().tm_yday:03d}{cabin}{seat.rjust(4, '0')}{sequence:04d} 100"
