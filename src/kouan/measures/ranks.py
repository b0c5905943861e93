"""Risk levels and their ranks: low 0 < unknown 1 < medium 2 < high 3. Pure: classifiers, vessel rules and the
level in force (:mod:`kouan.measures.levels`) all read them here."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class Level(StrEnum):
    LOW = "low"
    UNKNOWN = "unknown"
    MEDIUM = "medium"
    HIGH = "high"


LOW, UNKNOWN, MEDIUM, HIGH = Level.LOW.value, Level.UNKNOWN.value, Level.MEDIUM.value, Level.HIGH.value
LEVEL_RANK: Mapping[str, int] = MappingProxyType({LOW: 0, UNKNOWN: 1, MEDIUM: 2, HIGH: 3})
_LEVEL_BY_RANK: Mapping[int, str] = MappingProxyType({rank: level for level, rank in LEVEL_RANK.items()})


def level_for_rank(rank: int) -> str:
    """The level name for a rank of :data:`LEVEL_RANK` (``KeyError`` if there is none)."""
    return _LEVEL_BY_RANK[rank]


def rank_of(level: str) -> int:
    """The rank of a level name of :data:`LEVEL_RANK` (``KeyError`` if there is none)."""
    return LEVEL_RANK[level]


def stricter(level: str, other: str) -> str:
    """The higher-ranked of two levels (the first on a tie)."""
    return other if rank_of(other) > rank_of(level) else level
