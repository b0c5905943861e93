"""Risk levels, their ranks, and the one level of a region in force on a day as known on a day.

Levels rank low 0 < unknown 1 < medium 2 < high 3 (:data:`LEVEL_RANK`). This module imports no ibis: the
public query, vessel screening and the measures list read levels here; the screening engine
(:mod:`kouan.screening.engine`) computes the same level in ibis, and a parity test holds the two together.

The level of region R on day D as known on day K (days are UTC days of ``recorded_at``):

1. Figure. Among the data dates with a figure recorded on or before min(D, K), the latest one is in force on D;
   its value is the one recorded last on or before K (a correction counts from the day it was recorded), then
   the smallest source. When K = D this is the engine's key-region list in force on screen date D; when K < D
   it is what the engine said when run on K for a screening on D; when K > D it is hindsight (later
   corrections of the figure that applied on D), which the engine never computes.
2. Designation. Among analysts' designations recorded on or before K whose [valid_from, valid_to) covers D,
   the one recorded last (the highest id, as the engine).
3. Level. The classifier's level of the figure's rate (no figure, no rate or NaN: unknown), raised to the
   designation's level when that is higher: officers enforce the stricter of the two.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from kouan.measures.models import RegionDesignation, RegionRisk
from kouan.measures.ranks import (  # noqa: F401  (the level names are read from here too)
    HIGH,
    LEVEL_RANK,
    LOW,
    MEDIUM,
    UNKNOWN,
    Level,
    level_for_rank,
    rank_of,
    stricter,
)


class Classifier(Protocol):
    """What a level needs of a classifier (:class:`kouan.measures.classifiers.RateClassifier` is one)."""

    def classify(self, rate: float | None) -> str: ...


@dataclass(frozen=True)
class Designated:
    """The analysts' designation in force, as the level's provenance."""

    level: str
    valid_from: date
    valid_to: date | None
    reason: str
    reference: str | None
    recorded_at: datetime


@dataclass(frozen=True)
class LevelInForce:
    """A region's level with where it came from: the figure (rate, source, data date; None when no figure is
    known) and the designation in force (None when there is none; it decided the level when its level is higher
    than the figure's)."""

    region: str
    level: str
    rate_14d: float | None
    source: str | None
    data_date: date | None
    designation: Designated | None


def level_in_force(*, session: Session, region: str, on: date, known_on: date, classifier: Classifier) -> LevelInForce:
    """The level of ``region`` on ``on`` as known on ``known_on`` (see the module docstring)."""
    found = levels_in_force(session=session, regions=[region], on=on, known_on=known_on, classifier=classifier)
    return found[region]


def levels_in_force(
    *, session: Session, regions: Iterable[str] | None, on: date, known_on: date, classifier: Classifier
) -> dict[str, LevelInForce]:
    """The level of each of ``regions`` (None: every region with a figure or a designation), by region code."""
    codes = None if regions is None else sorted(set(regions))
    figures = _figures(session=session, regions=codes, on=on, known_on=known_on)
    designated = _designations(session=session, regions=codes, on=on, known_on=known_on)
    wanted = codes if codes is not None else sorted(figures.keys() | designated.keys())
    return {code: _combined(code, figures.get(code), designated.get(code), classifier) for code in wanted}


def _combined(
    region: str, figure: RegionRisk | None, designation: RegionDesignation | None, classifier: Classifier
) -> LevelInForce:
    rate = _rate(figure)
    level = classifier.classify(rate)
    if designation is not None:
        level = stricter(level, designation.level)
    return LevelInForce(
        region=region,
        level=level,
        rate_14d=rate,
        source=figure.source if figure else None,
        data_date=figure.data_date if figure else None,
        designation=_designated(designation) if designation else None,
    )


def _rate(figure: RegionRisk | None) -> float | None:
    if figure is None or figure.rate_14d is None or math.isnan(figure.rate_14d):
        return None
    return figure.rate_14d


def _designated(row: RegionDesignation) -> Designated:
    return Designated(row.level, row.valid_from, row.valid_to, row.reason, row.reference, row.recorded_at)


def _end_of(day: date) -> datetime:
    """The first moment after the UTC day ``day``: recorded on or before it means ``recorded_at <`` this."""
    return datetime.combine(day + timedelta(days=1), time.min, UTC)


def _utc_day(moment: datetime) -> date:
    return (moment.astimezone(UTC) if moment.tzinfo else moment).date()


def _figures(*, session: Session, regions: list[str] | None, on: date, known_on: date) -> dict[str, RegionRisk]:
    """Per region, the figure in force on ``on`` as known on ``known_on`` (rule 1)."""
    latest = (
        select(RegionRisk.region_code, func.max(RegionRisk.data_date).label("data_date"))
        .where(RegionRisk.recorded_at < _end_of(min(on, known_on)), _among(RegionRisk.region_code, regions))
        .group_by(RegionRisk.region_code)
        .subquery()
    )
    rows = session.scalars(
        select(RegionRisk)
        .join(latest, and_(RegionRisk.region_code == latest.c.region_code, RegionRisk.data_date == latest.c.data_date))
        .where(RegionRisk.recorded_at < _end_of(known_on))
    )
    chosen: dict[str, RegionRisk] = {}
    for row in sorted(rows, key=_figure_preference):
        chosen.setdefault(row.region_code, row)
    return chosen


def _figure_preference(row: RegionRisk) -> tuple[int, str, float, int]:
    """Sort key, preferred first: recorded last (by day), smallest source, then the later moment and row."""
    return (-_utc_day(row.recorded_at).toordinal(), row.source, -row.recorded_at.timestamp(), -row.id)


def _designations(
    *, session: Session, regions: list[str] | None, on: date, known_on: date
) -> dict[str, RegionDesignation]:
    """Per region, the designation in force on ``on`` as known on ``known_on`` (rule 2)."""
    query = select(RegionDesignation).where(
        _among(RegionDesignation.region_code, regions),
        RegionDesignation.recorded_at < _end_of(known_on),
        RegionDesignation.valid_from <= on,
        or_(RegionDesignation.valid_to.is_(None), RegionDesignation.valid_to > on),
    )
    chosen: dict[str, RegionDesignation] = {}
    for row in session.scalars(query.order_by(RegionDesignation.id.desc())):
        chosen.setdefault(row.region_code, row)
    return chosen


def _among(column: InstrumentedAttribute[str], regions: list[str] | None) -> ColumnElement[bool]:
    """``column`` is one of ``regions`` (always true when ``regions`` is None)."""
    return true() if regions is None else column.in_(regions)
