"""Screening crossings for the history, and re-screening the history after a change, with the engine's rules.

The level of a crossing is computed by :func:`kouan.screening.engine.screen_stays` (the same ibis expressions
that screen a manifest): each stay is a stay row of its crossing's traveller, the screen date and the arrival
date are the crossing's day, and the stay's last day is its ``stay_date`` (as a registry stay's). The engine
then counts the stays in the window, finds the figure and the designation in force on the day and takes the
highest rank, exactly as for a voyage.

"As known on K" (K = ``known_on``, today for a re-screen) is what :mod:`kouan.measures.levels` calls the level of
region R on day D as known on K, handed to the engine as inputs rather than as a second rule set:

- figures (:func:`risk_as_known_on`): for each region and data date, the value recorded last on or before K
  (a correction counts, even one recorded after D) and, as the day it became known, its first recording: so the
  data date in force on D is still the latest one first recorded by D;
- designations (:func:`designations_as_known_on`): every designation recorded on or before K, as if known from
  its ``valid_from``: a designation back-dated today applies to the days it is valid on.

When nothing was recorded after the crossing's day, this is the screening the crossing got on arrival (a parity
test holds the history re-screen to ``screening.service``).

A change-driven re-screen (:func:`rescreen_change`) after regions are raised for a period reads only the day
partitions of the days the change is in force on (a designation applies to the crossings whose day it is valid
on; their stays are filed under the same day, so nothing before the period is read) and only the stays in the
raised regions: the other stays' levels did not change, so a crossing's level rose exactly when a raised
region's stay now ranks above its stored level. A full re-screen (:func:`rescreen_all`) screens every stay.

A re-screen reads stays only: each stored stay carries its crossing's level at screening, a counted stay's rank
is its region's on its day (the engine run on one probe stay per region and day, :func:`region_day_ranks`,
computed first as a small table), and only the stays now ranked above their crossing's level are grouped by
crossing. Screening a day's crossings for
the append (:func:`screen_crossings`) runs the engine on every stay (:func:`crossing_levels`); a test keeps the
two in step (nothing rises when the rules have not changed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc
from ibis.backends import BaseBackend

from kouan.history.read import open_table, release_tables
from kouan.history.schema import RISES_SCHEMA
from kouan.history.store import STAYS, days_between, history_days
from kouan.measures.classifiers import LEVEL_RANK, RATE14_V1, RateClassifier, level_for_rank, level_for_rank_expr
from kouan.screening import engine

LOW_RANK = 0
_RANKS = sorted(LEVEL_RANK.values())


@dataclass(frozen=True)
class Rules:
    """What a screening is judged against: risk rows and designations (Arrow, the engine's schemas), the
    classifier, the history window and the day the answer is known on."""

    risk: pa.Table
    designations: pa.Table
    known_on: date
    classifier: RateClassifier = RATE14_V1
    window_days: int = 14


def engine_stays(stays: ir.Table) -> ir.Table:
    """History stays (with their crossing's ``day``) as engine stay rows (:data:`engine.STAYS_SCHEMA`), with the
    crossing's ``stored_rank`` when stored: a stay's last day is its ``stay_date``, as the registry's stays (the
    engine counts it when that day is in the window)."""
    stored = {"stored_rank": stays.crossing_level_rank} if "crossing_level_rank" in stays.columns else {}
    return stays.select(
        traveller_id=stays.crossing_id,
        stay_id=stays.crossing_id,
        region_code=stays.region_code,
        place=ibis.null("string"),
        stay_date=stays.date_to,
        screen_date=stays.day,
        arrival_date=stays.day,
        source=stays.source,
        **stored,
    )


def risk_as_known_on(*, risk: ir.Table, known_on: date) -> ir.Table:
    """One engine risk row per region and data date: the value recorded last by ``known_on`` (then the smallest
    source), dated by the first recording of that data date."""
    known = risk.filter(risk.recorded_date <= known_on)
    same = ["region_code", "data_date"]
    latest = ibis.window(group_by=same, order_by=[ibis.desc("recorded_date"), ibis.asc("source")])
    ranked = known.mutate(
        first_recorded=known.recorded_date.min().over(ibis.window(group_by=same)), n=ibis.row_number().over(latest)
    )
    kept = ranked.filter(ranked.n == 0)
    return kept.select("region_code", "data_date", "rate_14d", recorded_date=kept.first_recorded, source=kept.source)


def designations_as_known_on(*, designations: ir.Table, known_on: date) -> ir.Table:
    """The designations recorded by ``known_on``, each as known from its ``valid_from``."""
    known = designations.filter(designations.recorded_date <= known_on)
    return known.mutate(recorded_date=known.valid_from)


def crossing_levels(*, stays: ir.Table, risk: ir.Table, designations: ir.Table, rules: Rules) -> ir.Table:
    """Per crossing with a counted stay: ``level_rank`` now and the ``region_code`` that gave it (among regions
    giving the same rank, the last code)."""
    reasons = engine.screen_stays(
        stays=engine_stays(stays),
        risk=risk_as_known_on(risk=risk, known_on=rules.known_on),
        designations=designations_as_known_on(designations=designations, known_on=rules.known_on),
        classifier=rules.classifier,
        window_days=rules.window_days,
    )
    keyed = reasons.mutate(key=reasons.level_rank.cast("string").concat("|", reasons.region_code))
    top = keyed.group_by("traveller_id").aggregate(key=keyed.key.max())
    return top.select(
        crossing_id=top.traveller_id,
        level_rank=top.key.substr(0, 1).cast("int8"),
        region_code=top.key.substr(2),
    )


def region_day_ranks(*, counted: ir.Table, risk: ir.Table, designations: ir.Table, rules: Rules) -> ir.Table:
    """The engine's rank of a counted stay in each (region_code, screen_date) of ``counted``: one probe stay a
    pair, on the day itself, through :func:`engine.screen_stays` (a counted stay's rank depends on its region and
    screen date only). Columns: region_code, screen_date, rank_now."""
    pairs = counted.select("region_code", "screen_date").distinct()
    probes = pairs.select(
        traveller_id=ibis.literal(0, "int64"),
        stay_id=ibis.literal(0, "int64"),
        region_code=pairs.region_code,
        place=ibis.null("string"),
        stay_date=pairs.screen_date,
        screen_date=pairs.screen_date,
        arrival_date=pairs.screen_date,
        source=ibis.literal("probe"),
    )
    reasons = engine.screen_stays(
        stays=probes,
        risk=risk_as_known_on(risk=risk, known_on=rules.known_on),
        designations=designations_as_known_on(designations=designations, known_on=rules.known_on),
        classifier=rules.classifier,
        window_days=rules.window_days,
    )
    return reasons.select("region_code", "screen_date", rank_now=reasons.level_rank)


def stay_ranks(*, stays: ir.Table, risk: ir.Table, designations: ir.Table, rules: Rules) -> ir.Table:
    """The rank now of a counted stay in each region on each day the counted ``stays`` have (a small table:
    regions x days; see :func:`region_day_ranks`)."""
    counted = engine.counted_stays(stays=engine_stays(stays), window_days=rules.window_days)
    return region_day_ranks(counted=counted, risk=risk, designations=designations, rules=rules)


def rises(*, stays: ir.Table, ranks: ir.Table, rules: Rules) -> ir.Table:
    """The crossings with a counted stay that now ranks above the crossing's stored level (columns of
    :data:`RISES_SCHEMA`), given each region's rank on each day (:func:`stay_ranks`): to_level is the highest
    such stay's, region_code its region (the last code on a tie).

    A crossing rose exactly when one of its stays now ranks above its stored level, so only those stays are
    grouped by crossing, and the crossings are not read (the stored rank is on each stay)."""
    counted = engine.counted_stays(stays=engine_stays(stays), window_days=rules.window_days)
    rose = counted.join(_above(ranks), ["region_code", "screen_date", "stored_rank"])
    keyed = rose.mutate(key=rose.rank_now.cast("string").concat("|", rose.region_code))
    top = keyed.group_by(["traveller_id", "screen_date", "stored_rank"]).aggregate(key=keyed.key.max())
    return top.select(
        crossing_id=top.traveller_id,
        day=top.screen_date,
        from_level=level_for_rank_expr(top.stored_rank),
        to_level=level_for_rank_expr(top.key.substr(0, 1).cast("int8")),
        region_code=top.key.substr(2),
    )


def _above(ranks: ir.Table) -> ir.Table:
    """Each (region_code, screen_date, rank_now) once for every stored rank below rank_now: an equality join on
    it keeps exactly the stays that rose (no inequality in the join, which every backend runs fast)."""
    below = [ranks.filter(ranks.rank_now > rank).mutate(stored_rank=ibis.literal(rank, "int8")) for rank in _RANKS]
    return ibis.union(*below)


def change_days(*, root: str | Path, valid_from: date, valid_to: date | None) -> list[date]:
    """The history's days a change valid on ``[valid_from, valid_to)`` (open when None) is in force on."""
    held = history_days(root=root)
    if not held:
        return []
    last = held[-1] if valid_to is None else min(held[-1], date.fromordinal(valid_to.toordinal() - 1))
    return days_between(valid_from, last) if valid_from <= last else []


@dataclass(frozen=True)
class Rescreened:
    """The crossings whose level rose (:data:`RISES_SCHEMA`, sorted by id) and the files read to find them."""

    rises: pa.Table
    files: tuple[Path, ...]


def rescreen_change(
    *, con: BaseBackend, root: str | Path, regions: Iterable[str], days: Iterable[date], rules: Rules
) -> Rescreened:
    """The crossings of ``days`` whose level rose because of their stays in ``regions``.

    Opens only the stays partitions of ``days`` and screens only the stays in ``regions``."""
    wanted = sorted(set(regions))
    stays, files = open_table(con=con, root=root, table=STAYS, days=days)
    return _rescreen(
        con=con, stays=stays.filter(stays.region_code.isin(wanted)), files=files, regions=wanted, rules=rules
    )


def rescreen_all(*, con: BaseBackend, root: str | Path, rules: Rules) -> Rescreened:
    """Every crossing in the history whose level as known on ``rules.known_on`` rose."""
    stays, files = open_table(con=con, root=root, table=STAYS)
    return _rescreen(con=con, stays=stays, files=files, regions=None, rules=rules)


def _rescreen(
    *, con: BaseBackend, stays: ir.Table, files: tuple[Path, ...], regions: list[str] | None, rules: Rules
) -> Rescreened:
    if not files:
        return Rescreened(rises=RISES_SCHEMA.empty_table(), files=files)
    risk, designations, registered = _rule_tables(con=con, rules=rules, regions=regions)
    try:
        # the small ranks table is computed first and handed back as data, so each backend sees its size and
        # builds its hash table (or broadcast) from it, never from the stays
        ranks = stay_ranks(stays=stays, risk=risk, designations=designations, rules=rules).to_pyarrow()
        found = rises(stays=stays, ranks=ibis.memtable(ranks), rules=rules).to_pyarrow()
    finally:
        release_tables(con=con, tables=(stays,))
        _drop(con=con, tables=registered)
    return Rescreened(rises=found.cast(RISES_SCHEMA).sort_by([("crossing_id", "ascending")]), files=files)


def _rule_tables(
    *, con: BaseBackend, rules: Rules, regions: list[str] | None
) -> tuple[ir.Table, ir.Table, tuple[ir.Table, ...]]:
    risk, designations = rules.risk, rules.designations
    if regions is not None:
        risk = risk.filter(pc.is_in(risk["region_code"], pa.array(regions)))
        designations = designations.filter(pc.is_in(designations["region_code"], pa.array(regions)))
    none_t, risk_t = engine.tables_from_arrow(con=con, stays=engine.STAYS_SCHEMA.empty_table(), risk=risk)
    designations_t = engine.designations_from_arrow(con=con, designations=designations)
    return risk_t, designations_t, (none_t, risk_t, designations_t)


def _drop(*, con: BaseBackend, tables: tuple[ir.Table, ...]) -> None:
    if con.name == "pyspark":
        engine.release(con=con, tables=tables)


def screen_crossings(*, crossings: pa.Table, stays: pa.Table, rules: Rules) -> pa.Table:
    """``crossings`` (with ``day``) with ``level``, ``level_rank`` and ``known_on`` from their ``stays`` (history
    stays), screened on a fresh DuckDB connection: what :func:`kouan.history.store.append` takes."""
    con = engine.connect()
    try:
        days = crossings.select(["crossing_id", "day"])
        placed = con.create_table("history_stays", obj=stays.join(days, "crossing_id"), temp=True)
        risk, designations, _ = _rule_tables(con=con, rules=rules, regions=None)
        levels = crossing_levels(stays=placed, risk=risk, designations=designations, rules=rules).to_pyarrow()
    finally:
        con.disconnect()
    return _with_levels(crossings=crossings, levels=levels, known_on=rules.known_on)


def _with_levels(*, crossings: pa.Table, levels: pa.Table, known_on: date) -> pa.Table:
    ranked = crossings.drop_columns([c for c in ("level", "level_rank", "known_on") if c in crossings.column_names])
    ranked = ranked.join(levels.select(["crossing_id", "level_rank"]), "crossing_id", join_type="left outer")
    rank = pc.fill_null(ranked["level_rank"], pa.scalar(LOW_RANK, pa.int8()))
    names = pa.array([level_for_rank(r) for r in sorted(LEVEL_RANK.values())])
    ranked = ranked.set_column(ranked.schema.get_field_index("level_rank"), "level_rank", rank)
    ranked = ranked.append_column("level", pc.take(names, rank)).append_column(
        "known_on", pa.repeat(pa.scalar(known_on, pa.date32()), ranked.num_rows)
    )
    return ranked.sort_by([("crossing_id", "ascending")])
