"""What a crossing is compared on, in DuckDB: normalised name parts, the keys that find candidate persons, and the
level each comparison falls in.

Names follow `kouan.travel.journey.batch_linking` (ASCII upper case, ICAO transliteration, PNR titles dropped);
each part is then squashed (spaces removed: XIAO MING = XIAOMING). `name_key` is the two squashed parts in
alphabetical order, so surname and given names written the other way round give the same key.

Blocking keys (a pair is compared only when one of them is equal on both sides):

- ``document``: document number + nationality.
- ``name+birth-month``: name_key + year and month of birth (a birth day off by one keeps its month).
- ``part+birth+initial``: one squashed part + birth date + the first letter of the other part, both ways round
  (a typo in the other part, also when the parts are swapped).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from kouan.travel.journey import batch_linking

FEATURES = ["sq_s", "sq_g", "name_key", "birth_date", "nationality", "sex", "document_n"]
FORM_SCHEMA = pa.schema(
    [("sq_s", pa.string()), ("sq_g", pa.string()), ("name_key", pa.string()), ("birth_date", pa.date32()),
     ("nationality", pa.string()), ("sex", pa.string()), ("document_n", pa.string())]
)  # fmt: skip
KEYS: dict[str, list[str]] = {
    "document": ["document_n", "nationality"],
    "name+birth-month": ["name_key", "birth_month"],
    "part+birth+initial": ["part", "birth_date", "other_initial"],
}
PART_CLOSE = 1  # the other part within this many edits: a typed-in slip
NAME_CLOSE = 0.92  # Jaro-Winkler of the whole name (either order) for "close"
# A shared document makes one person only under close names (see batch_linking.DOCUMENT_NAME_FLOOR)
NAMES_FIT = (
    "(l.name_key IS NULL OR r.name_key IS NULL OR greatest("
    "1 - levenshtein(l.sq_s || l.sq_g, r.sq_s || r.sq_g) / greatest(length(l.sq_s || l.sq_g), "
    "length(r.sq_s || r.sq_g))::DOUBLE, "
    "1 - levenshtein(l.sq_s || l.sq_g, r.sq_g || r.sq_s) / greatest(length(l.sq_s || l.sq_g), "
    "length(r.sq_g || r.sq_s))::DOUBLE"
    f") >= {batch_linking.DOCUMENT_NAME_FLOOR})"
)


def stage_day(*, con: duckdb.DuckDBPyConnection, records: pa.Table) -> None:
    """`day_p` (one row per crossing with its features and `form_key`) and `day_f` (its distinct forms)."""
    con.register("day_arrow", records.select(batch_linking.PERSON_SCHEMA.names).cast(batch_linking.PERSON_SCHEMA))
    con.execute("CREATE OR REPLACE TABLE day_in AS SELECT * FROM day_arrow")
    con.unregister("day_arrow")
    batch_linking.stage_lookups(con, ["day_in"])
    squashed = f"""SELECT record_id, event_date, nullif(replace(coalesce(surname_n, ''), ' ', ''), '') AS sq_s,
        nullif(replace(coalesce(given_n, ''), ' ', ''), '') AS sq_g, birth_date, nationality, sex, document_n
        FROM ({batch_linking.prepare_sql("day_in")})"""
    con.execute(
        f"""CREATE OR REPLACE TABLE day_p AS SELECT *, hash({", ".join(FEATURES)}) AS form_key FROM (
        SELECT *, {name_key_sql()} AS name_key FROM ({squashed}))"""
    )
    con.execute("DROP TABLE day_in")
    firsts = ", ".join(f"any_value({column}) AS {column}" for column in FEATURES)
    con.execute(f"CREATE OR REPLACE TABLE day_f AS SELECT form_key, {firsts} FROM day_p GROUP BY form_key")


def name_key_sql() -> str:
    both = "sq_s IS NOT NULL AND sq_g IS NOT NULL"
    return f"CASE WHEN {both} THEN least(sq_s, sq_g) || ' ' || greatest(sq_s, sq_g) ELSE coalesce(sq_s, sq_g) END"


def _parts_sql(table: str, right_id: str) -> str:
    """`table`'s forms once per orientation of the name parts: (form_key, id, part, birth_date, other_initial)."""
    return " UNION ALL ".join(
        f"SELECT form_key, {right_id} AS right_id, {part} AS part, birth_date, substr({other}, 1, 1) AS other_initial "
        f"FROM {table} WHERE {part} IS NOT NULL AND birth_date IS NOT NULL"
        for part, other in (("sq_s", "sq_g"), ("sq_g", "sq_s"))
    )


def candidates_sql(*, left: str, right: str, right_id: str, typed: str | None = None) -> str:
    """Distinct (form_key, right_id, right_form, keys that found it) pairs between the forms of `left` and
    `right` (whose id column is `right_id`) that share a blocking key (KEYS); the part key, the widest, only for
    the forms of `typed` (default: all of `left`)."""
    pick = f"SELECT l.form_key, r.{right_id} AS right_id, r.form_key AS right_form"
    month = "date_trunc('month', {side}.birth_date)"
    joins = [
        f"{pick}, 1 AS key FROM {left} l JOIN {right} r ON l.document_n = r.document_n "
        "AND l.nationality = r.nationality",
        f"{pick}, 2 AS key FROM {left} l JOIN {right} r "
        f"ON l.name_key = r.name_key AND {month.format(side='l')} = {month.format(side='r')}",
        "SELECT l.form_key, r.right_id, r.form_key AS right_form, 4 AS key "
        f"FROM ({_parts_sql(typed or left, 'form_key')}) l JOIN ({_parts_sql(right, right_id)}) r "
        "ON l.part = r.part AND l.birth_date = r.birth_date AND l.other_initial = r.other_initial",
    ]
    named = ", ".join(f"CASE WHEN keys & {1 << bit} > 0 THEN '{name}' END" for bit, name in enumerate(KEYS))
    return f"""SELECT form_key, right_id, right_form, concat_ws(',', {named}) AS keys
        FROM (SELECT form_key, right_id, right_form, bit_or(key) AS keys FROM ({" UNION ALL ".join(joins)})
            GROUP BY form_key, right_id, right_form)"""


def _part_level() -> str:
    combos = [("sq_s", "sq_s", "sq_g", "sq_g"), ("sq_g", "sq_g", "sq_s", "sq_s"),
              ("sq_s", "sq_g", "sq_g", "sq_s"), ("sq_g", "sq_s", "sq_s", "sq_g")]  # fmt: skip
    return " OR ".join(
        f"(l.{same_l} = r.{same_r} AND levenshtein(l.{other_l}, r.{other_r}) <= {PART_CLOSE})"
        for same_l, same_r, other_l, other_r in combos
    )


def matched_part_sql() -> str:
    """The part both sides share exactly (for its frequency), when the name level is "part"."""
    return "CASE WHEN l.sq_s IN (r.sq_s, r.sq_g) THEN l.sq_s ELSE l.sq_g END"


def levels_sql() -> str:
    """Columns name_level, birth_level, nationality_level, sex_level and document_level of a pair `l`, `r`."""
    full_l, full_r, swapped_r = "l.sq_s || l.sq_g", "r.sq_s || r.sq_g", "r.sq_g || r.sq_s"
    close = f"greatest(jaro_winkler_similarity({full_l}, {full_r}), jaro_winkler_similarity({full_l}, {swapped_r}))"
    days = "abs(l.birth_date - r.birth_date)"
    swapped_birth = "(month(l.birth_date) = day(r.birth_date) AND day(l.birth_date) = month(r.birth_date))"
    return f"""CASE WHEN l.name_key IS NULL OR r.name_key IS NULL THEN 'missing'
            WHEN l.name_key = r.name_key THEN 'exact' WHEN {_part_level()} THEN 'part'
            WHEN {close} >= {NAME_CLOSE} THEN 'close' ELSE 'different' END AS name_level,
        CASE WHEN l.birth_date IS NULL OR r.birth_date IS NULL THEN 'missing'
            WHEN l.birth_date = r.birth_date THEN 'exact'
            WHEN {days} <= 1 OR (year(l.birth_date) = year(r.birth_date) AND {swapped_birth}) THEN 'near'
            ELSE 'different' END AS birth_level,
        {_agreement("nationality")} AS nationality_level, {_agreement("sex")} AS sex_level,
        CASE WHEN l.document_n IS NULL OR r.document_n IS NULL THEN 'missing'
            WHEN l.document_n = r.document_n AND l.nationality = r.nationality
                THEN CASE WHEN {NAMES_FIT} THEN 'exact' ELSE 'exact-other-name' END
            ELSE 'different' END AS document_level"""


def _agreement(column: str) -> str:
    missing = f"l.{column} IS NULL OR r.{column} IS NULL"
    return f"CASE WHEN {missing} THEN 'missing' WHEN l.{column} = r.{column} THEN 'exact' ELSE 'different' END"
