"""Reading one JSON box of a Maritime Declaration of Health, with a warning naming its JSON path when it is bad."""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from kouan.formats.fal_fields import FieldProblem, read_date, read_nationality
from kouan.formats.imo import InvalidImo, parse_imo
from kouan.formats.records import ParseWarning
from kouan.reference.ports import normalise_locode, port, port_region

T = TypeVar("T")
YES = {"YES", "Y", "TRUE"}
NO = {"NO", "N", "FALSE"}
MAX_WHOLE = 999_999_999


@dataclass(frozen=True)
class MdhPlace:
    as_written: str
    locode: str | None  # UN/LOCODE when the text is one
    name: str | None  # the port's name when the bundled list knows it
    region_code: str | None  # where its risk is kept (``CN-AH``, ``SGP``); a country gives its alpha-3


def yes_no(text: str) -> bool:
    if text.upper() in YES:
        return True
    if text.upper() in NO:
        return False
    raise FieldProblem(f"{text!r} is neither yes nor no")


def whole_number(text: str) -> int:
    """A count or an age: ``21``, ``21.0``; not ``-1``, ``2.5``, ``inf`` or a number of more than nine digits."""
    try:
        number = float(text)
    except ValueError:
        raise FieldProblem(f"{reprlib.repr(text)} is not a number") from None
    if not number.is_integer() or not 0 <= number <= MAX_WHOLE:
        raise FieldProblem(f"{reprlib.repr(text)} is not a whole number from 0 to {MAX_WHOLE:,}")
    return int(number)


def tonnage(text: str) -> float:
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        raise FieldProblem(f"{reprlib.repr(text)} is not a tonnage") from None
    if not 0 <= number <= MAX_WHOLE:  # also not inf or NaN, which JSON cannot carry
        raise FieldProblem(f"{reprlib.repr(text)} is not a tonnage from 0 to {MAX_WHOLE:,}")
    return number


def imo(text: str) -> str:
    try:
        return parse_imo(text)
    except InvalidImo as error:
        raise FieldProblem(str(error)) from None


def _country_place(text: str) -> MdhPlace:
    try:
        alpha3 = read_nationality(text)
    except FieldProblem:
        raise FieldProblem(f"{text!r} is neither a UN/LOCODE nor a country") from None
    return MdhPlace(as_written=text, locode=None, name=None, region_code=alpha3)


def _is_country(text: str) -> bool:
    try:
        read_nationality(text)
    except FieldProblem:
        return False
    return True


@dataclass
class Boxes:
    """Reads boxes of one JSON object; each problem becomes a warning at ``path.key`` and an empty value."""

    value: dict[str, Any]
    path: str
    warnings: list[ParseWarning]

    def at(self, key: str) -> str:
        return f"{self.path}.{key}"

    def warn(self, key: str, message: str) -> None:
        self.warnings.append(ParseWarning(self.at(key), message))

    def text(self, key: str) -> str | None:
        item = self.value.get(key)
        return " ".join(str(item).split()) or None if item is not None else None

    def read(self, key: str, reader: Callable[[str], T]) -> T | None:
        text = self.text(key)
        if text is None:
            return None
        try:
            return reader(text)
        except FieldProblem as problem:
            self.warn(key, str(problem))
            return None

    def day(self, key: str) -> date | None:
        return self.read(key, read_date)

    def place(self, key: str) -> MdhPlace | None:
        return self.read(key, lambda text: self.place_of(text, key))

    def place_of(self, text: str, key: str) -> MdhPlace:
        """A UN/LOCODE (warning when the bundled list lacks it) or, failing that, a country."""
        locode = normalise_locode(text)
        if locode is None:
            return _country_place(text)
        found = port(locode)
        if found is not None:
            return MdhPlace(as_written=text, locode=locode, name=found.name, region_code=found.region_code)
        if _is_country(text):  # "CHINA" is shaped like a locode but is the country
            return _country_place(text)
        self.warn(key, f"unknown UN/LOCODE {locode!r}")
        return MdhPlace(as_written=text, locode=locode, name=None, region_code=port_region(locode))

    def objects(self, key: str) -> list[Boxes]:
        """The objects of a list box, each with its own path; anything else is a warning."""
        items = self.value.get(key)
        if items is not None and not isinstance(items, list):
            self.warn(key, "not a list; ignored")
        return objects(items if isinstance(items, list) else [], path=self.at(key), warnings=self.warnings)


def objects(items: list[Any], *, path: str, warnings: list[ParseWarning]) -> list[Boxes]:
    """``Boxes`` for each object of a JSON list (``path[i]``); anything else is skipped with a warning."""
    found = []
    for index, item in enumerate(items):
        if isinstance(item, dict):
            found.append(Boxes(item, f"{path}[{index}]", warnings))
        else:
            warnings.append(ParseWarning(f"{path}[{index}]", "not an object; skipped"))
    return found
