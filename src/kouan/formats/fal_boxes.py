"""The boxes of IMO FAL Form 5 (Crew List) and Form 6 (Passenger List), and the person each row describes.

Headings are matched on their words (see :func:`heading_key`): the form's own English box names with or without
their numbers (``7. Family name``), the older combined box ``Family name, given names``, the split boxes of the
2018 forms and of many agents' spreadsheets (``Date of birth`` and ``Place of birth``; ``Type of identity
document`` and ``Serial number of identity document``), and the same names as JSON keys (``family_name``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from kouan.formats.fal_fields import (
    FieldProblem,
    document_type,
    heading_key,
    read_date,
    read_nationality,
    split_birth,
    split_document,
)
from kouan.formats.records import ParseWarning
from kouan.reference.ports import normalise_locode

T = TypeVar("T")

PERSON_BOXES = {
    "no": "number",
    "family name": "surname",
    "surname": "surname",
    "given names": "given_names",
    "given name": "given_names",
    "family name given names": "full_name",
    "rank or rating": "rank",
    "nationality": "nationality",
    "date and place of birth": "birth",
    "date of birth": "birth_date",
    "place of birth": "birth_place",
    "nature and no of identity document": "document",
    "type of identity document": "document_type",
    "nature of identity document": "document_type",
    "serial number of identity document": "document_number",
    "number of identity document": "document_number",
    "port of embarkation": "embarkation",
    "port of disembarkation": "disembarkation",
    "transit passenger or not": "transit",
    "gender": "sex",
    "sex": "sex",
}
SHIP_BOXES = {
    "name of ship": "name",
    "imo number": "imo",
    "call sign": "call_sign",
    "voyage number": "voyage_number",
    "port of arrival departure": "port",
    "port of arrival": "port",
    "port of departure": "port",
    "date of arrival departure": "date",
    "date of arrival": "date",
    "date of departure": "date",
    "flag state of ship": "flag_state",
    "last port of call": "last_port_of_call",
}
FORM6_ONLY = {"embarkation", "disembarkation", "transit"}
YES = {"YES", "Y", "TRUE", "TRANSIT", "1"}
NO = {"NO", "N", "FALSE", "0", "NOT TRANSIT", "-"}


def box(heading: str, boxes: dict[str, str]) -> str | None:
    """The field a heading names (exact words, or the box name followed by a remark); None when unknown."""
    key = heading_key(heading)
    if key in boxes:
        return boxes[key]
    starts = [name for name in boxes if key.startswith(name + " ")]
    return boxes[max(starts, key=len)] if starts else None


@dataclass(frozen=True)
class FalPerson:
    source: str  # "row 4" (CSV) or "$.crew[2]" (JSON)
    surname: str
    given_names: str
    nationality: str | None  # alpha-3
    birth_date: date | None
    birth_place: str | None
    document_type: str | None  # passport, seafarer_id, identity_card, or the words as written
    document_number: str | None
    number: str | None = None  # box "No."
    rank: str | None = None  # Form 5 "Rank or rating"
    embarkation: str | None = None  # UN/LOCODE when it is one, otherwise as written
    disembarkation: str | None = None
    transit: bool | None = None  # Form 6 "Transit passenger or not"
    sex: str | None = None


@dataclass
class Cells:
    """One row's boxes: field → text, field → where it is (for warnings)."""

    values: dict[str, str]
    places: dict[str, str]
    warnings: list[ParseWarning]

    def text(self, field: str) -> str:
        return " ".join(self.values.get(field, "").split())

    def warn(self, field: str, message: str) -> None:
        self.warnings.append(ParseWarning(self.places[field], message))

    def read(self, field: str, reader: Callable[[str], T | None]) -> T | None:
        if not self.text(field):
            return None
        try:
            return reader(self.text(field))
        except FieldProblem as problem:
            self.warn(field, str(problem))
            return None


def _names(cells: Cells) -> tuple[str, str]:
    surname, given = cells.text("surname"), cells.text("given_names")
    if surname or not cells.text("full_name"):
        return surname.upper(), given.upper()
    family, _, rest = cells.text("full_name").partition(",")
    return family.strip().upper(), rest.strip().upper()


def _birth(cells: Cells) -> tuple[date | None, str | None]:
    if not cells.text("birth"):
        return cells.read("birth_date", read_date), cells.text("birth_place") or None
    day, place = split_birth(cells.text("birth"))
    if day is None:
        cells.warn("birth", f"no date of birth in {cells.text('birth')!r}")
        return None, place
    return cells.read("birth", lambda _: read_date(day)), place


def _document(cells: Cells) -> tuple[str | None, str | None]:
    if cells.text("document"):
        return split_document(cells.text("document"))
    return cells.read("document_type", document_type), cells.text("document_number").upper() or None


def _transit(text: str) -> bool:
    if text.upper() in YES:
        return True
    if text.upper() in NO:
        return False
    raise FieldProblem(f"{text!r} is neither yes nor no")


def _port(text: str) -> str:
    return normalise_locode(text) or text


def read_person(cells: Cells, *, source: str) -> FalPerson | None:
    """The person of one row; None (with a warning) when the row names nobody."""
    surname, given = _names(cells)
    if not surname and not given:
        cells.warnings.append(ParseWarning(source, "no family name or given names; row skipped"))
        return None
    birth_date, birth_place = _birth(cells)
    kind, number = _document(cells)
    return FalPerson(
        source=source,
        surname=surname,
        given_names=given,
        nationality=cells.read("nationality", read_nationality),
        birth_date=birth_date,
        birth_place=birth_place,
        document_type=kind,
        document_number=number,
        number=cells.text("number") or None,
        rank=cells.text("rank") or None,
        embarkation=cells.read("embarkation", _port),
        disembarkation=cells.read("disembarkation", _port),
        transit=cells.read("transit", _transit),
        sex=cells.text("sex").upper()[:1] or None,
    )
