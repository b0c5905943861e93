"""Appending screened crossings to the history, and finding the day partitions a read needs.

Each append writes one new file per day it touches (never rewriting one, except a named batch's own: see
:func:`append`): a file is written under a hidden name and renamed into place, so a reader sees whole files only,
and appenders in several processes do not collide (each file name is random, or its batch's). Crossings are
written in id order, stays in region order in row groups of 128 Ki rows, so the row groups' statistics let a
re-screen of one region read little more than that region.

Who appends: :mod:`kouan.history.sync` (``kouan history sync``), for the voyages of the operational store that
have arrived, each traveller of the voyage's current manifest as one crossing of its arrival day (level and rank as
screened at arrival, ``known_on`` that screening's day) with its registry stays (``date_from`` or the stay date, the
stay date, the source), under ``Settings.crossing_history_path()``. The reader keeps every row: a crossing appended
twice would be two rows, so the sync appends a voyage once, and names its files after its batch: writing a batch
again (after a crash before the store recorded it) replaces its files instead of adding to them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kouan.history.schema import CROSSINGS_SCHEMA, DAY_SCHEMA, STAYS_SCHEMA, STORED_STAYS_SCHEMA
from kouan.screening.inputs import conform

CROSSINGS, STAYS = "crossings", "stays"
ROW_GROUP_ROWS = 128 * 1024  # stays are sorted by region: a re-screen of a few regions skips the other row groups


def append(*, root: str | Path, crossings: pa.Table, stays: pa.Table, name: str | None = None) -> list[Path]:
    """Appends screened ``crossings`` (the columns of :data:`CROSSINGS_SCHEMA` plus ``day``) and their ``stays``
    (:data:`STAYS_SCHEMA`; each lands in its crossing's day) under ``root``; returns the files written.

    With a ``name``, each day's file is ``part-<name>.parquet`` and replaces the one an earlier append of that name
    wrote on that day (atomically: a reader sees the old file or the new one); without, a new random name.

    Raises ``ValueError`` for a missing column, a null where none is allowed, or a stay of no given crossing.
    """
    days = conform(crossings, schema=DAY_SCHEMA).column("day")
    crossed = conform(crossings, schema=CROSSINGS_SCHEMA).append_column("day", days)
    placed = _stays_by_day(stays=conform(stays, schema=STAYS_SCHEMA), crossings=crossed)
    file_name = f"part-{name or uuid.uuid4().hex}.parquet"
    return _write(root=Path(root) / CROSSINGS, table=crossed, order=("crossing_id",), name=file_name) + _write(
        root=Path(root) / STAYS, table=placed, order=("region_code", "crossing_id"), name=file_name
    )


def _stays_by_day(*, stays: pa.Table, crossings: pa.Table) -> pa.Table:
    ranked = crossings.select(["crossing_id", "day", "level_rank"]).rename_columns(
        ["crossing_id", "day", "crossing_level_rank"]
    )
    placed = stays.join(ranked, "crossing_id", join_type="left outer")
    if placed.column("day").null_count:
        raise ValueError("stays of crossings not in this append")
    return placed.select([*STORED_STAYS_SCHEMA.names, "day"])


def _write(*, root: Path, table: pa.Table, order: tuple[str, ...], name: str) -> list[Path]:
    written = []
    for day in pc.unique(table.column("day")).to_pylist():
        rows = table.filter(pc.equal(table.column("day"), pa.scalar(day, pa.date32()))).drop_columns(["day"])
        sorted_rows = rows.sort_by([(column, "ascending") for column in order])
        written.append(_write_file(folder=day_folder(root=root, day=day), rows=sorted_rows, name=name))
    return written


def _write_file(*, folder: Path, rows: pa.Table, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    hidden = folder / f".{name}.{uuid.uuid4().hex}.tmp"
    pq.write_table(rows, hidden, compression="zstd", row_group_size=ROW_GROUP_ROWS)
    return hidden.replace(folder / name)


def remove_named(*, root: str | Path, name: str, keep: Iterable[Path] = ()) -> list[Path]:
    """Removes the files an append named ``name`` wrote (on any day, in either table) except ``keep``; returns
    them. A batch written again whose rows moved to another day leaves nothing behind on the old one."""
    kept = set(keep)
    found = [f for table in (CROSSINGS, STAYS) for f in (Path(root) / table).glob(f"day=*/part-{name}.parquet")]
    gone = [f for f in found if f not in kept]
    for file in gone:
        file.unlink()
    return gone


def day_folder(*, root: Path, day: date) -> Path:
    return root / f"day={day.isoformat()}"


def day_files(*, root: str | Path, table: str, days: Iterable[date] | None = None) -> list[Path]:
    """The Parquet files of ``table`` (crossings or stays) for ``days`` (every day when None), in day order:
    the only files a read of those days opens."""
    base = Path(root) / table
    folders = sorted(base.glob("day=*")) if days is None else [day_folder(root=base, day=d) for d in sorted(days)]
    return [file for folder in folders for file in sorted(folder.glob("part-*.parquet"))]


def days_between(first: date, last: date) -> list[date]:
    """Every day from ``first`` to ``last``, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def history_days(*, root: str | Path) -> list[date]:
    """The days the history holds crossings for."""
    return [date.fromisoformat(f.name.removeprefix("day=")) for f in sorted((Path(root) / CROSSINGS).glob("day=*"))]
