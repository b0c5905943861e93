"""Linking a day of crossings to the person index (`link_day`).

1. The day's crossings are normalised and reduced to their distinct forms (`features.stage_day`).
2. Each form is compared with the index's forms that share a blocking key (`features.KEYS`) and scored
   (`scoring`). A form whose document and nationality equal a person's under a close name is that person's
   ("document", 1.0); the same number under another name is not (its evidence says "exact-other-name"). The prior
   P(returning) is learnt from the day (`scoring.estimate_returning`). A form not linked by its document is the
   best person's when that person's posterior reaches `threshold` ("fuzzy", the posterior as score).
3. The forms left are compared among themselves the same way; each connected group becomes a new person ("new",
   with the nearest person it was not given and that person's posterior as evidence).
4. A crossing that is one person's by its document and fits another person at `merge_threshold` shows the two are
   one: they merge (the smaller id stays), unless an officer split them apart.
5. The crossings are written with their person and evidence, and the index's forms are updated.

Cost: each step is a DuckDB join or aggregate over the day's forms and the index's forms; nothing compares a day
with every earlier crossing, and candidate pairs grow with the day's forms times the persons sharing a key.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from kouan.travel.persons import corrections, store
from kouan.travel.persons.components import smallest_reachable
from kouan.travel.persons.features import FEATURES, candidates_sql, stage_day
from kouan.travel.persons.scoring import Stats, estimate_returning, scored_sql, stage_stats

THRESHOLD = 0.9
MERGE_THRESHOLD = 0.99
# Share of the crossings not linked by document whose person is already in the index: the prior a day starts
# from; learnt from each day large enough (scoring.estimate_returning), or fixed by the caller.
RETURNING = 0.25
LINKED_SCHEMA = pa.schema(
    [("record_id", pa.string()), ("person_id", pa.int64()), ("method", pa.string()), ("keys", pa.string()),
     ("score", pa.float64()), ("evidence", pa.string())]
)  # fmt: skip
_ODDS = "pow(2, least(greatest(log2_odds, -500), 500))"
_EVIDENCE = """json_object('document', document_level, 'name', name_level, 'birth_date', birth_level,
    'nationality', nationality_level, 'sex', sex_level, 'name_forms', c_name, 'log2_odds', round(log2_odds, 2),
    'candidates', candidates)::VARCHAR"""


def link_day(
    *,
    root: str | Path,
    day: date,
    records: pa.Table,
    threshold: float = THRESHOLD,
    merge_threshold: float = MERGE_THRESHOLD,
    returning: float | None = None,
    memory_limit: str | None = None,
) -> pa.Table:
    """Links the crossings of `day` (batch_linking.PERSON_SCHEMA) to persons and adds them to the index at `root`;
    returns LINKED_SCHEMA, one row per crossing with its person (after the day's merges) and the link's evidence.
    A day is linked once (ValueError when it was)."""
    folder = Path(root)
    state = store.load_state(root=folder)
    if day.isoformat() in state["days"]:
        raise ValueError(f"{day} is already in the person index")
    con = duckdb.connect(config={"memory_limit": memory_limit} if memory_limit else {})
    con.execute("SET enable_progress_bar = false")
    stage_day(con=con, records=records)
    _stage_index(con, folder)
    stats = stage_stats(con=con, population="population", returning=returning or RETURNING)
    _score_index(con, stats=stats)
    if returning is None:
        stats = estimate_returning(con=con, stats=stats, pairs="per_person", forms="day_f")
    _decide(con, threshold=threshold)
    _new_persons(con, stats=stats, threshold=threshold, state=state)
    merged = _merge_edges(con, folder, threshold=merge_threshold)
    corrections.apply_merges(con=con, root=folder, edges=merged, day=day)
    _write_day(con, folder, day=day)
    state["days"] = sorted([*state["days"], day.isoformat()])
    state.setdefault("returning", {})[day.isoformat()] = round(stats.returning, 4)
    store.save_state(root=folder, state=state)
    return (
        con.sql("SELECT record_id, person_id, method, keys, score, evidence FROM day_linked ORDER BY record_id")
        .to_arrow_table()
        .cast(LINKED_SCHEMA)
    )


def _stage_index(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    forms = folder / store.FORMS
    if forms.exists():
        con.execute("CREATE OR REPLACE TABLE idx AS SELECT * FROM read_parquet(?)", [str(forms)])
    else:
        con.register("forms_arrow", store.INDEX_SCHEMA.empty_table())
        con.execute("CREATE OR REPLACE TABLE idx AS SELECT * FROM forms_arrow")
        con.unregister("forms_arrow")
    columns = ", ".join(FEATURES)
    con.execute(f"CREATE OR REPLACE VIEW population AS SELECT {columns} FROM idx UNION ALL SELECT {columns} FROM day_f")


def _score_index(con: duckdb.DuckDBPyConnection, *, stats: Stats) -> None:
    """`per_person`: each form's best pair with each candidate person."""
    con.execute(  # a form whose document is known already needs no search for typos in its name
        "CREATE OR REPLACE TABLE day_typed AS SELECT * FROM day_f ANTI JOIN idx USING (document_n, nationality)"
    )
    pairs = candidates_sql(left="day_f", right="idx", right_id="person_id", typed="day_typed")
    con.execute(f"CREATE OR REPLACE TABLE pairs_idx AS {pairs}")
    scored = scored_sql(pairs="pairs_idx", left="day_f", right="idx", right_id="person_id", stats=stats)
    con.execute(
        f"""CREATE OR REPLACE TABLE per_person AS SELECT *, {_ODDS} AS odds FROM ({scored})
        QUALIFY row_number() OVER (PARTITION BY form_key, right_id
            ORDER BY document_level = 'exact' DESC, log2_odds DESC) = 1"""
    )


def _decide(con: duckdb.DuckDBPyConnection, *, threshold: float) -> None:
    """`best` (each form's most likely person) and `decided` (the forms whose person is known)."""
    con.execute(
        f"""CREATE OR REPLACE TABLE best AS
        SELECT form_key, right_id AS person_id,
            CASE WHEN document_level = 'exact' THEN 'document' ELSE 'fuzzy' END AS method, keys,
            CASE WHEN document_level = 'exact' THEN 1.0 ELSE round(odds / (1 + total), 6) END AS score,
            {_EVIDENCE} AS evidence
        FROM (SELECT *, sum(odds) OVER (PARTITION BY form_key) AS total,
                count(*) OVER (PARTITION BY form_key) AS candidates FROM per_person
            QUALIFY row_number() OVER (PARTITION BY form_key
                ORDER BY document_level = 'exact' DESC, log2_odds DESC, right_id) = 1)"""
    )
    con.execute(
        f"CREATE OR REPLACE TABLE decided AS SELECT * FROM best WHERE method = 'document' OR score >= {threshold}"
    )


def _new_persons(con: duckdb.DuckDBPyConnection, *, stats: Stats, threshold: float, state: dict) -> None:
    """The forms no person took, grouped by the same scoring among themselves, each group a new person."""
    con.execute("CREATE OR REPLACE TABLE rest_f AS SELECT * FROM day_f ANTI JOIN decided USING (form_key)")
    pairs = candidates_sql(left="rest_f", right="rest_f", right_id="form_key")
    con.execute(f"CREATE OR REPLACE TABLE pairs_self AS SELECT * FROM ({pairs}) WHERE form_key < right_id")
    scored = scored_sql(pairs="pairs_self", left="rest_f", right="rest_f", right_id="form_key", stats=stats)
    edges = con.sql(
        f"""SELECT form_key, right_id FROM ({scored})
        WHERE document_level = 'exact' OR {_ODDS} / (1 + {_ODDS}) >= {threshold}"""
    ).fetchnumpy()
    nodes, labels = smallest_reachable(left=edges["form_key"], right=edges["right_id"])
    grouped = pa.table({"form_key": pa.array(nodes, pa.uint64()), "label": pa.array(labels, pa.uint64())})
    con.register("grouped", grouped)
    first = int(state["next_person_id"])
    con.execute(
        f"""CREATE OR REPLACE TABLE fresh AS
        SELECT form_key, {first} - 1 + dense_rank() OVER (ORDER BY label) AS person_id, count(*) OVER (
            PARTITION BY label) AS forms
        FROM (SELECT r.form_key, coalesce(g.label, r.form_key) AS label
            FROM rest_f r LEFT JOIN grouped g USING (form_key))"""
    )
    con.unregister("grouped")
    row = con.sql("SELECT max(person_id) FROM fresh").fetchone()
    state["next_person_id"] = int(row[0]) + 1 if row and row[0] is not None else first
    nearest = "json_object('person', b.person_id, 'posterior', b.score, 'evidence', b.evidence::JSON)"
    con.execute(
        f"""INSERT INTO decided SELECT f.form_key, f.person_id, 'new', b.keys, NULL,
            json_object('same_day_forms', f.forms, 'nearest', CASE WHEN b.person_id IS NOT NULL THEN {nearest} END)
                ::VARCHAR
        FROM fresh f LEFT JOIN best b USING (form_key)"""
    )


def _merge_edges(con: duckdb.DuckDBPyConnection, folder: Path, *, threshold: float) -> pa.Table:
    """(person_id, other_person_id, form_key, evidence): persons a document-linked form shows to be one."""
    apart = corrections.kept_apart(con=con, root=folder)
    return con.sql(
        f"""SELECT least(d.person_id, p.right_id) AS person_id, greatest(d.person_id, p.right_id) AS other_person_id,
            d.form_key, json_object('document', p.document_level, 'name', p.name_level, 'birth_date',
                p.birth_level, 'keys', p.keys, 'score', round(p.odds / (1 + p.odds), 6))::VARCHAR AS evidence
        FROM decided d JOIN per_person p ON p.form_key = d.form_key AND p.right_id <> d.person_id
        WHERE d.method = 'document' AND (p.document_level = 'exact' OR p.odds / (1 + p.odds) >= {threshold})
            AND (least(d.person_id, p.right_id), greatest(d.person_id, p.right_id)) NOT IN (
                SELECT (person_id, other_person_id) FROM {apart})"""
    ).to_arrow_table()


def _write_day(con: duckdb.DuckDBPyConnection, folder: Path, *, day: date) -> None:
    con.execute(
        f"""CREATE OR REPLACE TABLE day_linked AS
        SELECT p.record_id, DATE '{day.isoformat()}' AS day, coalesce(m.to_person_id, d.person_id) AS person_id,
            p.form_key, {", ".join(f"p.{column}" for column in FEATURES)}, d.method, d.keys, d.score, d.evidence
        FROM day_p p JOIN decided d USING (form_key) LEFT JOIN merged m ON m.person_id = d.person_id"""
    )
    columns = ", ".join(FEATURES)
    day_folder = folder / store.RECORDS / f"day={day.isoformat()}"
    store.copy_atomic(con=con, sql=_cast("SELECT * FROM day_linked ORDER BY record_id", store.RECORD_SCHEMA),
                      path=day_folder / f"part-{uuid.uuid4().hex}.parquet")  # fmt: skip
    forms = f"""SELECT person_id, form_key, {columns}, sum(crossings)::BIGINT AS crossings, max(last_day) AS last_day
        FROM (SELECT coalesce(m.to_person_id, i.person_id) AS person_id, i.form_key, {columns}, crossings, last_day
                FROM idx i LEFT JOIN merged m USING (person_id)
            UNION ALL SELECT person_id, form_key, {columns}, count(*), max(day) FROM day_linked GROUP BY ALL)
        GROUP BY person_id, form_key, {columns}"""
    store.copy_atomic(con=con, sql=_cast(forms, store.INDEX_SCHEMA), path=folder / store.FORMS)


_DUCKDB_TYPES = {pa.string(): "VARCHAR", pa.int64(): "BIGINT", pa.uint64(): "UBIGINT", pa.date32(): "DATE",
                 pa.float64(): "DOUBLE"}  # fmt: skip


def _cast(sql: str, schema: pa.Schema) -> str:
    """The query's columns in `schema`'s order and types, so that every file of a table reads alike."""
    columns = ", ".join(f"{field.name}::{_DUCKDB_TYPES[field.type]} AS {field.name}" for field in schema)
    return f"SELECT {columns} FROM ({sql})"
