"""Classification schemes: named, versioned, effective-dated ways to turn indicators into a level.

Every scheme answers ``classify(*, rate14, positivity=None, testing=None)`` with a :class:`Classification`
``(scheme, level, reason)`` whose reason is an English sentence naming the branch taken.

Registered schemes (:func:`scheme_names`, :func:`scheme_by_name`, :func:`scheme_in_force`):

``eu-2020-1475-v1``, ``eu-2021-119-v2``, ``eu-2021-961-v3``
    The EU combined indicator of Council Recommendation (EU) 2020/1475 as adopted (from 2020-10-14), as amended
    by (EU) 2021/119 (from 2021-02-02) and by (EU) 2021/961 (maps from 2021-06-17). Inputs: N14, the 14-day
    notification rate per 100 000 (``rate14``); P, the test positivity over the last week in % (``positivity``,
    5.0 means 5 %); T, the testing rate per 100 000 over the last week (``testing``). Levels green, orange, red,
    dark red (v2, v3) and grey. The branches are encoded exactly as the texts word them (see ``_V1`` … ``_V3``);
    a value on a boundary goes where the text puts it (v1 orange is ``25 ≤ N14 ≤ 150``, so 150 is orange and
    150.001 red). Grey by testing is ``T ≤ 300`` in v1 ("300 or less") and ``T < 300`` in v2 and v3.
    Every (N14, P) pair falls in exactly one level in each version: v1 has no gap (with P < 4 %: green below 25,
    orange 25–150, red above 150; with P ≥ 4 %: orange below 50, red from 50) and the tests check this on a grid.
``rate14-v1``
    The rate-only :data:`kouan.measures.classifiers.RATE14_V1` (low / unknown / medium / high); positivity and
    testing are not used. No effective date: in force on any day.
``designated``
    An analyst's list: the caller gives the level (``level=``: low, medium or high) and the scheme only
    validates it.

**Missing inputs** (JHU and ECDC weekly data give cases only, so P and T are usually unknown; ``None`` and NaN
both mean unknown). Grey is applied first, then:

- T unknown: the region is *not* grey by testing alone; the reason says "testing rate unknown, not grey by testing".
- N14 unknown: grey ("insufficient information"), the only branch the texts give for it.
- P unknown: classify on N14 alone. Where the level does not depend on P (e.g. N14 > 150 in v1) that level is
  given; where it does, the *more severe* branch is taken (border screening errs towards caution), and the
  reason names that branch and the levels lower positivity would give, e.g. "positivity unknown, more severe
  branch taken: N14 62.0 ≥ 50 and positivity ≥ 4 % → red (2020/1475); orange if positivity were lower".

Negative inputs, or a positivity above 100 %, raise ``ValueError`` naming the input (EU schemes only; the
wrapped ``rate14-v1`` keeps its own rule that a negative rate is low).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Protocol

from kouan.measures.classifiers import HIGH, LOW, MEDIUM, RATE14_V1, RateClassifier

GREEN = "green"
ORANGE = "orange"
RED = "red"
DARK_RED = "dark red"
GREY = "grey"
EU_SEVERITY: Mapping[str, int] = MappingProxyType({GREEN: 0, ORANGE: 1, RED: 2, DARK_RED: 3})
DESIGNATED_LEVELS = (LOW, MEDIUM, HIGH)


@dataclass(frozen=True)
class Classification:
    scheme: str
    level: str
    reason: str


class Scheme(Protocol):
    """What every registered scheme offers (``valid_from`` None: no effective date, in force on any day)."""

    @property
    def name(self) -> str: ...
    @property
    def family(self) -> str: ...
    @property
    def valid_from(self) -> date | None: ...
    @property
    def source(self) -> str: ...
    @property
    def levels(self) -> tuple[str, ...]: ...

    def classify(
        self, *, rate14: float | None, positivity: float | None = None, testing: float | None = None
    ) -> Classification: ...


def _num(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class Interval:
    """A range of one indicator; a missing bound is unbounded. ``closed_*`` says whether the bound belongs."""

    low: float | None = None
    high: float | None = None
    closed_low: bool = True
    closed_high: bool = False

    def contains(self, value: float) -> bool:
        above = self.low is None or value > self.low or (self.closed_low and value == self.low)
        below = self.high is None or value < self.high or (self.closed_high and value == self.high)
        return above and below

    @property
    def unbounded(self) -> bool:
        return self.low is None and self.high is None

    def describe(self, *, name: str, value: float | None, unit: str = "") -> str:
        """E.g. ``"N14 62.0 ≥ 50"``, ``"25 ≤ N14 30.0 ≤ 150"``, ``"positivity ≥ 4 %"`` (value unknown)."""
        subject = name if value is None else f"{name} {float(value)}{unit}"
        low = "" if self.low is None else f"{_num(self.low)}{unit} {'≤' if self.closed_low else '<'} "
        high = "" if self.high is None else f" {'≤' if self.closed_high else '<'} {_num(self.high)}{unit}"
        if self.high is None and self.low is not None:
            return f"{subject} {'≥' if self.closed_low else '>'} {_num(self.low)}{unit}"
        return f"{low}{subject}{high}"


ANY = Interval()


def below(value: float) -> Interval:
    return Interval(high=value)


def at_most(value: float) -> Interval:
    return Interval(high=value, closed_high=True)


def at_least(value: float) -> Interval:
    return Interval(low=value)


def above(value: float) -> Interval:
    return Interval(low=value, closed_low=False)


@dataclass(frozen=True)
class Branch:
    """One "N14 in … and P in …" clause of the text and the level it gives."""

    level: str
    rate14: Interval
    positivity: Interval = ANY

    def matches(self, *, rate14: float, positivity: float | None) -> bool:
        known = positivity is None or self.positivity.contains(positivity)
        return self.rate14.contains(rate14) and known

    def describe(self, *, rate14: float, positivity: float | None) -> str:
        text = self.rate14.describe(name="N14", value=rate14)
        if self.positivity.unbounded:
            return text
        return f"{text} and {self.positivity.describe(name='positivity', value=positivity, unit=' %')}"


@dataclass(frozen=True)
class EuScheme:
    """One version of the EU combined indicator: branches in the order of the text, and the grey testing rule."""

    name: str
    valid_from: date
    source: str
    citation: str
    branches: tuple[Branch, ...]
    grey_testing: Interval
    family: str = "eu"

    @property
    def levels(self) -> tuple[str, ...]:
        return (*sorted({b.level for b in self.branches}, key=EU_SEVERITY.__getitem__), GREY)

    def classify(
        self, *, rate14: float | None, positivity: float | None = None, testing: float | None = None
    ) -> Classification:
        rate14, positivity, testing = _known(rate14), _known(positivity), _known(testing)
        _check(rate14=rate14, positivity=positivity, testing=testing)
        if testing is not None and self.grey_testing.contains(testing):
            return self._result(GREY, self.grey_testing.describe(name="testing rate", value=testing))
        if rate14 is None:
            return self._result(GREY, "N14 unknown: insufficient information")
        note = "" if testing is not None else "; testing rate unknown, not grey by testing"
        if positivity is None:
            return self._on_rate_alone(rate14=rate14, note=note)
        branch = next(b for b in self.branches if b.matches(rate14=rate14, positivity=positivity))
        return self._result(branch.level, branch.describe(rate14=rate14, positivity=positivity), note)

    def _on_rate_alone(self, *, rate14: float, note: str) -> Classification:
        candidates = [b for b in self.branches if b.matches(rate14=rate14, positivity=None)]
        worst = max(candidates, key=lambda b: (EU_SEVERITY[b.level], b.positivity.unbounded))
        others = sorted({b.level for b in candidates} - {worst.level}, key=EU_SEVERITY.__getitem__)
        branch = worst.describe(rate14=rate14, positivity=None)
        if others:
            lower = f"; {' or '.join(others)} if positivity were lower"
            return self._result(worst.level, f"positivity unknown, more severe branch taken: {branch}", lower + note)
        if not worst.positivity.unbounded:
            branch = f"N14 {rate14} gives {worst.level} whatever the positivity"
        return self._result(worst.level, f"positivity unknown but not needed: {branch}", note)

    def _result(self, level: str, branch: str, note: str = "") -> Classification:
        return Classification(scheme=self.name, level=level, reason=f"{branch} → {level} ({self.citation}){note}")


def _known(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _check(*, rate14: float | None, positivity: float | None, testing: float | None) -> None:
    for name, value in (("rate14", rate14), ("positivity", positivity), ("testing", testing)):
        if value is not None and value < 0:
            raise ValueError(f"{name} must not be negative (got {value})")
    if positivity is not None and positivity > 100:
        raise ValueError(f"positivity is a percentage and must be at most 100 (got {positivity})")


_P4 = below(4.0)
_P4_UP = at_least(4.0)

_V1 = EuScheme(
    name="eu-2020-1475-v1",
    valid_from=date(2020, 10, 14),
    source="Council Recommendation (EU) 2020/1475 of 13 October 2020 (OJ L 337, 14.10.2020, p. 3)",
    citation="2020/1475",
    branches=(
        Branch(GREEN, below(25.0), _P4),
        Branch(ORANGE, below(50.0), _P4_UP),
        Branch(ORANGE, Interval(low=25.0, high=150.0, closed_high=True), _P4),
        Branch(RED, at_least(50.0), _P4_UP),
        Branch(RED, above(150.0)),
    ),
    grey_testing=at_most(300.0),
)
_V2 = EuScheme(
    name="eu-2021-119-v2",
    valid_from=date(2021, 2, 2),
    source="Council Recommendation (EU) 2021/119 of 1 February 2021 amending 2020/1475 (OJ L 36I, 2.2.2021)",
    citation="2021/119",
    branches=(
        *_V1.branches[:3],
        Branch(RED, Interval(low=50.0, high=150.0, closed_high=True), _P4_UP),
        Branch(RED, Interval(low=150.0, high=500.0, closed_low=False)),
        Branch(DARK_RED, at_least(500.0)),
    ),
    grey_testing=below(300.0),
)
_V3 = EuScheme(
    name="eu-2021-961-v3",
    valid_from=date(2021, 6, 17),
    source="Council Recommendation (EU) 2021/961 of 14 June 2021 amending 2020/1475 (OJ L 213I, 16.6.2021); "
    "maps from 17 June 2021",
    citation="2021/961",
    branches=(
        Branch(GREEN, below(50.0), _P4),
        Branch(GREEN, below(75.0), below(1.0)),
        Branch(ORANGE, below(50.0), _P4_UP),
        Branch(ORANGE, Interval(low=50.0, high=75.0), at_least(1.0)),
        Branch(ORANGE, Interval(low=75.0, high=200.0, closed_high=True), _P4),
        Branch(RED, Interval(low=75.0, high=200.0, closed_high=True), _P4_UP),
        Branch(RED, Interval(low=200.0, high=500.0, closed_low=False)),
        Branch(DARK_RED, at_least(500.0)),
    ),
    grey_testing=below(300.0),
)


@dataclass(frozen=True)
class RateScheme:
    """A rate-only :class:`RateClassifier` as a scheme; positivity and testing are not used."""

    classifier: RateClassifier
    source: str = "kouan rate-only classifier (14-day cases per 100,000)"
    valid_from: date | None = None

    @property
    def name(self) -> str:
        return self.classifier.key

    @property
    def family(self) -> str:
        return self.classifier.name

    @property
    def levels(self) -> tuple[str, ...]:
        return (LOW, "unknown", *reversed([level for level, _ in self.classifier.thresholds]))

    def classify(
        self, *, rate14: float | None, positivity: float | None = None, testing: float | None = None
    ) -> Classification:
        level = self.classifier.classify(rate14)
        unused = "" if positivity is None and testing is None else "; positivity and testing are not used"
        return Classification(
            scheme=self.name, level=level, reason=f"{self._branch(rate14)} → {level} ({self.name}){unused}"
        )

    def _branch(self, rate14: float | None) -> str:
        if rate14 is None or math.isnan(rate14):
            return "14-day rate unknown"
        for _level, minimum in self.classifier.thresholds:
            if rate14 >= minimum:
                return f"14-day rate {float(rate14)} ≥ {_num(minimum)}"
        return f"14-day rate {float(rate14)} < {_num(self.classifier.thresholds[-1][1])}"


@dataclass(frozen=True)
class DesignatedScheme:
    """An analyst's list: the level is given by the caller (``level=``); the scheme validates it."""

    name: str = "designated"
    family: str = "designated"
    source: str = "analyst designation (a key-region list maintained by the station or command)"
    valid_from: date | None = None
    levels: tuple[str, ...] = DESIGNATED_LEVELS

    def classify(
        self,
        *,
        rate14: float | None = None,
        positivity: float | None = None,
        testing: float | None = None,
        level: str | None = None,
    ) -> Classification:
        if level not in self.levels:
            raise ValueError(f"scheme {self.name!r} needs a level among {', '.join(self.levels)} (got {level!r})")
        return Classification(scheme=self.name, level=level, reason=f"designated {level} by an analyst's list")


_SCHEMES: tuple[Scheme, ...] = (_V1, _V2, _V3, RateScheme(classifier=RATE14_V1), DesignatedScheme())
_REGISTRY: Mapping[str, Scheme] = MappingProxyType({scheme.name: scheme for scheme in _SCHEMES})

EU_2020_1475_V1: EuScheme = _V1
EU_2021_119_V2: EuScheme = _V2
EU_2021_961_V3: EuScheme = _V3


def scheme_names() -> list[str]:
    """Every registered scheme's name, in registration order (EU versions oldest first)."""
    return list(_REGISTRY)


def scheme_by_name(name: str) -> Scheme:
    """The registered scheme called ``name`` (``KeyError`` naming it and the known ones otherwise)."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown scheme {name!r}; known: {', '.join(_REGISTRY)}") from None


def scheme_in_force(*, family: str = "eu", on: date) -> Scheme:
    """The scheme of ``family`` applying on day ``on``: the latest one whose ``valid_from`` is not after it."""
    members = sorted((s for s in _SCHEMES if s.family == family), key=lambda s: s.valid_from or date.min)
    if not members:
        families = sorted({s.family for s in _SCHEMES})
        raise KeyError(f"unknown scheme family {family!r}; known: {', '.join(families)}")
    applying = [s for s in members if s.valid_from is None or s.valid_from <= on]
    if not applying:
        first = members[0]
        raise ValueError(
            f"no {family} scheme in force on {on}: the first, {first.name}, applies from {first.valid_from}"
        )
    return applying[-1]
