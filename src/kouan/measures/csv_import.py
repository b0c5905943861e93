"""Pure core: reading another agency's region-risk CSV through a column mapping (no database).

A ``ColumnMapping`` names the columns for the region, the day (a date, or an ISO year-week) and the figure (a
14-day rate per 100,000, or 14-day cases and a population, from which the rate is computed). Decisions:

- A weekly figure describes its ISO week's Monday (``2020-W12`` and ``2020-12`` both mean 2020-03-16), as in the
  JHU weekly file, whose dates are Mondays.
- A figure becomes known ``published_lag_days`` after the day it describes (00:00 UTC), one day by default.
- Regions are resolved to our region codes: ISO alpha-3 or alpha-2 (and the MRZ aliases ``country`` accepts, so
  ``XKS`` is Kosovo ``XKX``), ``CN-XX`` province codes as they are, ISO or common English country names and Chinese
  province names. A region that cannot be resolved yields None (counted as skipped) unless ``strict`` is set,
  when it is a FormatError naming the line.
- Values are kept as the file gives them, negative corrections included; a value that is not a number, a
  non-whole case count or a population below 1 is a FormatError at "file line N column X".
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal, TypeVar, get_args

import pycountry

from kouan.formats.records import FormatError
from kouan.measures.jhu import RiskRow, open_text
from kouan.reference import china_province, country, region
from kouan.reference.regions import JHU_COUNTRY_NAMES

RegionKind = Literal["alpha3", "alpha2", "name", "auto"]
T = TypeVar("T")
WEEK = re.compile(r"^(\d{4})(?:-?W|-)(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True)
class ColumnMapping:
    """Which column holds what; raises ValueError when the mapping cannot give a day and a rate."""

    region: str
    source: str
    date: str | None = None
    week: str | None = None
    rate: str | None = None
    cases: str | None = None
    population: str | None = None
    published_lag_days: int = 1
    region_kind: RegionKind = "auto"

    def __post_init__(self) -> None:
        if (self.date is None) == (self.week is None):
            raise ValueError("map exactly one of a date column and an ISO year-week column")
        if self.rate is None and (self.cases is None or self.population is None):
            raise ValueError("map a rate column, or both a cases column and a population column")
        if not self.region.strip() or not self.source.strip():
            raise ValueError("the region column and the source name must not be empty")
        if self.published_lag_days < 0:
            raise ValueError(f"published_lag_days must not be negative (got {self.published_lag_days})")
        if self.region_kind not in get_args(RegionKind):
            raise ValueError(f"region_kind must be one of {', '.join(get_args(RegionKind))}")

    def columns(self) -> list[str]:
        named = (self.region, self.date, self.week, self.rate, self.cases, self.population)
        return [column for column in named if column is not None]


def read_csv_risk(path: Path, *, mapping: ColumnMapping, strict: bool = False) -> Iterator[RiskRow | None]:
    """One RiskRow per line; None for a line whose region is not recognised (a FormatError when ``strict``)."""
    with open_text(path) as handle:
        reader = csv.DictReader(handle)
        _check_columns(found=reader.fieldnames, mapping=mapping, path=path)
        for line_number, line in enumerate(reader, start=2):
            yield _risk_row(line=line, mapping=mapping, where=f"{path.name} line {line_number}", strict=strict)


def _check_columns(*, found: object, mapping: ColumnMapping, path: Path) -> None:
    header = found if isinstance(found, list) else []
    missing = [column for column in mapping.columns() if column not in header]
    if missing:
        raise FormatError(position=f"{path.name} line 1", message=f"missing columns: {', '.join(missing)}")


def _risk_row(*, line: dict[str, str], mapping: ColumnMapping, where: str, strict: bool) -> RiskRow | None:
    text = _cell(line, mapping.region)
    code = resolve_region(text, kind=mapping.region_kind)
    if code is None:
        if strict:
            raise FormatError(position=f"{where} column {mapping.region}", message=f"unknown region {text!r}")
        return None
    data_date = _day(line=line, mapping=mapping, where=where)
    cases, population = _cases_and_population(line=line, mapping=mapping, where=where)
    rate = (
        _field(line, mapping.rate, where, _number)
        if mapping.rate
        else rate_per_100k(cases=cases, population=population)
    )
    known = datetime.combine(data_date + timedelta(days=mapping.published_lag_days), time(0), tzinfo=UTC)
    return RiskRow(
        region_code=code,
        data_date=data_date,
        rate_14d=rate,
        new_14d=cases,
        population=population,
        recorded_at=known,
        source=mapping.source,
    )


def _cell(line: dict[str, str], column: str) -> str:
    return (line.get(column) or "").strip()


def _day(*, line: dict[str, str], mapping: ColumnMapping, where: str) -> date:
    if mapping.date is not None:
        return _required(_field(line, mapping.date, where, date.fromisoformat), mapping.date, where)
    assert mapping.week is not None
    return _required(_field(line, mapping.week, where, iso_week_monday), mapping.week, where)


def _cases_and_population(*, line: dict[str, str], mapping: ColumnMapping, where: str) -> tuple[int | None, int | None]:
    cases = _field(line, mapping.cases, where, _whole) if mapping.cases else None
    population = _field(line, mapping.population, where, _population) if mapping.population else None
    return cases, population


def _field(line: dict[str, str], column: str, where: str, parse: Callable[[str], T]) -> T | None:
    """The parsed cell, None when it is blank; a bad value is a FormatError naming the line and column."""
    text = _cell(line, column)
    if not text:
        return None
    try:
        return parse(text)
    except ValueError as error:
        raise FormatError(position=f"{where} column {column}", message=f"{text!r}: {error}") from error


def _required(value: T | None, column: str, where: str) -> T:
    if value is None:
        raise FormatError(position=f"{where} column {column}", message="no value")
    return value


def rate_per_100k(*, cases: int | None, population: int | None) -> float | None:
    """14-day cases per 100,000 people; None when either figure is unknown."""
    if cases is None or population is None:
        return None
    return cases * 100_000 / population


def iso_week_monday(text: str) -> date:
    """The Monday of an ISO year-week written ``2020-W12``, ``2020W12`` or ``2020-12``."""
    match = WEEK.match(text.strip())
    if match is None:
        raise ValueError("not an ISO year-week (YYYY-Www or YYYY-ww)")
    return date.fromisocalendar(int(match[1]), int(match[2]), 1)


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


def _whole(text: str) -> int:
    value = _number(text)
    if not value.is_integer():
        raise ValueError("not a whole number")
    return int(value)


def _population(text: str) -> int:
    value = _whole(text)
    if value < 1:
        raise ValueError("a population must be at least 1")
    return value


@lru_cache(maxsize=4096)
def resolve_region(text: str, *, kind: RegionKind = "auto") -> str | None:
    """Our region code for a code or name of the given kind; None when it is not recognised."""
    if not text.strip():
        return None
    if kind == "name":
        return _by_name(text)
    found = _by_code(text, kind=kind)
    return found if found is not None or kind != "auto" else _by_name(text)


def _by_code(text: str, *, kind: RegionKind) -> str | None:
    code = text.strip().upper()
    if code.startswith("CN-"):
        return code if region(code) is not None else None
    if {"alpha3": 3, "alpha2": 2}.get(kind, len(code)) != len(code) or len(code) not in (2, 3):
        return None
    found = country(code)
    target = found.iso_country if found is not None else None
    return target if target is not None and region(target) is not None else None


def _by_name(text: str) -> str | None:
    name = text.strip()
    if name in JHU_COUNTRY_NAMES:
        return JHU_COUNTRY_NAMES[name]
    try:
        return str(pycountry.countries.lookup(name).alpha_3)
    except LookupError:
        return china_province(name)
