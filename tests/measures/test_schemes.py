"""Classification schemes: the EU combined indicator at every boundary of each version, missing inputs, registry."""

from __future__ import annotations

import dataclasses
import math
from datetime import date

import pytest

from kouan.measures.classifiers import RATE14_V1
from kouan.measures.schemes import (
    EU_2020_1475_V1,
    EU_2021_119_V2,
    EU_2021_961_V3,
    EU_SEVERITY,
    Classification,
    DesignatedScheme,
    EuScheme,
    scheme_by_name,
    scheme_in_force,
    scheme_names,
)

V1, V2, V3 = "eu-2020-1475-v1", "eu-2021-119-v2", "eu-2021-961-v3"
EU = (EU_2020_1475_V1, EU_2021_119_V2, EU_2021_961_V3)
TESTED = 1000.0  # a testing rate well clear of the grey rule

# (N14, P) → level, both sides of each boundary the texts draw.
V1_CASES = [
    *[(n, 2.0, level) for n, level in [(24.999, "green"), (25, "orange"), (25.001, "orange"), (49.999, "orange")]],
    *[(n, 2.0, level) for n, level in [(50, "orange"), (74.999, "orange"), (75, "orange"), (150, "orange")]],
    *[(n, 2.0, level) for n, level in [(150.001, "red"), (199.999, "red"), (200, "red"), (200.001, "red")]],
    *[(n, 2.0, "red") for n in (499.999, 500, 10_000)],
    *[(n, 5.0, "orange") for n in (0, 24.999, 25, 25.001, 49.999)],
    *[(n, 5.0, "red") for n in (50, 74.999, 75, 150, 150.001, 200, 499.999, 500)],
    (10, 3.999, "green"),
    (10, 4, "orange"),
    (60, 3.999, "orange"),
    (60, 4, "red"),
    (60, 0.999, "orange"),  # v1 has no 1 % rule
    (60, 1, "orange"),
    (0, 0, "green"),
]
V2_CASES = [
    *[(n, 2.0, level) for n, level in [(24.999, "green"), (25, "orange"), (150, "orange"), (150.001, "red")]],
    *[(n, 2.0, level) for n, level in [(200, "red"), (499.999, "red"), (500, "dark red"), (500.001, "dark red")]],
    *[(n, 5.0, level) for n, level in [(49.999, "orange"), (50, "red"), (150, "red"), (150.001, "red")]],
    *[(n, 5.0, level) for n, level in [(499.999, "red"), (500, "dark red")]],
    (10, 3.999, "green"),
    (10, 4, "orange"),
    (60, 3.999, "orange"),
    (60, 4, "red"),
    (60, 0.999, "orange"),
]
V3_CASES = [
    *[(n, 0.5, level) for n, level in [(24.999, "green"), (25, "green"), (49.999, "green"), (50, "green")]],
    *[(n, 0.5, level) for n, level in [(74.999, "green"), (75, "orange"), (75.001, "orange"), (200, "orange")]],
    *[(n, 0.5, level) for n, level in [(200.001, "red"), (499.999, "red"), (500, "dark red")]],
    *[(n, 2.0, level) for n, level in [(49.999, "green"), (50, "orange"), (74.999, "orange"), (75, "orange")]],
    *[(n, 2.0, level) for n, level in [(150, "orange"), (150.001, "orange"), (199.999, "orange"), (200, "orange")]],
    *[(n, 2.0, level) for n, level in [(200.001, "red"), (499.999, "red"), (500, "dark red")]],
    *[(n, 5.0, level) for n, level in [(24.999, "orange"), (49.999, "orange"), (50, "orange"), (74.999, "orange")]],
    *[(n, 5.0, level) for n, level in [(75, "red"), (150.001, "red"), (200, "red"), (200.001, "red")]],
    *[(n, 5.0, level) for n, level in [(499.999, "red"), (500, "dark red")]],
    (60, 0.999, "green"),
    (60, 1, "orange"),
    (30, 3.999, "green"),
    (30, 4, "orange"),
    (100, 3.999, "orange"),
    (100, 4, "red"),
    (74.999, 0.999, "green"),
    (74.999, 1, "orange"),
]
ALL_CASES = [(V1, *c) for c in V1_CASES] + [(V2, *c) for c in V2_CASES] + [(V3, *c) for c in V3_CASES]


@pytest.mark.parametrize(("scheme", "rate14", "positivity", "level"), ALL_CASES)
def test_eu_boundaries(scheme: str, rate14: float, positivity: float, level: str) -> None:
    result = scheme_by_name(scheme).classify(rate14=rate14, positivity=positivity, testing=TESTED)
    assert result.level == level
    assert result.reason.endswith(f"→ {level} ({scheme_by_name(scheme).citation})")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("scheme", "testing", "grey"),
    [
        (V1, 299.999, True),
        (V1, 300, True),  # "300 or less"
        (V1, 300.001, False),
        (V2, 299.999, True),
        (V2, 300, False),  # "lower than 300"
        (V2, 300.001, False),
        (V3, 299.999, True),
        (V3, 300, False),
        (V3, 300.001, False),
        (V3, 0, True),
    ],
)
def test_grey_by_testing(scheme: str, testing: float, grey: bool) -> None:
    result = scheme_by_name(scheme).classify(rate14=10, positivity=0.5, testing=testing)
    assert (result.level == "grey") is grey
    assert ("testing rate" in result.reason) is grey


def test_grey_by_testing_comes_before_every_other_branch() -> None:
    result = EU_2021_961_V3.classify(rate14=900, positivity=30, testing=100)
    assert result.level == "grey"
    assert result.reason == "testing rate 100.0 < 300 → grey (2021/961)"


def test_reason_names_the_branch() -> None:
    result = EU_2020_1475_V1.classify(rate14=62, positivity=5, testing=TESTED)
    assert result == Classification(V1, "red", "N14 62.0 ≥ 50 and positivity 5.0 % ≥ 4 % → red (2020/1475)")


def test_reason_names_a_two_sided_branch() -> None:
    result = EU_2021_961_V3.classify(rate14=100, positivity=2, testing=TESTED)
    assert result.reason == "75 ≤ N14 100.0 ≤ 200 and positivity 2.0 % < 4 % → orange (2021/961)"


GRID_RATES = [0, 10, 24.999, 25, 25.001, 49.999, 50, 50.001, 74.999, 75, 75.001, 100, 149.999, 150, 150.001]
GRID_RATES += [199.999, 200, 200.001, 300, 499.999, 500, 500.001, 1e6, math.inf]
GRID_POSITIVITY = [0, 0.5, 0.999, 1, 1.001, 2, 3.999, 4, 4.001, 50, 100]


@pytest.mark.parametrize("scheme", EU, ids=lambda s: s.name)
def test_every_input_falls_in_exactly_one_level(scheme: EuScheme) -> None:
    for rate14 in GRID_RATES:
        for positivity in GRID_POSITIVITY:
            levels = {b.level for b in scheme.branches if b.matches(rate14=rate14, positivity=positivity)}
            assert len(levels) == 1, (scheme.name, rate14, positivity, levels)


@pytest.mark.parametrize("scheme", EU, ids=lambda s: s.name)
def test_rate14_unknown_is_grey(scheme: EuScheme) -> None:
    for missing in (None, math.nan):
        result = scheme.classify(rate14=missing, positivity=2, testing=TESTED)
        assert result.level == "grey"
        assert "N14 unknown: insufficient information" in result.reason


@pytest.mark.parametrize("scheme", EU, ids=lambda s: s.name)
def test_testing_unknown_is_not_grey_and_says_so(scheme: EuScheme) -> None:
    for missing in (None, math.nan):
        result = scheme.classify(rate14=10, positivity=0.5, testing=missing)
        assert result.level == "green"
        assert result.reason.endswith("; testing rate unknown, not grey by testing")


@pytest.mark.parametrize("scheme", EU, ids=lambda s: s.name)
def test_positivity_unknown_takes_the_most_severe_level_any_positivity_would_give(scheme: EuScheme) -> None:
    for rate14 in GRID_RATES:
        possible = [scheme.classify(rate14=rate14, positivity=p, testing=TESTED).level for p in GRID_POSITIVITY]
        assert scheme.classify(rate14=rate14, testing=TESTED).level == max(possible, key=EU_SEVERITY.__getitem__)


@pytest.mark.parametrize(
    ("scheme", "rate14", "level", "reason"),
    [
        (V1, 62, "red", "positivity unknown, more severe branch taken: N14 62.0 ≥ 50 and positivity ≥ 4 % → red"),
        (V1, 10, "orange", "positivity unknown, more severe branch taken: N14 10.0 < 50 and positivity ≥ 4 % → orange"),
        (V1, 30, "orange", "positivity unknown but not needed: N14 30.0 gives orange whatever the positivity → orange"),
        (V1, 150.001, "red", "positivity unknown but not needed: N14 150.001 > 150 → red"),
        (V2, 600, "dark red", "positivity unknown but not needed: N14 600.0 ≥ 500 → dark red"),
        (V3, 60, "orange", "positivity unknown, more severe branch taken: 50 ≤ N14 60.0 < 75 and positivity ≥ 1 %"),
        (V3, 100, "red", "positivity unknown, more severe branch taken: 75 ≤ N14 100.0 ≤ 200 and positivity ≥ 4 %"),
    ],
)
def test_positivity_unknown_reason(scheme: str, rate14: float, level: str, reason: str) -> None:
    result = scheme_by_name(scheme).classify(rate14=rate14, testing=TESTED)
    assert result.level == level
    assert result.reason.startswith(reason)


def test_positivity_unknown_reason_names_the_lower_levels() -> None:
    result = EU_2021_961_V3.classify(rate14=60, testing=TESTED)
    assert result.reason.endswith("→ orange (2021/961); green if positivity were lower")


@pytest.mark.parametrize(
    ("inputs", "named"),
    [
        ({"rate14": -1}, "rate14"),
        ({"rate14": 1, "positivity": -0.1}, "positivity"),
        ({"rate14": 1, "testing": -5}, "testing"),
        ({"rate14": 1, "positivity": 100.5}, "positivity"),
    ],
)
def test_eu_rejects_impossible_inputs(inputs: dict[str, float], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        EU_2020_1475_V1.classify(**inputs)


@pytest.mark.parametrize(
    ("scheme", "levels"),
    [
        (V1, ("green", "orange", "red", "grey")),
        (V2, ("green", "orange", "red", "dark red", "grey")),
        (V3, ("green", "orange", "red", "dark red", "grey")),
        ("rate14-v1", ("low", "unknown", "medium", "high")),
        ("designated", ("low", "medium", "high")),
    ],
)
def test_levels(scheme: str, levels: tuple[str, ...]) -> None:
    assert scheme_by_name(scheme).levels == levels


@pytest.mark.parametrize("rate14", [None, math.nan, -0.5, 0, 0.999, 1, 9.999, 10, 70.1])
def test_rate14_scheme_agrees_with_its_classifier(rate14: float | None) -> None:
    result = scheme_by_name("rate14-v1").classify(rate14=rate14)
    assert result.level == RATE14_V1.classify(rate14)
    assert result.reason.endswith(f"→ {result.level} (rate14-v1)")


def test_rate14_scheme_reason_and_unused_inputs() -> None:
    result = scheme_by_name("rate14-v1").classify(rate14=12, positivity=3)
    assert result == Classification(
        "rate14-v1", "high", "14-day rate 12.0 ≥ 10 → high (rate14-v1); positivity and testing are not used"
    )


@pytest.mark.parametrize("level", ["low", "medium", "high"])
def test_designated_keeps_a_valid_level(level: str) -> None:
    result = DesignatedScheme().classify(rate14=None, level=level)
    assert result == Classification("designated", level, f"designated {level} by an analyst's list")


@pytest.mark.parametrize("level", [None, "red", "unknown", "HIGH", ""])
def test_designated_rejects_other_levels(level: str | None) -> None:
    with pytest.raises(ValueError, match="designated"):
        DesignatedScheme().classify(rate14=None, level=level)


def test_classification_is_frozen() -> None:
    result = EU_2020_1475_V1.classify(rate14=1, positivity=1, testing=TESTED)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.level = "red"  # type: ignore[misc]


def test_registry_names() -> None:
    assert scheme_names() == [V1, V2, V3, "rate14-v1", "designated"]
    assert [scheme_by_name(name).name for name in scheme_names()] == scheme_names()


def test_unknown_scheme_names_itself_and_the_known_ones() -> None:
    with pytest.raises(KeyError) as caught:
        scheme_by_name("eu-v9")
    assert "'eu-v9'" in str(caught.value) and all(name in str(caught.value) for name in scheme_names())


@pytest.mark.parametrize(
    ("on", "name"),
    [
        (date(2020, 10, 14), V1),
        (date(2021, 2, 1), V1),
        (date(2021, 2, 2), V2),
        (date(2021, 6, 16), V2),
        (date(2021, 6, 17), V3),
        (date(2023, 1, 1), V3),
    ],
)
def test_scheme_in_force(on: date, name: str) -> None:
    assert scheme_in_force(family="eu", on=on).name == name
    assert scheme_in_force(on=on).name == name


def test_no_eu_scheme_before_the_first_date() -> None:
    with pytest.raises(ValueError, match="2020-10-14"):
        scheme_in_force(on=date(2020, 10, 13))


def test_undated_family_is_always_in_force_and_unknown_family_fails() -> None:
    assert scheme_in_force(family="rate14", on=date(2020, 1, 1)).name == "rate14-v1"
    with pytest.raises(KeyError, match="who"):
        scheme_in_force(family="who", on=date(2021, 1, 1))


@pytest.mark.parametrize("scheme", EU, ids=lambda s: s.name)
def test_eu_schemes_carry_date_and_source(scheme: EuScheme) -> None:
    assert scheme.family == "eu"
    assert scheme.citation in scheme.source and "Council Recommendation" in scheme.source
    assert scheme_in_force(on=scheme.valid_from) is scheme
