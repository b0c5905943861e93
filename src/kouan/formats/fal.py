"""IMO FAL Form 5 (Crew List) and Form 6 (Passenger List), as CSV or JSON: parse, and the CLI dict.

CSV: one heading row of the form's box names (``Family name``, ``Given names``, ``Rank or rating``,
``Nationality``, ``Date and place of birth``, ``Nature and No. of identity document``...; Form 6 has ``Port of
embarkation``, ``Port of disembarkation``, ``Transit passenger or not`` instead of the rank), optionally preceded by
the ship's boxes as ``box,value`` lines (``Name of ship,OCEAN PROMISE``, ``IMO number,9321483``). Separators ``,``
``;`` or tab. JSON: ``{"form": 5, "ship": {...}, "crew": [{...}]}`` (``passengers`` for Form 6), keys being the
same box names (``family_name``). A bad box is a warning naming its row and column (or JSON path) and leaves that
value empty; a row naming nobody is skipped with a warning; only a file that is no FAL list raises FormatError.
"""

from __future__ import annotations

import csv
import io
import reprlib
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Literal

from kouan.formats.fal_boxes import FORM6_ONLY, PERSON_BOXES, SHIP_BOXES, Cells, FalPerson, box, read_person
from kouan.formats.fal_fields import FieldProblem, read_date, read_nationality
from kouan.formats.imo import InvalidImo, parse_imo
from kouan.formats.records import FormatError, ParseWarning, json_object

FalForm = Literal[5, 6]
LISTS: dict[FalForm, str] = {5: "crew", 6: "passengers"}
NOT_FAL = 'no "Family name" heading: not a FAL Form 5 crew list or Form 6 passenger list'


@dataclass(frozen=True)
class FalShip:
    name: str | None = None
    imo: str | None = None  # seven digits, check digit verified
    call_sign: str | None = None
    voyage_number: str | None = None
    port: str | None = None  # port of arrival/departure (UN/LOCODE when it is one)
    date: date | None = None  # date of arrival/departure
    flag_state: str | None = None  # alpha-3
    last_port_of_call: str | None = None


@dataclass(frozen=True)
class FalList:
    form: FalForm
    ship: FalShip
    persons: tuple[FalPerson, ...]
    warnings: tuple[ParseWarning, ...]


def parse_fal(text: str) -> FalList:
    """A FAL Form 5 or 6 list, JSON when it starts with ``{``, CSV otherwise."""
    stripped = text.lstrip("\ufeff \r\n\t")
    return parse_fal_json(stripped) if stripped.startswith("{") else parse_fal_csv(stripped)


# --- the ship's boxes --------------------------------------------------------------------------------------


def _imo(text: str) -> str:
    try:
        return parse_imo(text)
    except InvalidImo as error:
        raise FieldProblem(str(error)) from None


def _ship(cells: Cells) -> FalShip:
    return FalShip(
        name=cells.text("name") or None,
        imo=cells.read("imo", _imo),
        call_sign=cells.text("call_sign") or None,
        voyage_number=cells.text("voyage_number") or None,
        port=cells.text("port") or None,
        date=cells.read("date", read_date),
        flag_state=cells.read("flag_state", read_nationality),
        last_port_of_call=cells.text("last_port_of_call") or None,
    )


def _form(fields: set[str], *, declared: object, place: str) -> FalForm:
    if str(declared) in ("5", "6"):
        return 5 if str(declared) == "5" else 6
    if declared is not None:
        shown = reprlib.repr(str(declared))
        raise FormatError(position=place, message=f"form {shown} is neither 5 (crew) nor 6 (passengers)")
    if fields & FORM6_ONLY and "rank" not in fields:
        return 6
    return 5


# --- CSV -----------------------------------------------------------------------------------------------------


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max(",;\t", key=first.count)


def _is_heading(row: list[str]) -> bool:
    return any(box(cell, PERSON_BOXES) in ("surname", "full_name") for cell in row)


def _preamble(rows: list[tuple[int, list[str]]], warnings: list[ParseWarning]) -> FalShip:
    values: dict[str, str] = {}
    places: dict[str, str] = {}
    for line, row in rows:
        field = box(row[0], SHIP_BOXES) if row else None
        if field is None:
            warnings.append(ParseWarning(f"row {line}", f"{row[0]!r} is not a box of the ship's particulars; ignored"))
            continue
        values[field], places[field] = " ".join(row[1:]).strip(), f'row {line} column "{row[0].strip()}"'
    return _ship(Cells(values, places, warnings))


def _columns(heading: list[str], *, line: int, warnings: list[ParseWarning]) -> dict[int, str]:
    columns: dict[int, str] = {}
    for index, name in enumerate(heading):
        field = box(name, PERSON_BOXES)
        if field is None or field in columns.values():
            reason = "repeats an earlier column" if field else "is not a box of FAL Form 5 or 6"
            warnings.append(ParseWarning(f'row {line} column "{name.strip()}"', f"{reason}; ignored"))
            continue
        columns[index] = field
    return columns


def _csv_person(
    row: list[str], *, line: int, heading: list[str], columns: dict[int, str], warnings: list[ParseWarning]
) -> FalPerson | None:
    if len(row) != len(heading):
        warnings.append(ParseWarning(f"row {line}", f"{len(row)} cells where the heading has {len(heading)}"))
    values = {field: row[index] for index, field in columns.items() if index < len(row)}
    places = {field: f'row {line} column "{heading[index].strip()}"' for index, field in columns.items()}
    return read_person(Cells(values, places, warnings), source=f"row {line}")


def _csv_rows(text: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    try:
        return [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise FormatError(position=f"row {reader.line_num}", message=f"not CSV: {error}") from None


def parse_fal_csv(text: str) -> FalList:
    """A FAL Form 5/6 list as CSV; raises FormatError only when it has no FAL heading row."""
    rows = _csv_rows(text)
    start = next((index for index, (_, row) in enumerate(rows) if _is_heading(row)), None)
    if start is None:
        raise FormatError(position="row 1", message=NOT_FAL)
    warnings: list[ParseWarning] = []
    ship = _preamble(rows[:start], warnings)
    line, heading = rows[start]
    columns = _columns(heading, line=line, warnings=warnings)
    form = _form(set(columns.values()), declared=None, place=f"row {line}")
    persons = [
        _csv_person(row, line=n, heading=heading, columns=columns, warnings=warnings) for n, row in rows[start + 1 :]
    ]
    return FalList(form, ship, tuple(p for p in persons if p is not None), tuple(warnings))


# --- JSON ----------------------------------------------------------------------------------------------------


def _object_cells(value: dict[str, Any], *, path: str, boxes: dict[str, str], warnings: list[ParseWarning]) -> Cells:
    values: dict[str, str] = {}
    places: dict[str, str] = {}
    for key, item in value.items():
        field = box(key, boxes)
        if field is None:
            warnings.append(ParseWarning(f"{path}.{key}", "not a box of the form; ignored"))
            continue
        values[field], places[field] = ("" if item is None else str(item)), f"{path}.{key}"
    return Cells(values, places, warnings)


def _json_person(value: Any, *, path: str, warnings: list[ParseWarning]) -> FalPerson | None:
    if not isinstance(value, dict):
        warnings.append(ParseWarning(path, "not an object; skipped"))
        return None
    return read_person(_object_cells(value, path=path, boxes=PERSON_BOXES, warnings=warnings), source=path)


def _json_list(document: dict[str, Any]) -> tuple[str, list[Any]]:
    for key in ("crew", "passengers"):
        if isinstance(document.get(key), list):
            return key, document[key]
    raise FormatError(position="$", message='no "crew" or "passengers" list: not a FAL Form 5 or 6 list')


def parse_fal_json(text: str) -> FalList:
    """A FAL Form 5/6 list as JSON; raises FormatError only when it is not JSON or has no crew/passenger list."""
    document = json_object(text)
    key, items = _json_list(document)
    warnings: list[ParseWarning] = []
    form = _form(set(), declared=document.get("form") or (5 if key == "crew" else 6), place="$.form")
    if LISTS[form] != key:
        warnings.append(ParseWarning("$.form", f'form {form} with a "{key}" list; read as form {form}'))
    ship_value = document.get("ship")
    if not isinstance(ship_value, dict):
        ship_value = {}
    ship = _ship(_object_cells(ship_value, path="$.ship", boxes=SHIP_BOXES, warnings=warnings))
    persons = [_json_person(item, path=f"$.{key}[{index}]", warnings=warnings) for index, item in enumerate(items)]
    return FalList(form, ship, tuple(p for p in persons if p is not None), tuple(warnings))


# --- the CLI JSON contract -------------------------------------------------------------------------------


def _plain(value: dict[str, Any]) -> dict[str, Any]:
    return {key: item.isoformat() if isinstance(item, date) else item for key, item in value.items()}


def fal_to_dict(fal: FalList) -> dict[str, Any]:
    """The ``kouan formats fal`` JSON: ``form``, ``ship``, ``crew`` or ``passengers``, ``warnings``."""
    return {
        "form": fal.form,
        "ship": _plain(asdict(fal.ship)),
        LISTS[fal.form]: [_plain(asdict(person)) for person in fal.persons],
        "warnings": [{"segment": w.segment, "message": w.message} for w in fal.warnings],
    }
