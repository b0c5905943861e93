"""The history as ibis tables on DuckDB or Spark, reading only the day partitions asked for.

A read names its files (:func:`kouan.history.store.day_files`): pruning is done here, before the backend sees a
path, so DuckDB and Spark open exactly the same files. The day comes from the hive-style folder name.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends import BaseBackend

from kouan.history.schema import CROSSINGS_SCHEMA, DAY_SCHEMA, STORED_STAYS_SCHEMA
from kouan.history.store import CROSSINGS, STAYS, day_files


@dataclass(frozen=True)
class History:
    """The crossings and stays of the days read, with the files they came from (empty when none)."""

    crossings: ir.Table
    stays: ir.Table
    files: tuple[Path, ...]


def open_history(*, con: BaseBackend, root: str | Path, days: Iterable[date] | None = None) -> History:
    """The history under ``root`` for ``days`` (all when None) on ``con`` (``screening.inputs.connect``)."""
    wanted = None if days is None else list(days)
    crossings, crossing_files = open_table(con=con, root=root, table=CROSSINGS, days=wanted)
    stays, stay_files = open_table(con=con, root=root, table=STAYS, days=wanted)
    return History(crossings=crossings, stays=stays, files=crossing_files + stay_files)


def open_table(
    *, con: BaseBackend, root: str | Path, table: str, days: Iterable[date] | None = None
) -> tuple[ir.Table, tuple[Path, ...]]:
    """One of the history's tables (crossings or stays, with ``day``) for ``days``, and the files it reads."""
    files = day_files(root=root, table=table, days=days)
    schema = CROSSINGS_SCHEMA if table == CROSSINGS else STORED_STAYS_SCHEMA
    return _table(con=con, base=Path(root) / table, files=files, schema=schema), tuple(files)


def _table(*, con: BaseBackend, base: Path, files: list[Path], schema: pa.Schema) -> ir.Table:
    typed = ibis.Schema.from_pyarrow(pa.schema([*schema, *DAY_SCHEMA]))
    if not files:
        return ibis.memtable(pa.Table.from_pylist([], schema=pa.schema([*schema, *DAY_SCHEMA])))
    if con.name == "pyspark":
        table = _spark_table(con=con, base=base, files=files)
    else:
        table = con.read_parquet([str(f) for f in files], hive_partitioning=True)
    return table.select(*typed.names).cast(typed)


def _spark_table(*, con: Any, base: Path, files: list[Path]) -> ir.Table:
    name = f"kouan_history_{uuid.uuid4().hex}"
    frame = con._session.read.option("basePath", str(base)).parquet(*[str(f) for f in files])
    frame.createOrReplaceTempView(name)
    return con.table(name)


def release_history(*, con: BaseBackend, history: History) -> None:
    """Drops the Spark temp views of ``history`` (DuckDB's go with its connection)."""
    release_tables(con=con, tables=(history.crossings, history.stays))


def release_tables(*, con: BaseBackend, tables: tuple[ir.Table, ...]) -> None:
    """Drops the Spark temp views the history's ``tables`` read (DuckDB's go with its connection)."""
    if con.name != "pyspark":
        return
    for table in tables:
        for name in _view_names(table):
            con._session.catalog.dropTempView(name)


def _view_names(table: ir.Table) -> list[str]:
    from ibis.expr.operations import DatabaseTable

    return [op.name for op in table.op().find(DatabaseTable) if op.name.startswith("kouan_history_")]
