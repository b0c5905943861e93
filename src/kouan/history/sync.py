"""Appending the operational store's arrived crossings to the history, each once (``kouan history sync``).

A voyage is appended once it has arrived (``scheduled_arrival`` at or before ``until``; without a schedule, its
arrival day before ``until``'s) and was screened, a departure (not screened) once it has left
(``scheduled_departure`` at or before ``until``, or its flight date before ``until``'s); its rows are
:func:`kouan.history.from_store.crossing_rows`.
Three steps, each voyage going through them in a batch of at most :data:`BATCH_VOYAGES`:

1. claim (one transaction, committed): a :class:`~kouan.history.models.HistoryAppend` row per voyage, with its batch
   and its last manifest version, ``written_at`` NULL;
2. write: the batch's rows appended under the batch's own file name (``part-<batch>.parquet`` in each day);
3. record (one transaction per batch, committed): ``written_at``.

A run first writes every batch claimed and not yet recorded, its own and those a crashed run left. A crash after
the claim loses nothing (the next run writes the batch); a crash between the write and the record doubles nothing
(the next run writes the batch again under the same names, which replaces its files: the reader keeps every row,
it does not dedupe). A second run with nothing new arrived appends nothing.

A late correction (a manifest version, a booking or a declaration filed after the voyage was claimed) is recorded
in the store and re-screened there, but the history keeps the crossing as it was answered at arrival: no second
row, no changed row. Two syncs at once: the second's claim fails on the primary key and changes nothing.

:func:`sync_history` is the job the command runs, not a service: it owns its transactions, because the Parquet
write must sit between two commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.orm import Session

from kouan.db import unit_of_work, utcnow
from kouan.history.from_store import Rows, crossing_rows
from kouan.history.models import HistoryAppend
from kouan.history.store import append, remove_named
from kouan.screening.known_now import chunks
from kouan.screening.models import ScreeningResult
from kouan.travel.registry.models import ENTRY, EXIT, Voyage, VoyageVersion

BATCH_VOYAGES = 500  # bounds the rows held in memory at once; a port's night is one batch
Progress = Callable[[Iterable[str], int], Iterable[str]]  # the batches and how many: a bar


@dataclass
class Synced:
    """What a run appended: voyages, crossings and stays, and the days they went to."""

    voyages: int = 0
    crossings: int = 0
    stays: int = 0
    days: set[date] = field(default_factory=set)

    def add(self, *, voyages: int, rows: Rows) -> None:
        self.voyages += voyages
        self.crossings += rows.crossings.num_rows
        self.stays += rows.stays.num_rows
        self.days.update(pc.unique(rows.crossings["day"]).to_pylist())

    def as_json(self) -> dict[str, Any]:
        days = [d.isoformat() for d in sorted(self.days)]
        return {"voyages": self.voyages, "crossings": self.crossings, "stays": self.stays, "days": days}


def arrived(*, session: Session, until: datetime) -> dict[int, int]:
    """The screened voyages arrived by ``until``, and the departures left by then, not claimed yet: voyage id → last
    manifest version."""
    claimed = select(HistoryAppend.voyage_id).where(HistoryAppend.voyage_id == Voyage.id).exists()
    screened = (
        select(ScreeningResult.id)
        .where(ScreeningResult.voyage_id == Voyage.id, ScreeningResult.known_on.is_(None))
        .exists()
    )
    landed = or_(
        Voyage.scheduled_arrival <= until,
        and_(Voyage.scheduled_arrival.is_(None), Voyage.flight_date < until.date()),
    )
    left = or_(
        Voyage.scheduled_departure <= until,
        and_(Voyage.scheduled_departure.is_(None), Voyage.flight_date < until.date()),
    )
    crossed = or_(and_(Voyage.direction == ENTRY, landed, screened), and_(Voyage.direction == EXIT, left))
    query = (
        select(Voyage.id, func.max(VoyageVersion.version))
        .join(VoyageVersion, VoyageVersion.voyage_id == Voyage.id)
        .where(crossed, ~claimed)
        .group_by(Voyage.id)
        .order_by(Voyage.id)
    )
    return {voyage_id: version for voyage_id, version in session.execute(query)}


def claim(*, session: Session, until: datetime, size: int = BATCH_VOYAGES) -> list[str]:
    """Claims the voyages :func:`arrived` finds, in batches of ``size``; returns the new batches' names."""
    found = arrived(session=session, until=until)
    batches = []
    for ids in chunks(list(found), size):
        batch, now = uuid.uuid4().hex, utcnow()
        rows = [{"voyage_id": i, "batch": batch, "last_version": found[i], "claimed_at": now} for i in ids]
        session.execute(insert(HistoryAppend), rows)
        batches.append(batch)
    return batches


def pending(*, session: Session) -> list[tuple[str, int]]:
    """The batches claimed and not yet recorded as written, oldest first, with their number of voyages."""
    query = (
        select(HistoryAppend.batch, func.count())
        .where(HistoryAppend.written_at.is_(None))
        .group_by(HistoryAppend.batch)
        .order_by(func.min(HistoryAppend.claimed_at), HistoryAppend.batch)
    )
    return [(batch, count) for batch, count in session.execute(query)]


def batch_versions(*, session: Session, batch: str) -> dict[int, int]:
    """The voyages of ``batch`` and the last manifest version each was claimed at."""
    query = select(HistoryAppend.voyage_id, HistoryAppend.last_version).where(HistoryAppend.batch == batch)
    return {voyage_id: version for voyage_id, version in session.execute(query)}


def write_batch(*, root: str | Path, batch: str, rows: Rows) -> list[Path]:
    """Writes ``rows`` as ``batch``'s files (replacing any it wrote before) and removes its files left elsewhere."""
    written = []
    if rows.crossings.num_rows:
        written = append(root=root, crossings=rows.crossings, stays=rows.stays, name=batch)
    remove_named(root=root, name=batch, keep=written)
    return written


def mark_written(*, session: Session, batch: str) -> None:
    """Records that ``batch``'s files are in place."""
    session.execute(update(HistoryAppend).where(HistoryAppend.batch == batch).values(written_at=utcnow()))


def sync_history(
    *, url: str | None, root: str | Path, until: datetime, port: str, progress: Progress | None = None
) -> Synced:
    """Claims what arrived by ``until``, then writes and records every pending batch (see the module)."""
    with unit_of_work(url) as session:
        claim(session=session, until=until)
        batches = pending(session=session)
    sizes = dict(batches)
    names: Iterable[str] = list(sizes)
    done = Synced()
    for batch in progress(names, len(sizes)) if progress else names:
        done.add(voyages=sizes[batch], rows=_sync_batch(url=url, root=root, batch=batch, port=port))
    return done


def _sync_batch(*, url: str | None, root: str | Path, batch: str, port: str) -> Rows:
    with unit_of_work(url) as session:
        rows = crossing_rows(session=session, last_versions=batch_versions(session=session, batch=batch), port=port)
    write_batch(root=root, batch=batch, rows=rows)
    with unit_of_work(url) as session:
        mark_written(session=session, batch=batch)
    return rows
