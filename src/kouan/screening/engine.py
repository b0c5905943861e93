"""The screening engine: stay-in-region rules written once as ibis expressions, run on any backend.

DuckDB runs them by default, Spark at scale, with the same expressions; one manifest and a million
travellers take the same code path (:func:`run` for Arrow in and out, :func:`screen_stays` and
:func:`traveller_levels` on tables already registered, e.g. from Parquet).

Inputs follow the column contract of :data:`STAYS_SCHEMA` and :data:`RISK_SCHEMA`:

- ``stays``: one row per place a traveller was in on a day (``stay_date``), with the traveller's
  ``arrival_date`` and the ``screen_date`` the screening applies to (the "as of" date, or the arrival date).
- ``risk``: one row per region and ``data_date`` (the day the 14-day rate describes), with ``recorded_date``,
  the day the figure became known (for JHU, ``data_date + 1``); a correction is a new row for the same
  region and data_date with a later recorded_date.

Semantics:

1. A stay counts when ``arrival_date - window_days <= stay_date <= arrival_date`` (both ends included).
2. The key-region list in force on a screen date holds, for each region, the row with the latest
   ``data_date`` among the rows with ``recorded_date <= screen_date``; among rows for that data_date the
   latest ``recorded_date`` wins (a correction replaces an older answer only from the day it was recorded),
   then the smallest ``source`` (so every backend picks the same row). Nothing recorded after the screen
   date is ever seen: re-screening an old date gives the answer that was possible then.
3. Each counted stay is joined on (region_code, screen_date) to that list and classified from its
   ``rate_14d`` by the classifier's ibis expression. A stay in a region with no known row, or whose known
   row has no rate (JHU's first 13 days), is "unknown" (a NaN rate is treated as no rate and reported as
   null).
4. An analyst's designation of the stay's region in force on the screen date (valid on it, recorded on or before
   it; among several, the one recorded last) raises the stay's level to the designated one when that is higher:
   officers enforce the stricter of the figure and the designation. ``designated_level`` says when it did.
5. A traveller's level is the highest level rank among their counted stays. A traveller without counted
   stays has no reason rows and therefore no level row; the caller decides what that means.

Date windows are key joins plus ``.filter()`` (no inequality join predicates), which every backend accepts.
The list in force is found without sorting the (screen dates x risk rows) join: one window over the small
risk table gives each row the date it is superseded (:func:`risk_validity`), and the key join is filtered
to the one row valid on each screen date. Risk rows are expected to be unique on (region_code, data_date,
recorded_date, source).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import duckdb
import ibis
import ibis.expr.types as ir
import pyarrow as pa

from kouan.measures.classifiers import RATE14_V1, RateClassifier, level_for_rank_expr
from kouan.measures.ranks import level_for_rank
from kouan.screening.inputs import (
    BACKENDS,
    DESIGNATIONS_SCHEMA,
    RISK_SCHEMA,
    STAYS_SCHEMA,
    conform,
    connect,
    designations_from_arrow,
    read_parquet_inputs,
    release,
    tables_from_arrow,
)

__all__ = [
    "BACKENDS",
    "DESIGNATIONS_SCHEMA",
    "LEVELS_SCHEMA",
    "REASONS_SCHEMA",
    "RISK_SCHEMA",
    "STAYS_SCHEMA",
    "ScreeningOutput",
    "connect",
    "designations_from_arrow",
    "designations_in_force",
    "key_regions_in_force",
    "risk_validity",
    "read_parquet_inputs",
    "release",
    "run",
    "screen_stays",
    "tables_from_arrow",
    "traveller_levels",
]

RULE_PREFIX = "stay-in-region"
STAY_COLUMNS = ("traveller_id", "stay_id", "region_code", "place", "stay_date", "source", "screen_date")

REASONS_SCHEMA = pa.schema(
    [
        pa.field("traveller_id", pa.int64()),
        pa.field("stay_id", pa.int64()),
        pa.field("region_code", pa.string()),
        pa.field("place", pa.string()),
        pa.field("stay_date", pa.date32()),
        pa.field("source", pa.string()),
        pa.field("screen_date", pa.date32()),
        pa.field("rate_14d", pa.float64()),
        pa.field("source_date", pa.date32()),
        pa.field("risk_source", pa.string()),
        pa.field("level", pa.string()),
        pa.field("level_rank", pa.int8()),
        pa.field("rule", pa.string()),
        pa.field("designated_level", pa.string()),
    ]
)
LEVELS_SCHEMA = pa.schema(
    [
        pa.field("traveller_id", pa.int64()),
        pa.field("level_rank", pa.int8()),
        pa.field("level", pa.string()),
    ]
)


@dataclass(frozen=True)
class ScreeningOutput:
    """Reason rows (one per counted stay) and level rows (one per traveller), sorted by ids."""

    reasons: pa.Table
    levels: pa.Table


def counted_stays(*, stays: ir.Table, window_days: int = 14) -> ir.Table:
    """The stays inside the window ``[arrival_date - window_days, arrival_date]``."""
    earliest = stays.arrival_date - ibis.interval(days=window_days)
    return stays.filter(stays.stay_date >= earliest, stays.stay_date <= stays.arrival_date)


def risk_validity(*, risk: ir.Table) -> ir.Table:
    """Each risk row with ``valid_to``: the first screen date on which a preferred row of its region is
    known (exclusive; null while none is). A row is in force on S when ``recorded_date <= S < valid_to``.

    Preferred means a later data_date, then a later recorded_date, then a smaller source; ``valid_to`` is the
    smallest recorded_date among the rows preferred to this one (a window over the small risk table).
    """
    preference = [ibis.asc("data_date"), ibis.asc("recorded_date"), ibis.desc("source")]
    later = ibis.window(group_by="region_code", order_by=preference, rows=(1, None))
    return risk.mutate(valid_to=risk.recorded_date.min().over(later))


def key_regions_in_force(*, risk: ir.Table, wanted: ir.Table) -> ir.Table:
    """For each distinct (region_code, screen_date) of ``wanted``, the risk row in force on screen_date.

    Columns: region_code, screen_date, rate_14d, source_date, risk_source. Pairs with no row recorded by
    the screen date are absent. The pairs are key-joined to the risk rows of their region and filtered
    to the one row valid on the screen date (see :func:`risk_validity`): no inequality join predicate,
    and no sort over the (pairs x risk rows) join.
    """
    pairs = wanted.select("region_code", "screen_date").distinct()
    known = pairs.join(risk_validity(risk=risk), "region_code").filter(
        lambda t: t.recorded_date <= t.screen_date,
        lambda t: t.valid_to.isnull() | (t.screen_date < t.valid_to),
    )
    return known.select(
        "region_code",
        "screen_date",
        rate_14d=_nan_as_null(known.rate_14d),
        source_date=known.data_date,
        risk_source=known.source,
    )


def _nan_as_null(rate: ir.FloatingValue) -> ir.FloatingValue:
    return ibis.ifelse(rate.isnan(), ibis.null("float64"), rate)


def designations_in_force(*, designations: ir.Table, wanted: ir.Table) -> ir.Table:
    """For each (region_code, screen_date) of ``wanted`` with a designation valid and recorded by then, the rank
    of the one recorded last (the highest designation id). Columns: region_code, screen_date, designated_rank."""
    pairs = wanted.select("region_code", "screen_date").distinct()
    known = pairs.join(designations, "region_code").filter(
        lambda t: t.recorded_date <= t.screen_date,
        lambda t: t.valid_from <= t.screen_date,
        lambda t: t.valid_to.isnull() | (t.screen_date < t.valid_to),
    )
    return known.group_by(["region_code", "screen_date"]).aggregate(
        designated_rank=known.level_rank.argmax(known.designation_id)
    )


def screen_stays(
    *,
    stays: ir.Table,
    risk: ir.Table,
    classifier: RateClassifier = RATE14_V1,
    window_days: int = 14,
    designations: ir.Table | None = None,
) -> ir.Table:
    """One reason row per counted stay (columns of :data:`REASONS_SCHEMA`); see the module docstring."""
    counted = counted_stays(stays=stays, window_days=window_days)
    joined = counted.left_join(key_regions_in_force(risk=risk, wanted=counted), ["region_code", "screen_date"])
    if designations is not None:
        designated = designations_in_force(designations=designations, wanted=counted)
        joined = joined.left_join(designated, ["region_code", "screen_date"])
    rate_rank = classifier.rank_to_ibis(joined.rate_14d)
    rank, designated_level = rate_rank, ibis.null("string")
    if designations is not None:
        designated = joined.designated_rank
        raised = designated.notnull() & (designated > rate_rank)
        rank = ibis.ifelse(raised, designated, rate_rank).cast("int8")
        designated_level = ibis.ifelse(raised, level_for_rank_expr(designated), ibis.null("string"))
    return joined.select(
        *STAY_COLUMNS,
        rate_14d=joined.rate_14d,
        source_date=joined.source_date,
        risk_source=joined.risk_source,
        level=level_for_rank_expr(rank),
        level_rank=rank,
        rule=ibis.literal(f"{RULE_PREFIX}/{classifier.key}"),
        designated_level=designated_level,
    )


def traveller_levels(reasons: ir.Table) -> ir.Table:
    """One row per traveller with reasons: traveller_id, level_rank (the highest), level."""
    ranked = reasons.group_by("traveller_id").aggregate(level_rank=reasons.level_rank.max())
    return ranked.mutate(level=level_for_rank_expr(ranked.level_rank))


def run(
    *,
    stays: pa.Table,
    risk: pa.Table,
    classifier: RateClassifier = RATE14_V1,
    window_days: int = 14,
    backend: str = "duckdb",
    spark_session: Any = None,
    designations: pa.Table | None = None,
) -> ScreeningOutput:
    """Screens Arrow stays against Arrow risk rows (and analysts' designations) on a fresh ``backend`` connection.
    On DuckDB the expressions' SQL is compiled once per classifier and window (:func:`_duckdb_sql`)."""
    if backend == "duckdb":
        return _run_duckdb(
            stays=stays, risk=risk, classifier=classifier, window_days=window_days, designations=designations
        )
    con = connect(backend=backend, spark_session=spark_session)
    stays_t, risk_t = tables_from_arrow(con=con, stays=stays, risk=risk)
    designated = designations_from_arrow(con=con, designations=designations) if designations is not None else None
    registered = (stays_t, risk_t) if designated is None else (stays_t, risk_t, designated)
    try:
        reasons = screen_stays(
            stays=stays_t, risk=risk_t, classifier=classifier, window_days=window_days, designations=designated
        )
        return ScreeningOutput(
            reasons=_sorted(reasons.to_pyarrow(), schema=REASONS_SCHEMA, keys=("traveller_id", "stay_id")),
            levels=_sorted(traveller_levels(reasons).to_pyarrow(), schema=LEVELS_SCHEMA, keys=("traveller_id",)),
        )
    finally:
        release(con=con, tables=registered)


def _sorted(table: pa.Table, *, schema: pa.Schema, keys: tuple[str, ...]) -> pa.Table:
    return conform(table, schema=schema).sort_by([(key, "ascending") for key in keys])


_INPUTS = {"kouan_stays": STAYS_SCHEMA, "kouan_risk": RISK_SCHEMA, "kouan_designations": DESIGNATIONS_SCHEMA}


def _run_duckdb(
    *, stays: pa.Table, risk: pa.Table, classifier: RateClassifier, window_days: int, designations: pa.Table | None
) -> ScreeningOutput:
    """The same expressions as on any backend, their SQL compiled once and run on a cursor of this process's
    in-memory DuckDB (inputs registered on the cursor are its own); the levels are the reasons' maxima per
    traveller, taken from the fetched reasons (no second query)."""
    sql = _duckdb_sql(classifier=classifier, window_days=window_days, designated=designations is not None)
    inputs = {"kouan_stays": stays, "kouan_risk": risk, "kouan_designations": designations}
    con = _duckdb_database(os.getpid()).cursor()
    try:
        for name, table in inputs.items():
            if table is not None:
                con.register(name, conform(table, schema=_INPUTS[name]))
        reasons = _sorted(con.execute(sql).to_arrow_table(), schema=REASONS_SCHEMA, keys=("traveller_id", "stay_id"))
    finally:
        con.close()
    levels = _sorted(_levels(reasons), schema=LEVELS_SCHEMA, keys=("traveller_id",))
    return ScreeningOutput(reasons=reasons, levels=levels)


@lru_cache(maxsize=1)
def _duckdb_database(_pid: int) -> duckdb.DuckDBPyConnection:
    """Opening a DuckDB costs ~30 ms, as much as screening a manifest: opened once per process (a forked child
    opens its own)."""
    return duckdb.connect()


def _levels(reasons: pa.Table) -> pa.Table:
    """What :func:`traveller_levels` computes, in Arrow."""
    ranked = reasons.group_by("traveller_id").aggregate([("level_rank", "max")])
    ranks = ranked.column("level_rank_max").to_pylist()
    levels = [level_for_rank(rank) for rank in ranks]
    return pa.table({"traveller_id": ranked.column("traveller_id"), "level_rank": ranks, "level": levels})


_COMPILED: dict[tuple[str, int, bool], str] = {}


def _duckdb_sql(*, classifier: RateClassifier, window_days: int, designated: bool) -> str:
    """DuckDB SQL of the reasons over tables named as in ``_INPUTS`` (compiled on first use)."""
    key = (classifier.key, window_days, designated)
    if key not in _COMPILED:
        tables = {name: ibis.table(ibis.Schema.from_pyarrow(schema), name=name) for name, schema in _INPUTS.items()}
        designations = tables["kouan_designations"] if designated else None
        reasons = screen_stays(stays=tables["kouan_stays"], risk=tables["kouan_risk"], classifier=classifier,
                               window_days=window_days, designations=designations)  # fmt: skip
        _COMPILED[key] = ibis.to_sql(reasons, dialect="duckdb")
    return _COMPILED[key]
