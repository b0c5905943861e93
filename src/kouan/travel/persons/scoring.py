"""How strongly a pair says "one person": a Fellegi-Sunter weight with the name's own frequency, in DuckDB.

For a crossing not linked by its document, the odds that index person j is the traveller are

    odds_j = P(returning) / (1 - P(returning)) / N × Π m / u

over the name, birth date, nationality and sex levels (`features.levels_sql`). N is the number of forms the
index and the day hold; m is how often one person's two crossings fall in a level (set, M below); u how often two
random forms do. The u of an exact name is the name's own share of the forms (a common pinyin name says little, a
rare one much), of a name with one exact part that part's share times how often two random parts are one edit
apart; the u of the birth date comes from the birth dates' own frequencies, the rest from a seeded random sample
of form pairs. The posterior of person j is odds_j / (1 + Σ odds): two persons who fit equally well share it,
so neither is taken.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import duckdb

from kouan.travel.persons.features import NAME_CLOSE, PART_CLOSE, levels_sql, matched_part_sql

M = {
    "name": {"exact": 0.9, "part": 0.05, "close": 0.03, "different": 0.02},
    "birth": {"exact": 0.95, "near": 0.04, "different": 0.01},
    "nationality": {"exact": 0.98, "different": 0.02},
    "sex": {"exact": 0.98, "different": 0.02},
}
SAMPLE_FORMS = 600  # each side of the random sample: 600 × 600 pairs
SAMPLE_SEED = 20200315
ESTIMATE_MIN_FORMS = 1000  # fewer forms left after documents: keep the prior given
ESTIMATE_ROUNDS = 8
RETURNING_BOUNDS = (0.001, 0.9)
U_FLOOR = 1e-9


@dataclass(frozen=True)
class Stats:
    forms: int
    u_birth_exact: float
    u_birth_near: float
    u_name_close: float
    u_part_other: float  # two random name parts one to PART_CLOSE edits apart
    returning: float  # P(a crossing not linked by document belongs to a person already in the index)

    def prior_log2(self) -> float:
        return math.log2(self.returning / (1 - self.returning)) - math.log2(max(self.forms, 1))


def stage_stats(*, con: duckdb.DuckDBPyConnection, population: str, returning: float) -> Stats:
    """Frequency tables (`tf_name`, `tf_part`, `tf_nationality`) and the sampled u's, over `population` forms."""
    con.execute(f"CREATE OR REPLACE TABLE tf_name AS SELECT name_key, count(*) AS n FROM {population} GROUP BY ALL")
    parts = f"SELECT sq_s AS part FROM {population} UNION ALL SELECT sq_g FROM {population}"
    con.execute(f"CREATE OR REPLACE TABLE tf_part AS SELECT part, count(*) AS n FROM ({parts}) GROUP BY ALL")
    forms = _scalar(con, f"SELECT count(*) FROM {population}")
    con.execute(
        f"""CREATE OR REPLACE TABLE tf_nationality AS SELECT nationality, count(*) / {max(forms, 1)} AS share
        FROM {population} GROUP BY ALL"""
    )
    births = f"SELECT birth_date, count(*) / sum(count(*)) OVER () AS p FROM {population} GROUP BY ALL"
    exact = _scalar(con, f"SELECT sum(p * p) FROM ({births})")
    near = _scalar(
        con,
        f"""WITH b AS ({births}) SELECT 2 * sum(l.p * r.p) FROM b l JOIN b r ON r.birth_date = l.birth_date + 1""",
    )
    close, other = _sampled(con, population)
    return Stats(
        forms=int(forms),
        u_birth_exact=max(exact, U_FLOOR),
        u_birth_near=max(near, U_FLOOR),
        u_name_close=max(close, U_FLOOR),
        u_part_other=max(other, U_FLOOR),
        returning=returning,
    )


def _sampled(con: duckdb.DuckDBPyConnection, population: str) -> tuple[float, float]:
    sample = f"(SELECT * FROM {population} USING SAMPLE reservoir({SAMPLE_FORMS} ROWS) REPEATABLE ({SAMPLE_SEED}))"
    full_l, full_r = "l.sq_s || l.sq_g", "r.sq_s || r.sq_g"
    row = con.sql(
        f"""SELECT avg((l.name_key <> r.name_key AND jaro_winkler_similarity({full_l}, {full_r}) >= {NAME_CLOSE})
                ::INT),
            avg((levenshtein(l.sq_g, r.sq_g) BETWEEN 1 AND {PART_CLOSE})::INT)
        FROM {sample} l, {sample} r WHERE l.name_key IS NOT NULL AND r.name_key IS NOT NULL"""
    ).fetchone()
    return (float(row[0] or 0), float(row[1] or 0)) if row else (0.0, 0.0)


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> float:
    row = con.sql(sql).fetchone()
    return float(row[0] or 0) if row else 0.0


def _log2(value: float) -> str:
    return f"{math.log2(value):.6f}"


def weight_sql(stats: Stats) -> str:
    """The pair's log2 odds (see the module), from the level columns and the frequencies joined as c_name, c_part
    and p_nationality."""
    forms, m = max(stats.forms, 1), M
    name = f"""CASE name_level
        WHEN 'exact' THEN {_log2(m["name"]["exact"] * forms)} - log2(greatest(c_name, 1))
        WHEN 'part' THEN {_log2(m["name"]["part"] * forms / stats.u_part_other)} - log2(greatest(c_part, 1))
        WHEN 'close' THEN {_log2(m["name"]["close"] / stats.u_name_close)}
        WHEN 'different' THEN {_log2(m["name"]["different"])} ELSE 0 END"""
    birth = f"""CASE birth_level WHEN 'exact' THEN {_log2(m["birth"]["exact"] / stats.u_birth_exact)}
        WHEN 'near' THEN {_log2(m["birth"]["near"] / stats.u_birth_near)}
        WHEN 'different' THEN {_log2(m["birth"]["different"])} ELSE 0 END"""
    nationality = f"""CASE nationality_level
        WHEN 'exact' THEN {_log2(m["nationality"]["exact"])} - log2(greatest(p_nationality, {U_FLOOR}))
        WHEN 'different' THEN {_log2(m["nationality"]["different"])} - log2(greatest(1 - p_nationality, 0.01))
        ELSE 0 END"""
    sex = f"""CASE sex_level WHEN 'exact' THEN {_log2(m["sex"]["exact"] / 0.5)}
        WHEN 'different' THEN {_log2(m["sex"]["different"] / 0.5)} ELSE 0 END"""
    return f"{stats.prior_log2():.6f} + ({name}) + ({birth}) + ({nationality}) + ({sex})"


def scored_sql(*, pairs: str, left: str, right: str, right_id: str, stats: Stats) -> str:
    """Each candidate pair of `pairs` (form_key, right_id, right_form, keys) with its levels and log2 odds."""
    compared = f"""SELECT p.form_key, p.right_id, p.keys, l.name_key, {levels_sql()},
            tn.n AS c_name, tp.n AS c_part, nat.share AS p_nationality
        FROM {pairs} p JOIN {left} l ON l.form_key = p.form_key
        JOIN {right} r ON r.form_key = p.right_form AND r.{right_id} = p.right_id
        LEFT JOIN tf_name tn ON tn.name_key = l.name_key
        LEFT JOIN tf_part tp ON tp.part = {matched_part_sql()}
        LEFT JOIN tf_nationality nat ON nat.nationality = l.nationality"""
    return f"SELECT *, {weight_sql(stats)} AS log2_odds FROM ({compared})"


def estimate_returning(*, con: duckdb.DuckDBPyConnection, stats: Stats, pairs: str, forms: str) -> Stats:
    """P(returning) learnt from the day (expectation maximisation of the prior alone): the share of the forms not
    linked by document that the posteriors, under the current prior, give to some person. `pairs` (its odds and
    log2_odds) is rescaled to the learnt prior. A day with fewer than ESTIMATE_MIN_FORMS such forms keeps `stats`."""
    documented = f"SELECT DISTINCT form_key FROM {pairs} WHERE document_level = 'exact'"
    rest = _scalar(con, f"SELECT count(*) FROM {forms} ANTI JOIN ({documented}) USING (form_key)")
    if rest < ESTIMATE_MIN_FORMS:
        return stats
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE form_odds AS SELECT form_key, sum(odds) AS total FROM {pairs}
        ANTI JOIN ({documented}) d USING (form_key) GROUP BY form_key"""
    )
    returning = stats.returning
    for _ in range(ESTIMATE_ROUNDS):
        factor = _odds(returning) / _odds(stats.returning)
        mass = _scalar(con, f"SELECT sum(total * {factor} / (1 + total * {factor})) FROM form_odds")
        returning = min(max(mass / rest, RETURNING_BOUNDS[0]), RETURNING_BOUNDS[1])
    factor = _odds(returning) / _odds(stats.returning)
    con.execute(f"UPDATE {pairs} SET odds = odds * {factor}, log2_odds = log2_odds + {math.log2(factor)}")
    return replace(stats, returning=returning)


def _odds(probability: float) -> float:
    return probability / (1 - probability)
