"""Named, versioned classifiers turning a 14-day rate per 100,000 into a risk level.

A classifier is pure data: a name, a version and thresholds ``(level, minimum rate)`` listed from the
highest level down. A rate equal to a threshold belongs to the higher level; a rate below every threshold
is ``"low"``; a missing rate (``None`` or NaN) is ``"unknown"``.

The default, ``rate14-v1`` (:data:`RATE14_V1`):

=========  ==========================
level      14-day rate per 100,000
=========  ==========================
high       rate >= 10
medium     1 <= rate < 10
low        rate < 1
unknown    no rate known
=========  ==========================

JHU publishes no 14-day rate for a region's first 13 days of data, and none for regions it does not cover,
so "unknown" is common early in an outbreak. "unknown" ranks above low and below medium
(:data:`LEVEL_RANK`: low 0, unknown 1, medium 2, high 3): a traveller from a place without data is not
silently cleared, but not flagged either.

Each classifier answers twice with the same result: :meth:`RateClassifier.classify` in plain Python (the
public query, one traveller at the counter) and :meth:`RateClassifier.to_ibis` as an ibis expression (batch
screening on DuckDB or Spark).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import ibis
import ibis.expr.types as ir

from kouan.measures.ranks import HIGH, LEVEL_RANK, LOW, MEDIUM, UNKNOWN, level_for_rank, rank_of

__all__ = [
    "HIGH",
    "LEVEL_RANK",
    "LOW",
    "MEDIUM",
    "RATE14_V1",
    "UNKNOWN",
    "RateClassifier",
    "classifier_by_name",
    "level_for_rank",
    "level_for_rank_expr",
    "rank_of",
]


def level_for_rank_expr(rank: ir.IntegerValue) -> ir.StringValue:
    """ibis expression: the level name of a rank column (null for a rank outside :data:`LEVEL_RANK`)."""
    return ibis.cases(*[(rank == value, ibis.literal(name)) for name, value in LEVEL_RANK.items()])


@dataclass(frozen=True)
class RateClassifier:
    """Thresholds ``((level, minimum rate), ...)`` from the highest level down; below all is low."""

    name: str
    version: int
    thresholds: tuple[tuple[str, float], ...]

    def __post_init__(self) -> None:
        levels = [level for level, _ in self.thresholds]
        minima = [minimum for _, minimum in self.thresholds]
        if any(level not in LEVEL_RANK or level in (LOW, UNKNOWN) for level in levels):
            raise ValueError(f"threshold levels must be among {sorted(set(LEVEL_RANK) - {LOW, UNKNOWN})}")
        if any(a <= b for a, b in zip(minima, minima[1:], strict=False)):
            raise ValueError("threshold minima must strictly decrease from the highest level down")
        if any(rank_of(a) <= rank_of(b) for a, b in zip(levels, levels[1:], strict=False)):
            raise ValueError("threshold levels must be listed from the highest rank down")

    @property
    def key(self) -> str:
        """Registry key and rule suffix, e.g. ``"rate14-v1"``."""
        return f"{self.name}-v{self.version}"

    def classify(self, rate: float | None) -> str:
        """The level of one rate (pure Python)."""
        if rate is None or math.isnan(rate):
            return UNKNOWN
        for level, minimum in self.thresholds:
            if rate >= minimum:
                return level
        return LOW

    def to_ibis(self, rate: ir.FloatingValue) -> ir.StringValue:
        """ibis expression giving the same level as :meth:`classify` for a rate column."""
        return self._cases(rate=rate, value=ibis.literal)

    def rank_to_ibis(self, rate: ir.FloatingValue) -> ir.IntegerValue:
        """ibis expression giving the level rank (int8) of :meth:`to_ibis`, from the same branches."""
        return self._cases(rate=rate, value=lambda level: ibis.literal(LEVEL_RANK[level], type="int8"))

    def _cases(self, *, rate: ir.FloatingValue, value: Callable[[str], ir.Value]) -> Any:
        # NaN is tested first: DuckDB orders NaN above every number, so there ``NaN >= 10`` is true.
        missing = rate.isnull() | rate.isnan()
        branches = [(missing, value(UNKNOWN))]
        branches += [(rate >= minimum, value(level)) for level, minimum in self.thresholds]
        return ibis.cases(*branches, else_=value(LOW))


RATE14_V1 = RateClassifier(name="rate14", version=1, thresholds=((HIGH, 10.0), (MEDIUM, 1.0)))

_REGISTRY: Mapping[str, RateClassifier] = MappingProxyType({c.key: c for c in (RATE14_V1,)})


def classifier_by_name(name: str) -> RateClassifier:
    """The registered classifier for a key such as ``"rate14-v1"``."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown classifier {name!r}; known: {', '.join(sorted(_REGISTRY))}") from None
