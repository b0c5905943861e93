"""Pure core: reading the JHU CSSE 14-day-rate file into risk rows (no database).

The file gives, per country and per province/state and day, the new cases over 14 days and the rate per
100,000. JHU published each day's figures the following day, so a figure for day D is taken as known from
D + 1 (00:00 UTC): a screening "as of" D sees figures up to D - 1.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TextIO

from kouan.formats.records import FormatError
from kouan.reference import region_for_jhu

SOURCE = "jhu-csse"
BUNDLED = Path(__file__).parent / "data" / "jhu_2020H1_daily_rate14.csv.gz"
COLUMNS = ("Province_State", "Country_Region", "iso3", "Population", "date", "new_14d", "rate_14d_per_100k")


@dataclass(frozen=True)
class RiskRow:
    region_code: str
    data_date: date
    rate_14d: float | None
    new_14d: int | None
    population: int | None
    recorded_at: datetime
    source: str = SOURCE


def published_at(data_date: date) -> datetime:
    return datetime.combine(data_date + timedelta(days=1), time(0), tzinfo=UTC)


def open_text(path: Path) -> TextIO:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", newline="", encoding="utf-8")
    return path.open(newline="", encoding="utf-8")


def read_jhu(path: Path) -> Iterator[RiskRow | None]:
    """One RiskRow per usable line; None for a line of a sub-national area that risk is not kept for. Then, for a
    country JHU reports only by province or state (Australia, Canada, China), the country's own rows summed from
    them, so that a place known only by its country (a seaport, an airport outside the list) has a figure."""
    totals = _ProvinceTotals()
    with open_text(path) as handle:
        reader = csv.DictReader(handle)
        _check_columns(reader.fieldnames, path)
        for line_number, line in enumerate(reader, start=2):
            totals.add(line)
            yield _risk_row(line=line, where=f"{path.name} line {line_number}")
    yield from totals.rows()


class _ProvinceTotals:
    """New cases over 14 days and population per country and day, summed over its provinces (a day with a province
    missing its figure has no total; rows without a population, such as a cruise ship's, add cases only)."""

    def __init__(self) -> None:
        self.with_total: set[str] = set()
        self.sums: dict[tuple[str, str], list[float | None]] = {}

    def add(self, line: dict[str, str]) -> None:
        iso3, new, people = line["iso3"], _number(line["new_14d"]), _number(line["Population"])
        if not line["Province_State"]:
            self.with_total.add(iso3)
            return
        if not iso3 or _kept_as(line) == iso3:  # a territory kept under its own code (Aruba, Greenland...)
            return
        total = self.sums.setdefault((iso3, line["date"]), [0.0, 0.0])
        total[0] = None if new is None or total[0] is None else total[0] + new
        total[1] = (total[1] or 0.0) + (people or 0.0)

    def rows(self) -> Iterator[RiskRow]:
        for (iso3, day), (new, people) in sorted(self.sums.items()):
            if iso3 in self.with_total:
                continue
            rate = new * 100_000 / people if new is not None and people else None
            data_date = date.fromisoformat(day)
            yield RiskRow(region_code=iso3, data_date=data_date, rate_14d=rate,
                          new_14d=int(new) if new is not None else None, population=int(people) if people else None,
                          recorded_at=published_at(data_date))  # fmt: skip


def _kept_as(line: dict[str, str]) -> str | None:
    return region_for_jhu(province=line["Province_State"], country=line["Country_Region"], iso3=line["iso3"])


def _check_columns(found: object, path: Path) -> None:
    missing = [c for c in COLUMNS if not isinstance(found, list) or c not in found]
    if missing:
        raise FormatError(position=f"{path.name} line 1", message=f"missing columns: {', '.join(missing)}")


def _risk_row(*, line: dict[str, str], where: str) -> RiskRow | None:
    region = region_for_jhu(province=line["Province_State"], country=line["Country_Region"], iso3=line["iso3"])
    if region is None:
        return None
    try:
        data_date = date.fromisoformat(line["date"])
        return RiskRow(
            region_code=region,
            data_date=data_date,
            rate_14d=_number(line["rate_14d_per_100k"]),
            new_14d=_whole(line["new_14d"]),
            population=_whole(line["Population"]),
            recorded_at=published_at(data_date),
        )
    except ValueError as error:
        raise FormatError(position=where, message=str(error)) from error


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


def _whole(text: str) -> int | None:
    value = _number(text)
    return int(value) if value is not None else None
