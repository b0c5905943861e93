"""Batch linking: a day's crossings against the last weeks of history, at national volume.

1. Both sides are normalised in DuckDB (the same rules as `kouan.travel.journey.linking`: ASCII upper case, ICAO
   transliteration, PNR titles dropped) and given blocking keys (initials, a Soundex-like code, birth year).
2. Fast path, no Splink: a DuckDB key join on document number + nationality links every arrival that kept its
   passport ("document", score 1.0) — under a close name only: the same number under another name (a data-entry
   slip, a reissued number, a forged document) goes to Splink and is scored on name and birth date.
3. The arrivals left over (renewed passports, typos, swapped names, no document) go to Splink, on DuckDB by default
   or on Spark with the same settings. Candidate pairs come from three blocking rules (birth date + surname initial;
   Soundex of surname and given names + birth year; birth date + surname initial = given-name initial, for swapped
   names); comparisons are the name (Jaro-Winkler levels, swap-aware), birth date (exact / one digit or day-month
   swapped), nationality and sex.
4. The model is trained on the batch itself, without labels and always in DuckDB (`train_model`): the prior from
   a deterministic rule, u by seeded random sampling, m set (M_PROBABILITIES) — Splink's expectation maximisation is
   available but off by default, as it was unstable on concentrated names (see `train_model`). The exact-name level
   is adjusted for the name's frequency. The model's m/u are then written into the settings each backend predicts
   with, so DuckDB and Spark score the same pairs with the same parameters (Spark is given DuckDB's Jaro-Winkler as
   a UDF, see `_register_jaro_winkler`), and a given input always gives the same links. A model can also be passed
   in (e.g. one trained on an earlier day) to skip training.
5. Evidence: document links say which of document, nationality, name and birth date agree; Splink links name the
   level each comparison fell in, as JSON (e.g. {"name": "swapped", "birth_date": "exact", …}).

On Spark the UDF runs in Python workers, which need rapidfuzz and pandas (PYSPARK_PYTHON = kouan's interpreter).
Arrivals matched by document are not searched again for crossings under an earlier passport: that is the price of
the fast path at 1.8 M arrivals a day.
"""

from __future__ import annotations

import logging
from typing import Any

import duckdb
import pyarrow as pa

PERSON_SCHEMA = pa.schema(
    [("record_id", pa.string()), ("surname", pa.string()), ("given_names", pa.string()), ("birth_date", pa.date32()),
     ("nationality", pa.string()), ("document_number", pa.string()), ("sex", pa.string()), ("event_date", pa.date32())]
)  # fmt: skip
ARRIVALS_SCHEMA = HISTORY_SCHEMA = PERSON_SCHEMA
LINK_SCHEMA = pa.schema(
    [("arrival_id", pa.string()), ("history_id", pa.string()), ("score", pa.float64()), ("method", pa.string()),
     ("evidence", pa.string())]  # evidence: JSON, comparison → level label
)  # fmt: skip
SEED = 20200315
# linking.DOCUMENT_NAME_FLOOR's cut in SQL, where rapidfuzz's ratio is not at hand: on squashed names ZHANGSAN /
# CHANGSHAN (a transliteration) is 0.78 and links, CHENWEI / CHENHUI (another name on the number) 0.71 does not.
DOCUMENT_NAME_FLOOR = 0.75
U_MAX_PAIRS = 2e6
EM_MAX_PAIRS = 5e5  # EM sees at most this many blocked pairs (a deterministic hash sample) …
EM_SAMPLE_ABOVE = 500_000  # … once both inputs together hold more records than this
PRIOR_RECALL = 0.7
PRIOR_FLOOR = 1e-6  # smallest prior: what a batch too small to show a match under the prior rule gets
M_FLOOR = 1e-4  # smallest m: a data-entry slip in one field (nationality, sex) must not veto a link
U_FLOOR = 1e-8  # smallest u: a level never seen among random pairs
SPLINK_COLUMNS = [
    "record_id", "name_full", "name_swapped", "surname_i", "given_i", "initials", "name_sx",
    "birth_s", "birth_swap", "birth_year", "nationality", "sex",
]  # fmt: skip
BLOCKING_RULES = [
    "l.birth_s = r.birth_s AND l.surname_i = r.surname_i",
    "l.name_sx = r.name_sx AND l.birth_year = r.birth_year",
    "l.birth_s = r.birth_s AND l.surname_i = r.given_i",
]
PRIOR_RULE = "l.name_full = r.name_full AND l.birth_s = r.birth_s"
EM_RULES = [  # each must leave a fair share of true matches among its pairs, or EM finds another split
    "l.birth_s = r.birth_s AND l.initials = r.initials",  # initials in either order: swapped names stay in
    "l.name_full = r.name_full AND l.birth_year = r.birth_year",
]
JARO_WINKLER = {"duckdb": "jaro_winkler_similarity", "spark": "kouan_jaro_winkler"}
_NAME_JW = (
    "greatest({jw}(name_full_l, name_full_r), {jw}(name_full_l, name_swapped_r), {jw}(name_swapped_l, name_full_r))"
)
LEVELS: dict[str, list[tuple[str, str]]] = {
    "name": [
        ("exact", "name_full_l = name_full_r"),
        ("swapped", "name_full_l = name_swapped_r"),
        ("jaro-winkler>=0.95", _NAME_JW + " >= 0.95"),
        ("jaro-winkler>=0.88", _NAME_JW + " >= 0.88"),
        ("jaro-winkler>=0.80", _NAME_JW + " >= 0.80"),
        ("different", "ELSE"),
    ],
    "birth_date": [
        ("exact", "birth_s_l = birth_s_r"),
        ("one-digit-or-day-month-swapped", "levenshtein(birth_s_l, birth_s_r) <= 1 OR birth_s_l = birth_swap_r"),
        ("different", "ELSE"),
    ],
    "nationality": [("exact", "nationality_l = nationality_r"), ("different", "ELSE")],
    "sex": [("exact", "sex_l = sex_r"), ("different", "ELSE")],
}
# m: how often one person's two crossings fall in each level (top level first). Set, not learnt by default: EM on
# a batch was unstable (see train_model). The values say that border records (mostly read from the MRZ) rarely
# differ: a name typed differently or swapped in one crossing of ten, a birth date off in one of twenty.
M_PROBABILITIES = {
    "name": [0.86, 0.04, 0.04, 0.03, 0.02, 0.01],
    "birth_date": [0.95, 0.04, 0.01],
    "nationality": [0.98, 0.02],
    "sex": [0.98, 0.02],
}
NULL_COLUMN = {"name": "name_full", "birth_date": "birth_s", "nationality": "nationality", "sex": "sex"}
Model = dict[str, Any]  # {"probability_two_random_records_match": p, "m_u": {comparison: [[m, u], …] top level first}}


def _name_sql(column: str) -> str:
    upper = f"upper(coalesce({column}, ''))"
    for letter, latin in (("ß", "SS"), ("ẞ", "SS"), ("Æ", "AE"), ("Ø", "OE"), ("Œ", "OE"), ("Þ", "TH")):
        upper = f"replace({upper}, '{letter}', '{latin}')"
    for letter, latin in (("Đ", "D"), ("Ð", "D"), ("Ł", "L"), ("ı", "I"), ("Ħ", "H")):
        upper = f"replace({upper}, '{letter}', '{latin}')"
    return f"trim(regexp_replace(upper(strip_accents({upper})), '[^A-Z]+', ' ', 'g'))"


def _given_sql(column: str) -> str:
    words = f"regexp_replace({_name_sql(column)}, '\\b(MR|MRS|MS|MSTR|MISS|DR)\\b', ' ', 'g')"
    words = f"trim(regexp_replace({words}, ' +', ' ', 'g'))"
    return f"regexp_replace({words}, '([A-Z]{{2}})(MSTR|MISS|MRS|MR)$', '\\1')"


def _soundex_sql(word: str) -> str:
    """Soundex of an A–Z word: first letter + three digits (H and W transparent, vowels separate)."""
    codes = f"translate({word}, 'AEIOUYBFPVCGJKQSXZDTLMNRHW', '000000111122222222334556')"  # H, W: dropped
    runs = "|".join(f"({digit}){digit}+" for digit in "123456")
    codes = f"regexp_replace({codes}, '{runs}', '\\1\\2\\3\\4\\5\\6', 'g')"
    return f"substr({word}, 1, 1) || rpad(substr(replace(substr({codes}, 2), '0', ''), 1, 3), 3, '0')"


_LOOKUP = """
SELECT raw, n, sq, coalesce(nullif({soundex}, '000'), '') AS sx
FROM (SELECT raw, n, replace(coalesce(n, ''), ' ', '') AS sq FROM (SELECT raw, nullif({normal}, '') AS n FROM ({raws})))
"""
_PREPARE = """
SELECT i.record_id, s.n AS surname_n, g.n AS given_n, i.birth_date, c.nationality, {document} AS document_n,
    nullif(upper(trim(coalesce(i.sex, ''))), '') AS sex, i.event_date,
    nullif(s.sq || g.sq, '') AS name_full, nullif(g.sq || s.sq, '') AS name_swapped,
    nullif(substr(s.sq, 1, 1), '') AS surname_i, nullif(substr(g.sq, 1, 1), '') AS given_i,
    nullif(s.sx || g.sx, '') AS name_sx,
    least(nullif(substr(s.sq, 1, 1), ''), nullif(substr(g.sq, 1, 1), '')) ||
        greatest(nullif(substr(s.sq, 1, 1), ''), nullif(substr(g.sq, 1, 1), '')) AS initials,
    strftime(i.birth_date, '%Y-%m-%d') AS birth_s, strftime(i.birth_date, '%Y-%d-%m') AS birth_swap,
    year(i.birth_date) AS birth_year
FROM {source} i
JOIN surname_lookup s ON coalesce(i.surname, '') = s.raw
JOIN given_lookup g ON coalesce(i.given_names, '') = g.raw
JOIN nationality_lookup c ON coalesce(i.nationality, '') = c.raw
"""


def _document_sql() -> str:
    """Document number upper case without spaces, dashes, MRZ filler, dots or slashes (plain replaces: fast)."""
    document = "upper(coalesce(i.document_number, ''))"
    for char in " -<./":
        document = f"replace({document}, '{char}', '')"
    return f"nullif({document}, '')"


def stage_lookups(con: duckdb.DuckDBPyConnection, sources: list[str]) -> None:
    """Each distinct raw name (and nationality) normalised once: far fewer values than rows, and regexes are slow."""
    for part, column, normal in (("surname", "surname", _name_sql("raw")), ("given", "given_names", _given_sql("raw"))):
        raws = " UNION ".join(f"SELECT DISTINCT coalesce({column}, '') AS raw FROM {source}" for source in sources)
        lookup = _LOOKUP.format(raws=raws, normal=normal, soundex=_soundex_sql("sq"))
        con.execute(f"CREATE OR REPLACE TABLE {part}_lookup AS {lookup}")
    raws = " UNION ".join(f"SELECT DISTINCT coalesce(nationality, '') AS raw FROM {source}" for source in sources)
    code = "nullif(regexp_replace(upper(raw), '[^A-Z]', '', 'g'), '')"
    con.execute(
        f"""CREATE OR REPLACE TABLE nationality_lookup AS
        SELECT raw, CASE WHEN {code} = 'D' THEN 'DEU' ELSE {code} END AS nationality FROM ({raws})"""
    )


def prepare_sql(source: str) -> str:
    return _PREPARE.format(source=source, document=_document_sql())


def prepare(*, table: pa.Table) -> pa.Table:
    """Normalised names, document and codes plus the blocking keys, as Splink is given them."""
    con = duckdb.connect()
    con.register("source", table.select(PERSON_SCHEMA.names).cast(PERSON_SCHEMA))
    stage_lookups(con, ["source"])
    return con.sql(prepare_sql("source")).to_arrow_table()


def names_fit_sql(left: str, right: str) -> str:
    """SQL: the names of `left` and `right` are close enough for a shared document to make them one person:
    1 - Levenshtein / longer length, either order, at least DOCUMENT_NAME_FLOOR; a missing name does not veto."""
    ratios = [
        f"1 - levenshtein({left}.name_full, {right}.{column}) / greatest(length({left}.name_full), "
        f"length({right}.{column}))::DOUBLE"
        for column in ("name_full", "name_swapped")
    ]
    missing = f"{left}.name_full IS NULL OR {right}.name_full IS NULL"
    return f"({missing} OR greatest({', '.join(ratios)}) >= {DOCUMENT_NAME_FLOOR})"


def _agreement_sql(column: str) -> str:
    missing = f"a.{column} IS NULL OR h.{column} IS NULL"
    return f"CASE WHEN {missing} THEN 'missing' WHEN a.{column} = h.{column} THEN 'exact' ELSE 'different' END"


_DOCUMENT_LINKS = """
SELECT a.record_id AS arrival_id, h.record_id AS history_id, 1.0::DOUBLE AS score, 'document' AS method,
    json_object('document', 'exact', 'nationality', 'exact',
        'name', {name}, 'birth_date', {birth})::VARCHAR AS evidence
FROM arrivals_p a JOIN history_p h ON a.document_n = h.document_n AND a.nationality = h.nationality
WHERE {names_fit}
""".format(name=_agreement_sql("name_full"), birth=_agreement_sql("birth_s"), names_fit=names_fit_sql("a", "h"))


def stage_inputs(*, con: duckdb.DuckDBPyConnection, arrivals: pa.Table, history: pa.Table) -> None:
    """Step 1 and 2 (fast path): normalised inputs, `document_links`, and the `arrivals_rest` left for Splink."""
    for name, table in (("arrivals", arrivals), ("history", history)):
        con.register(f"{name}_arrow", table.select(PERSON_SCHEMA.names).cast(PERSON_SCHEMA))
        con.execute(f"CREATE OR REPLACE TABLE {name}_in AS SELECT * FROM {name}_arrow")  # scanned 4 times below
        con.unregister(f"{name}_arrow")
    stage_lookups(con, ["arrivals_in", "history_in"])
    for name in ("arrivals", "history"):
        con.execute(f"CREATE OR REPLACE TABLE {name}_p AS {prepare_sql(name + '_in')}")
        con.execute(f"DROP TABLE {name}_in")
    con.execute(f"CREATE OR REPLACE TABLE document_links AS {_DOCUMENT_LINKS}")
    columns = ", ".join(f"a.{column}" for column in SPLINK_COLUMNS)
    rest = f"SELECT {columns} FROM arrivals_p a ANTI JOIN document_links d ON a.record_id = d.arrival_id"
    con.execute(f"CREATE OR REPLACE TABLE arrivals_rest AS {rest}")
    con.execute(f"CREATE OR REPLACE VIEW history_rest AS SELECT {columns} FROM history_p a")
    con.execute(f"CREATE OR REPLACE VIEW arrivals_all AS SELECT {columns} FROM arrivals_p a")
    con.execute("CREATE OR REPLACE TABLE splink_links AS SELECT * FROM document_links LIMIT 0")


def settings(*, dialect: str, model: Model | None = None) -> dict[str, Any]:
    """The Splink settings for a backend ("duckdb" or "spark"), with a trained model's parameters when given."""
    jw = JARO_WINKLER[dialect]
    comparisons = [_comparison(name, jw=jw, m_u=(model or {}).get("m_u", {}).get(name)) for name in LEVELS]
    found: dict[str, Any] = {
        "link_type": "link_only",
        "unique_id_column_name": "record_id",
        "blocking_rules_to_generate_predictions": [{"blocking_rule": rule} for rule in BLOCKING_RULES],
        "comparisons": comparisons,
        "retain_matching_columns": True,  # keeps the gamma (level) columns
        "retain_intermediate_calculation_columns": False,
    }
    if model:
        found["probability_two_random_records_match"] = model["probability_two_random_records_match"]
    return found


def _comparison(name: str, *, jw: str, m_u: list[list[float]] | None) -> dict[str, Any]:
    column = NULL_COLUMN[name]
    levels: list[dict[str, Any]] = [
        {
            "sql_condition": f"{column}_l IS NULL OR {column}_r IS NULL",
            "label_for_charts": "missing",
            "is_null_level": True,
        }
    ]
    for number, (label, condition) in enumerate(LEVELS[name]):
        level: dict[str, Any] = {"sql_condition": condition.format(jw=jw), "label_for_charts": label}
        if (name, label) == ("name", "exact"):
            level["tf_adjustment_column"] = "name_full"  # an exact WANG WEI says less than an exact CUEVAS GABRIEL
        level["m_probability"] = m_u[number][0] if m_u else M_PROBABILITIES[name][number]
        if m_u:
            level["u_probability"] = m_u[number][1]
        levels.append(level)
    return {"output_column_name": name, "comparison_levels": levels}


def _duckdb_linker(
    con: duckdb.DuckDBPyConnection, splink_settings: dict[str, Any], *, arrivals: str = "arrivals_rest"
) -> Any:
    from splink import DuckDBAPI, Linker

    api = DuckDBAPI(connection=con)
    inputs = [api.register(name, table_name=name) for name in (arrivals, "history_rest")]
    return Linker(inputs, splink_settings, log_level=logging.WARNING)


def train_model(*, con: duckdb.DuckDBPyConnection, seed: int = SEED, expectation_maximisation: bool = False) -> Model:
    """Deterministic training, without labels, on the tables `stage_inputs` left in `con`.

    The prior comes from a deterministic rule on the remainder; u from seeded random sampling of all arrivals
    against history; m is M_PROBABILITIES unless `expectation_maximisation` asks Splink's EM to estimate it (blocked
    on EM_RULES). EM is off by default because it proved unstable on this data: where names are concentrated (a few
    pinyin surnames and given names), pairs sharing a birth date or a name are mostly namesakes, and EM converged
    on a split that put a third of true matches' birth dates in "different" (m(exact) 0.44, m(different) 0.33 at
    184 k arrivals x 5.5 M history), and recall fell from 0.68 to 0.40. Where matches are plentiful among the blocked
    pairs (the test population) EM learns sensible values.
    """
    rest = _duckdb_linker(con, settings(dialect="duckdb"))
    rest.training.estimate_probability_two_random_records_match([PRIOR_RULE], recall=PRIOR_RECALL)
    linker = _duckdb_linker(con, rest.misc.save_model_to_json(), arrivals="arrivals_all")
    linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=seed)
    large = count_rows(con=con, table="arrivals_all") + count_rows(con=con, table="history_rest") > EM_SAMPLE_ABOVE
    for rule in EM_RULES if expectation_maximisation else []:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, max_pairs=EM_MAX_PAIRS if large else None, estimate_without_term_frequencies=True
        )
    return _model_from(linker.misc.save_model_to_json())


def _model_from(saved: dict[str, Any]) -> Model:
    m_u = {
        comparison["output_column_name"]: [
            [_bounded(level.get("m_probability"), floor=M_FLOOR), _bounded(level.get("u_probability"), floor=U_FLOOR)]
            for level in comparison["comparison_levels"]
            if not level.get("is_null_level")
        ]
        for comparison in saved["comparisons"]
    }
    # A small batch may show no match under the prior rule at all; a prior of 0 would veto every link.
    prior = max(float(f"{saved['probability_two_random_records_match']:.10g}"), PRIOR_FLOOR)
    return {"probability_two_random_records_match": prior, "m_u": m_u}


def _bounded(probability: float | None, *, floor: float) -> float:
    """Kept within [floor, 1 - M_FLOOR] and rounded to 10 significant digits, so that float noise from parallel sums
    does not change the model between runs. An m floor means one disagreeing field cannot veto a link on its own."""
    value = min(max(probability if probability is not None else floor, floor), 1 - M_FLOOR)
    return float(f"{value:.10g}")


def _predict_duckdb(con: duckdb.DuckDBPyConnection, *, model: Model, threshold: float) -> pa.Table:
    linker = _duckdb_linker(con, settings(dialect="duckdb", model=model))
    return linker.inference.predict(threshold_match_probability=threshold, warning_mode="never").as_pyarrow_table()


def _predict_spark(con: duckdb.DuckDBPyConnection, *, spark: Any, model: Model, threshold: float) -> pa.Table:
    from splink import Linker, SparkAPI

    _register_jaro_winkler(spark)
    has_checkpoints = not spark.sparkContext._jsc.sc().getCheckpointDir().isEmpty()
    lineage = "parquet" if has_checkpoints else "persist"
    api = SparkAPI(spark_session=spark, break_lineage_method=lineage, register_udfs_automatically=False)
    inputs = [
        api.register(spark.createDataFrame(con.table(name).to_arrow_table()), table_name=f"kouan_link_{name}")
        for name in ("arrivals_rest", "history_rest")
    ]
    linker = Linker(inputs, settings(dialect="spark", model=model), log_level=logging.WARNING)
    predicted = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    return predicted.as_spark_dataframe().toArrow()


def _register_jaro_winkler(spark: Any) -> None:
    """DuckDB's Jaro-Winkler (rapidfuzz's algorithm) as a vectorised Spark UDF.

    Splink's bundled Scala UDF follows Apache Commons Text, whose Jaro differs (ZEAOHAOBO/ZHAOHAOBO: 0.877 there,
    0.896 in DuckDB), which moves pairs across level boundaries; the same function on both backends keeps them equal.
    """
    import pandas as pd
    from pyspark.sql.functions import pandas_udf
    from rapidfuzz.distance import JaroWinkler
    from rapidfuzz.process import cpdist

    def jaro_winkler(left: pd.Series, right: pd.Series) -> pd.Series:
        scores = pd.Series(cpdist(left.fillna(""), right.fillna(""), scorer=JaroWinkler.similarity, dtype="float64"))
        return scores.where(left.notna() & right.notna())

    # Spark reads the type hints to pick a Series → Series UDF; give it classes, not this module's postponed strings
    jaro_winkler.__annotations__ = {"left": pd.Series, "right": pd.Series, "return": pd.Series}
    spark.udf.register("kouan_jaro_winkler", pandas_udf(jaro_winkler, "double"))  # type: ignore[call-overload]


def _evidence_sql() -> str:
    parts = []
    for name, levels in LEVELS.items():
        labels = ", ".join(f"'{label}'" for label, _ in levels)
        parts.append(f"'{name}', coalesce([{labels}][{len(levels)} - gamma_{name}], 'missing')")
    return f"json_object({', '.join(parts)})::VARCHAR"


def score_remainder(
    *,
    con: duckdb.DuckDBPyConnection,
    model: Model,
    backend: str = "duckdb",
    threshold: float = 0.9,
    spark_session: Any = None,
) -> None:
    """Step 3: Splink on the staged remainder, links at or above `threshold` into `splink_links`."""
    predicted = (
        _predict_spark(con, spark=spark_session, model=model, threshold=threshold)
        if backend == "spark"
        else _predict_duckdb(con, model=model, threshold=threshold)
    )
    con.register("predicted", predicted)
    left_is_arrival = "source_dataset_l LIKE '%arrivals_rest'"
    con.execute(
        f"""CREATE OR REPLACE TABLE splink_links AS
        SELECT CASE WHEN {left_is_arrival} THEN record_id_l ELSE record_id_r END AS arrival_id,
            CASE WHEN {left_is_arrival} THEN record_id_r ELSE record_id_l END AS history_id,
            round(match_probability, 6) AS score, 'splink' AS method, {_evidence_sql()} AS evidence
        FROM predicted"""
    )


def collected_links(*, con: duckdb.DuckDBPyConnection) -> pa.Table:
    """Document and Splink links together, sorted by arrival, best score first."""
    union = "SELECT * FROM document_links UNION ALL SELECT * FROM splink_links"
    return con.sql(f"{union} ORDER BY arrival_id, score DESC, history_id").to_arrow_table().cast(LINK_SCHEMA)


def link_batch(
    *,
    arrivals: pa.Table,
    history: pa.Table,
    backend: str = "duckdb",
    threshold: float = 0.9,
    spark_session: Any = None,
    model: Model | None = None,
) -> pa.Table:
    """Links of each arrival to earlier crossings (LINK_SCHEMA), sorted by arrival, best score first.

    Inputs follow PERSON_SCHEMA (extra columns are ignored). `backend` is "duckdb" or "spark" (then `spark_session`
    is required); `model` skips training (see `train_model`).
    """
    if backend not in JARO_WINKLER or (backend == "spark" and spark_session is None):
        raise ValueError(f"backend must be 'duckdb' or 'spark' (with a spark_session), not {backend!r}")
    con = duckdb.connect()
    stage_inputs(con=con, arrivals=arrivals, history=history)
    if count_rows(con=con, table="arrivals_rest") and count_rows(con=con, table="history_rest"):
        model = model or train_model(con=con)
        score_remainder(con=con, model=model, backend=backend, threshold=threshold, spark_session=spark_session)
    return collected_links(con=con)


def count_rows(*, con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.sql(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0
