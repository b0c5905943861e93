"""Persons merged and split after linking, with the evidence of each change, and a crossing's person now.

A merge (found by `index.link_day`, or an officer's `merge`) redirects the absorbed person to the one kept; their
forms become one person's. A split (`split`, an officer's decision or new evidence) moves named crossings to a new
person and rebuilds both persons' forms from their crossings; the two are then kept apart: linking never merges
them again (an officer's `merge` still can). Every change is an event (store.EVENT_SCHEMA).
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from kouan.travel.persons import store
from kouan.travel.persons.components import smallest_reachable
from kouan.travel.persons.features import FEATURES


def _files(paths: list[str]) -> str:
    return "[" + ", ".join(f"'{path}'" for path in paths) + "]"


def _stage_moves(con: duckdb.DuckDBPyConnection, root: Path) -> None:
    for name, path, schema in (
        ("redirects", store.REDIRECTS, store.REDIRECT_SCHEMA),
        ("overrides", store.OVERRIDES, store.OVERRIDE_SCHEMA),
    ):
        con.register(f"{name}_arrow", store.read_or_empty(path=root / path, schema=schema))
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_arrow")
        con.unregister(f"{name}_arrow")


def _events_sql(root: Path) -> str:
    files = store.event_files(root=root)
    return f"read_parquet({_files(files)})" if files else "(SELECT * FROM events_empty)"


def kept_apart(*, con: duckdb.DuckDBPyConnection, root: Path) -> str:
    """Creates `apart` (person_id < other_person_id, both as they are now) from the splits; returns its name."""
    _stage_moves(con, root)
    con.register("events_empty", store.EVENT_SCHEMA.empty_table())
    now = "coalesce((SELECT to_person_id FROM redirects r WHERE r.person_id = {column}), {column})"
    con.execute(
        f"""CREATE OR REPLACE TABLE apart AS SELECT least(a, b) AS person_id, greatest(a, b) AS other_person_id
        FROM (SELECT {now.format(column="e.person_id")} AS a, {now.format(column="e.other_person_id")} AS b
            FROM {_events_sql(root)} e WHERE kind = 'split')"""
    )
    return "apart"


def apply_merges(*, con: duckdb.DuckDBPyConnection, root: Path, edges: pa.Table, day: date) -> None:
    """Creates `merged` (absorbed person → kept person) from the edges, records the redirects and the events."""
    nodes, labels = smallest_reachable(
        left=edges.column("person_id").to_numpy(), right=edges.column("other_person_id").to_numpy()
    )
    absorbed = nodes != labels
    mapping = pa.table({"person_id": nodes[absorbed], "to_person_id": labels[absorbed]}).cast(store.REDIRECT_SCHEMA)
    con.register("merged_arrow", mapping)
    con.execute("CREATE OR REPLACE TABLE merged AS SELECT * FROM merged_arrow")
    con.unregister("merged_arrow")
    if not mapping.num_rows:
        return
    _redirect(con, root, mapping)
    con.register("edges_arrow", edges)
    shown = con.sql(
        """SELECT m.to_person_id AS person_id, m.person_id AS other_person_id,
            list(DISTINCT p.record_id ORDER BY p.record_id) AS record_ids, any_value(e.evidence) AS evidence
        FROM merged m JOIN edges_arrow e ON m.person_id IN (e.person_id, e.other_person_id)
        JOIN day_p p ON p.form_key = e.form_key GROUP BY ALL ORDER BY ALL"""
    ).to_arrow_table()
    con.unregister("edges_arrow")
    _append_events(
        root, [{**row, "kind": "merge", "reason": "a crossing fits both", "day": day} for row in shown.to_pylist()]
    )


def _redirect(con: duckdb.DuckDBPyConnection, root: Path, mapping: pa.Table) -> None:
    """Redirects kept resolved: whatever pointed at an absorbed person now points at the person kept."""
    con.register("mapping_arrow", mapping)
    redirects = con.sql(
        """SELECT r.person_id, coalesce(m.to_person_id, r.to_person_id) AS to_person_id FROM redirects r
        LEFT JOIN mapping_arrow m ON m.person_id = r.to_person_id
        UNION ALL SELECT * FROM mapping_arrow ORDER BY person_id"""
    ).to_arrow_table()
    con.unregister("mapping_arrow")
    store.write_atomic(path=root / store.REDIRECTS, table=redirects.cast(store.REDIRECT_SCHEMA))


def _append_events(root: Path, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        row.setdefault("event_id", uuid.uuid4().hex)
        row.setdefault("record_ids", [])
    store.append_part(folder=root / store.EVENTS, table=pa.Table.from_pylist(rows, schema=store.EVENT_SCHEMA))


def current_sql(root: Path) -> str:
    """SQL of every crossing with its person now (after merges and splits): record_id, person_id, day and the
    link's method, keys, score and evidence. Needs `_stage_moves` first."""
    files = store.record_files(root=root)
    if not files:
        return "(SELECT NULL::VARCHAR AS record_id, NULL::BIGINT AS person_id LIMIT 0)"
    at_link = "coalesce(o.person_id, r.person_id)"
    return f"""(SELECT r.record_id, coalesce(d.to_person_id, {at_link}) AS person_id, r.day, r.form_key,
            {", ".join(f"r.{column}" for column in FEATURES)}, r.method, r.keys, r.score, r.evidence
        FROM read_parquet({_files(files)}) r LEFT JOIN overrides o USING (record_id)
        LEFT JOIN redirects d ON d.person_id = {at_link})"""


def current_persons(*, root: str | Path) -> pa.Table:
    """Every crossing in the index with its person now and the evidence it was linked on."""
    folder, con = Path(root), duckdb.connect()
    _stage_moves(con, folder)
    return con.sql(f"SELECT * FROM {current_sql(folder)} ORDER BY record_id").to_arrow_table()


def events(*, root: str | Path) -> pa.Table:
    files = store.event_files(root=Path(root))
    if not files:
        return store.EVENT_SCHEMA.empty_table()
    return duckdb.sql(f"SELECT * FROM read_parquet({_files(files)}) ORDER BY day, kind").to_arrow_table()


def merge(*, root: str | Path, keep: int, absorb: int, reason: str, day: date, evidence: dict | None = None) -> int:
    """An officer's merge: `absorb` becomes `keep` (both as they are now); returns the person kept."""
    folder, con = Path(root), duckdb.connect()
    _stage_moves(con, folder)
    keep, absorb = (_now(con, person) for person in (keep, absorb))
    if keep == absorb:
        return keep
    mapping = pa.table({"person_id": [absorb], "to_person_id": [keep]}).cast(store.REDIRECT_SCHEMA)
    _redirect(con, folder, mapping)
    _stage_moves(con, folder)
    _rewrite_forms(con, folder, persons=[keep, absorb], replaced="SELECT * FROM idx_merged")
    _append_events(folder, [{"kind": "merge", "day": day, "person_id": keep, "other_person_id": absorb,
                             "reason": reason, "evidence": json.dumps(evidence or {})}])  # fmt: skip
    return keep


def _now(con: duckdb.DuckDBPyConnection, person: int) -> int:
    row = con.execute("SELECT to_person_id FROM redirects WHERE person_id = ?", [person]).fetchone()
    return int(row[0]) if row else person


def _rewrite_forms(con: duckdb.DuckDBPyConnection, root: Path, *, persons: list[int], replaced: str) -> None:
    """forms.parquet with `persons`' rows replaced by their forms rebuilt from their crossings now."""
    listed = ", ".join(str(person) for person in persons)
    forms = store.read_or_empty(path=root / store.FORMS, schema=store.INDEX_SCHEMA)
    con.register("forms_arrow", forms)
    columns = ", ".join(FEATURES)
    con.execute(
        f"""CREATE OR REPLACE TABLE idx_merged AS SELECT * FROM forms_arrow WHERE person_id NOT IN ({listed})
        UNION ALL SELECT person_id, form_key, {columns}, count(*)::BIGINT, max(day) FROM {current_sql(root)}
            WHERE person_id IN ({listed}) GROUP BY ALL"""
    )
    table = con.sql(f"{replaced} ORDER BY person_id").to_arrow_table()
    store.write_atomic(path=root / store.FORMS, table=table.cast(store.INDEX_SCHEMA))


def split(*, root: str | Path, person_id: int, record_ids: list[str], reason: str, day: date) -> int:
    """Moves `record_ids` (crossings of `person_id` now) to a new person, kept apart from it; returns its id."""
    folder, con = Path(root), duckdb.connect()
    _stage_moves(con, folder)
    person = _now(con, person_id)
    theirs = con.execute(
        f"SELECT record_id FROM {current_sql(folder)} WHERE person_id = ? AND list_contains(?, record_id)",
        [person, record_ids],
    ).fetchall()
    if len(theirs) != len(set(record_ids)):
        raise ValueError(f"not every crossing named is person {person}'s")
    state = store.load_state(root=folder)
    new = int(state["next_person_id"])
    state["next_person_id"] = new + 1
    store.save_state(root=folder, state=state)
    moved = pa.table({"record_id": sorted(set(record_ids)), "person_id": [new] * len(set(record_ids))})
    con.register("moved_arrow", moved.cast(store.OVERRIDE_SCHEMA))
    overrides = con.sql(
        "SELECT * FROM overrides ANTI JOIN moved_arrow USING (record_id) UNION ALL SELECT * FROM moved_arrow"
    ).to_arrow_table()
    store.write_atomic(path=folder / store.OVERRIDES, table=overrides.cast(store.OVERRIDE_SCHEMA))
    _stage_moves(con, folder)
    _rewrite_forms(con, folder, persons=[person, new], replaced="SELECT * FROM idx_merged")
    _append_events(folder, [{"kind": "split", "day": day, "person_id": person, "other_person_id": new,
                             "record_ids": sorted(set(record_ids)), "reason": reason, "evidence": "{}"}])  # fmt: skip
    return new
