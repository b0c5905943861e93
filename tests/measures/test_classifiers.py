"""Rate classifiers: the same level in Python and as an ibis expression, at every boundary."""

from __future__ import annotations

import dataclasses
import math

import ibis
import pyarrow as pa
import pytest

from kouan.measures.classifiers import (
    LEVEL_RANK,
    RATE14_V1,
    RateClassifier,
    classifier_by_name,
    level_for_rank,
)

BOUNDARIES = [
    (0.999, "low"),
    (1.0, "medium"),
    (9.999, "medium"),
    (10.0, "high"),
    (0.0, "low"),
    (-0.5, "low"),  # a downward correction can make a 14-day count negative
    (70.1, "high"),
    (math.inf, "high"),
    (None, "unknown"),
    (math.nan, "unknown"),
]


@pytest.mark.parametrize(("rate", "level"), BOUNDARIES)
def test_classify(rate: float | None, level: str) -> None:
    assert RATE14_V1.classify(rate) == level


def test_to_ibis_gives_the_same_levels_and_ranks_as_classify() -> None:
    rates = pa.table({"rate": pa.array([r for r, _ in BOUNDARIES], pa.float64())})
    con = ibis.duckdb.connect()
    table = con.create_table("rates", obj=rates)
    result = table.select(level=RATE14_V1.to_ibis(table.rate), rank=RATE14_V1.rank_to_ibis(table.rate)).to_pyarrow()
    assert result["level"].to_pylist() == [level for _, level in BOUNDARIES]
    assert result["rank"].to_pylist() == [LEVEL_RANK[level] for _, level in BOUNDARIES]


def test_unknown_ranks_above_low_and_below_medium() -> None:
    assert sorted(LEVEL_RANK, key=LEVEL_RANK.__getitem__) == ["low", "unknown", "medium", "high"]


@pytest.mark.parametrize("level", ["low", "unknown", "medium", "high"])
def test_level_for_rank_inverts_level_rank(level: str) -> None:
    assert level_for_rank(LEVEL_RANK[level]) == level


def test_classifiers_are_found_by_key() -> None:
    assert classifier_by_name("rate14-v1") is RATE14_V1
    assert RATE14_V1.key == "rate14-v1"


def test_an_unknown_classifier_name_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match="rate14-v1"):
        classifier_by_name("rate14-v9")


def test_a_classifier_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        RATE14_V1.version = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    "thresholds",
    [
        (("medium", 1.0), ("high", 10.0)),  # levels not from the highest down
        (("high", 1.0), ("medium", 10.0)),  # minima not decreasing
        (("high", 10.0), ("medium", 10.0)),  # equal minima
        (("severe", 100.0), ("high", 10.0)),  # level without a rank
        (("high", 10.0), ("low", 1.0)),  # low is what lies below every threshold
    ],
)
def test_inconsistent_thresholds_are_refused(thresholds: tuple[tuple[str, float], ...]) -> None:
    with pytest.raises(ValueError, match="threshold"):
        RateClassifier(name="bad", version=1, thresholds=thresholds)


def test_a_single_threshold_classifier() -> None:
    flag = RateClassifier(name="any-case", version=1, thresholds=(("high", 0.0),))
    assert [flag.classify(r) for r in (-1.0, 0.0, None)] == ["low", "high", "unknown"]
