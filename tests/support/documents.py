"""Travel documents for the counter tests, written by kouan's own writers (``kouan.formats.documents_write``)."""

from __future__ import annotations

from datetime import date

from kouan.formats.documents_write import boarding_pass, passport_mrz


def td3(*, surname: str, given: str, number: str, nationality: str, born: date, sex: str, expiry: date) -> list[str]:
    return passport_mrz(surname=surname, given=given, number=number, nationality=nationality, born=born, sex=sex,
                        expiry=expiry)  # fmt: skip


def bcbp(*, surname: str, given: str, booking: str, origin: str, destination: str, carrier: str, flight: str,
         day: date, seat: str) -> str:  # fmt: skip
    return boarding_pass(surname=surname, given=given, booking=booking, origin=origin, destination=destination,
                         carrier=carrier, flight=flight, day=day, seat=seat)  # fmt: skip
