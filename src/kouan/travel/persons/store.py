"""The person index on disk: Parquet files under one folder (by convention ``persons/`` beside the crossing history,
``Settings.crossing_history_path() / "persons"``).

``records/day=YYYY-MM-DD/part-<n>.parquet``
    Each crossing once, as linked on its day (RECORD_SCHEMA): its person then, its features, and the evidence of
    the link (method, the blocking keys that found the person, score, the levels as JSON). Never rewritten.
``forms.parquet``
    The index proper (FORM_SCHEMA): each person's distinct forms (name parts, birth date, nationality, sex,
    document) with how often each was seen and when last. A new day is compared with these, not with the crossings.
``redirects.parquet`` / ``overrides.parquet``
    Merged persons (person → the person it became) and crossings an officer moved (crossing → person): a
    crossing's person now is its redirected override, else its redirected person at linking.
``events/part-<n>.parquet``
    Every merge and split (EVENT_SCHEMA) with its reason and evidence.
``state.json``
    The next person id and the days linked.

Files are written under a hidden name and renamed into place, so a reader never sees half a file. One linker
writes at a time.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from kouan.travel.persons.features import FORM_SCHEMA

RECORDS, EVENTS, FORMS, REDIRECTS, OVERRIDES, STATE = (
    "records", "events", "forms.parquet", "redirects.parquet", "overrides.parquet", "state.json"
)  # fmt: skip
INDEX_SCHEMA = pa.schema(
    [("person_id", pa.int64()), ("form_key", pa.uint64()), *FORM_SCHEMA, ("crossings", pa.int64()),
     ("last_day", pa.date32())]
)  # fmt: skip
RECORD_SCHEMA = pa.schema(
    [("record_id", pa.string()), ("day", pa.date32()), ("person_id", pa.int64()), ("form_key", pa.uint64()),
     *FORM_SCHEMA, ("method", pa.string()), ("keys", pa.string()), ("score", pa.float64()),
     ("evidence", pa.string())]
)  # fmt: skip
EVENT_SCHEMA = pa.schema(
    [("event_id", pa.string()), ("kind", pa.string()), ("day", pa.date32()), ("person_id", pa.int64()),
     ("other_person_id", pa.int64()), ("record_ids", pa.list_(pa.string())), ("reason", pa.string()),
     ("evidence", pa.string())]
)  # fmt: skip
REDIRECT_SCHEMA = pa.schema([("person_id", pa.int64()), ("to_person_id", pa.int64())])
OVERRIDE_SCHEMA = pa.schema([("record_id", pa.string()), ("person_id", pa.int64())])


def write_atomic(*, path: Path, table: pa.Table) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    hidden = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"
    pq.write_table(table, hidden, compression="zstd")
    return hidden.replace(path)


def copy_atomic(*, con: duckdb.DuckDBPyConnection, sql: str, path: Path) -> Path:
    """A query's rows written by DuckDB straight to Parquet (no Arrow copy in Python), then renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    hidden = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"
    con.execute(f"COPY ({sql}) TO '{hidden}' (FORMAT parquet, COMPRESSION zstd)")
    return hidden.replace(path)


def append_part(*, folder: Path, table: pa.Table) -> Path:
    return write_atomic(path=folder / f"part-{uuid.uuid4().hex}.parquet", table=table)


def read_or_empty(*, path: Path, schema: pa.Schema) -> pa.Table:
    return pq.read_table(path).cast(schema) if path.exists() else schema.empty_table()


def record_files(*, root: Path) -> list[str]:
    return sorted(str(path) for path in (root / RECORDS).glob("day=*/part-*.parquet"))


def event_files(*, root: Path) -> list[str]:
    return sorted(str(path) for path in (root / EVENTS).glob("part-*.parquet"))


def load_state(*, root: Path) -> dict[str, Any]:
    path = root / STATE
    return json.loads(path.read_text()) if path.exists() else {"next_person_id": 1, "days": []}


def save_state(*, root: Path, state: dict[str, Any]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    hidden = root / f".{STATE}.{uuid.uuid4().hex}.tmp"
    hidden.write_text(json.dumps(state, sort_keys=True))
    hidden.replace(root / STATE)
