"""ICAO Doc 9303 machine readable zones: TD1 (3 x 30), TD2 (2 x 36), TD3 passports (2 x 44) and the MRV-A / MRV-B
visas (2 x 44 / 2 x 36, type ``V…``, read like TD3 / TD2 without composite check digit). Pure: no database, no web.

Every check digit is verified and reported in ``checks`` (``document_number``, ``birth_date``, ``expiry_date``,
``optional_data`` for TD3, ``composite`` except visas). Nothing is guessed: OCR slips, unknown state codes and
impossible dates are errors naming the field and position, values are kept as read (dates become None).

Decisions, beyond those in :mod:`kouan.formats.mrz_lines` (input, lower case, short lines) and
:mod:`kouan.formats.mrz_fields` (centuries, fillers in dates):

- A TD1/TD2 document number over 9 characters: its first 9 in the number field, ``<`` in its check digit, the
  rest at the start of the optional data followed by the check digit (of the whole number); the result holds the
  whole number and the optional data after that check digit.
- TD1's two optional data fields are joined with one space when both hold something.
- ``UTO`` (Utopia, the specimens' state) is accepted with a warning; ``D`` is Germany as read (not ``DEU``).
- ``format`` is TD1, TD2 or TD3; a visa says so by its ``document_type`` starting with ``V``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kouan.formats.mrz_fields import (
    Notes,
    check_characters,
    clean,
    read_code,
    read_date,
    read_name,
    read_sex,
    text,
    verify,
    where,
)
from kouan.formats.mrz_layouts import Layout
from kouan.formats.mrz_lines import NotAnMrz, read_lines

__all__ = ["MrzResult", "NotAnMrz", "mrz_to_dict", "parse_mrz"]

TYPE_LETTERS = {"TD1": "ACI", "TD2": "ACI", "TD3": "P", "MRVA": "V", "MRVB": "V"}


@dataclass(frozen=True)
class MrzResult:
    valid: bool  # every check digit matches and there is no error
    format: str  # TD1, TD2 or TD3
    document_type: str
    issuer: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: date | None
    sex: str  # M, F or X (as read when it is none of them, with an error)
    expiry_date: date | None
    optional_data: str
    checks: dict[str, bool]
    errors: list[str]
    warnings: list[str]


@dataclass(frozen=True)
class _Zone:
    layout: Layout
    rows: list[str]

    def raw(self, key: str) -> str:
        return text(rows=self.rows, span=self.layout.spans[key])

    def place(self, key: str) -> str:
        return where(span=self.layout.spans[key])


def _field_name(key: str) -> str:
    return key.replace("optional_data_2", "optional_data").replace("_check", " check digit")


def _check_characters(zone: _Zone, *, notes: Notes) -> None:
    for key, span in zone.layout.spans.items():
        check_characters(name=_field_name(key), rows=zone.rows, span=span, notes=notes)


def _long_number(zone: _Zone, *, notes: Notes) -> tuple[str, str, bool]:
    number, optional = zone.raw("document_number"), zone.raw("optional_data")
    tail = optional.split("<", 1)[0]  # the rest of the number, then its check digit
    span = zone.layout.spans["optional_data"]
    place = where(span=span, offset=len(tail) - 1)
    ok = verify(name="document_number", data=number + tail[:-1], digit=tail[-1], place=place, notes=notes)
    return clean(number + tail[:-1]), optional[len(tail) :], ok


def _document_number(zone: _Zone, *, notes: Notes) -> tuple[str, str, bool]:
    """(number, optional data after any continued number, its check passed)."""
    number, digit = zone.raw("document_number"), zone.raw("document_number_check")
    continued = zone.layout.long_numbers and digit == "<" and "<" not in number
    if continued and zone.raw("optional_data")[0] != "<":
        return _long_number(zone, notes=notes)
    place = zone.place("document_number_check")
    ok = verify(name="document_number", data=number, digit=digit, place=place, notes=notes)
    return clean(number), zone.raw("optional_data"), ok


def _check(zone: _Zone, *, key: str, notes: Notes) -> bool:
    digit, place = zone.raw(f"{key}_check"), zone.place(f"{key}_check")
    filler_ok = key == "optional_data"
    return verify(name=key, data=zone.raw(key), digit=digit, place=place, notes=notes, empty_may_be_filler=filler_ok)


def _composite(zone: _Zone, *, notes: Notes) -> bool:
    data = "".join(text(rows=zone.rows, span=span) for span in zone.layout.composite)
    return verify(name="composite", data=data, digit=zone.raw("composite"), place=zone.place("composite"), notes=notes)


def _checks(zone: _Zone, *, number_ok: bool, notes: Notes) -> dict[str, bool]:
    checks = {"document_number": number_ok}
    for key in ("birth_date", "expiry_date", "optional_data"):
        if f"{key}_check" in zone.layout.spans:
            checks[key] = _check(zone, key=key, notes=notes)
    if zone.layout.composite:
        checks["composite"] = _composite(zone, notes=notes)
    return checks


def _optional_data(zone: _Zone, *, rest: str) -> str:
    parts = [clean(rest)]
    if "optional_data_2" in zone.layout.spans:
        parts.append(clean(zone.raw("optional_data_2")))
    return " ".join(part for part in parts if part)


def _document_type(zone: _Zone, *, notes: Notes) -> str:
    raw, letters = zone.raw("document_type"), TYPE_LETTERS[zone.layout.name]
    if raw[0] not in letters:
        notes.warnings.append(
            f"document_type: {raw!r} does not start with {' or '.join(letters)} as {zone.layout.name}"
        )
    return clean(raw)


def _fields(zone: _Zone, *, today: date, notes: Notes) -> dict[str, Any]:
    number, rest, number_ok = _document_number(zone, notes=notes)
    surname, given_names = read_name(raw=zone.raw("name"), notes=notes)
    return {
        "format": zone.layout.format,
        "document_type": _document_type(zone, notes=notes),
        "issuer": read_code(name="issuer", raw=zone.raw("issuer"), notes=notes),
        "surname": surname,
        "given_names": given_names,
        "document_number": number,
        "nationality": read_code(name="nationality", raw=zone.raw("nationality"), notes=notes),
        "birth_date": read_date(name="birth_date", raw=zone.raw("birth_date"), today=today, notes=notes),
        "sex": read_sex(raw=zone.raw("sex"), notes=notes),
        "expiry_date": read_date(name="expiry_date", raw=zone.raw("expiry_date"), today=today, notes=notes),
        "optional_data": _optional_data(zone, rest=rest),
        "checks": _checks(zone, number_ok=number_ok, notes=notes),
    }


def _result(zone: _Zone, *, today: date, notes: Notes) -> MrzResult:
    fields = _fields(zone, today=today, notes=notes)
    valid = all(fields["checks"].values()) and not notes.errors
    return MrzResult(valid=valid, **fields, errors=notes.errors, warnings=notes.warnings)


def parse_mrz(lines: list[str] | str, *, today: date | None = None) -> MrzResult:
    """Read an MRZ (its lines, or one string with newlines); raises NotAnMrz when it is not one at all."""
    notes = Notes()
    layout, rows = read_lines(lines, warnings=notes.warnings)
    zone = _Zone(layout=layout, rows=rows)
    _check_characters(zone, notes=notes)
    return _result(zone, today=today or date.today(), notes=notes)


def mrz_to_dict(result: MrzResult) -> dict[str, Any]:
    """The CLI's JSON: dates as ISO strings (or null)."""
    return {
        "valid": result.valid,
        "format": result.format,
        "document_type": result.document_type,
        "issuer": result.issuer,
        "surname": result.surname,
        "given_names": result.given_names,
        "document_number": result.document_number,
        "nationality": result.nationality,
        "birth_date": result.birth_date.isoformat() if result.birth_date else None,
        "sex": result.sex,
        "expiry_date": result.expiry_date.isoformat() if result.expiry_date else None,
        "optional_data": result.optional_data,
        "checks": dict(result.checks),
        "errors": list(result.errors),
        "warnings": list(result.warnings),
    }
