"""Pure core: who a scan names. An MRZ gives the document; a boarding pass gives the name and the flight; an
e-declaration code is looked up by the service. A scan that cannot be read says why (never a guess)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kouan import errors
from kouan.travel.declarations.codes import clean_code


class Unreadable(errors.Invalid):
    """The scan is not a readable MRZ, boarding pass or code (HTTP 422, with the reason)."""


@dataclass(frozen=True)
class Identity:
    surname: str | None = None
    given_names: str | None = None
    document_number: str | None = None
    nationality: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    carrier: str | None = None
    flight: str | None = None
    flight_date: date | None = None
    seat: str | None = None
    code: str | None = None
    warnings: tuple[str, ...] = ()


def from_mrz(text: str) -> Identity:
    from kouan.formats.mrz import NotAnMrz, parse_mrz

    try:
        read = parse_mrz([line for line in text.replace("\r", "").split("\n") if line.strip()])
    except NotAnMrz as error:
        raise Unreadable(f"not an MRZ: {error}") from error
    warnings = tuple(f"MRZ: {e}" for e in read.errors) if not read.valid else ()
    return Identity(surname=read.surname, given_names=read.given_names, document_number=read.document_number,
                    nationality=read.nationality, birth_date=read.birth_date,
                    sex=read.sex if read.sex in ("M", "F") else None, warnings=warnings)  # fmt: skip


def from_bcbp(text: str, *, port: str, reference: date, leaving: bool = False) -> Identity:
    """The boarding pass's leg into ``port`` (``leaving``: out of it), else its last (first) leg."""
    from kouan.formats.bcbp import parse_bcbp
    from kouan.formats.records import FormatError

    try:
        read = parse_bcbp(text, reference=reference)
    except FormatError as error:
        raise Unreadable(f"not a boarding pass: {error}") from error
    if leaving:
        leg = next((leg for leg in read.legs if leg.origin == port), read.legs[0])
    else:
        leg = next((leg for leg in read.legs if leg.destination == port), read.legs[-1])
    return Identity(surname=read.surname, given_names=read.given_names, carrier=leg.carrier, flight=leg.flight,
                    flight_date=leg.date, seat=leg.seat)  # fmt: skip


def from_code(text: str) -> Identity:
    code = clean_code(text)
    if not code.isalnum() or not 6 <= len(code) <= 16:
        raise Unreadable(f"not an e-declaration code: {text!r}")
    return Identity(code=code)


def same_name(*, manifest: str, scanned: str | None) -> bool:
    """Boarding passes cut names short: a scanned name matches when it is a prefix of the manifest's."""
    wanted = "".join((scanned or "").upper().split())
    return bool(wanted) and "".join(manifest.upper().split()).startswith(wanted)
