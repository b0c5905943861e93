"""Importing a list as a new version, listing lists, a version's differences and the entries in force.

Services never commit: the caller owns the transaction. An import is all or nothing (the file is read whole
first, :func:`kouan.watchlist.entries.read_entries`); two imports of one list at once make one version, the other
is refused (the version's unique constraint).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session

from kouan import errors
from kouan.audit.service import record
from kouan.db import ONE_STATEMENT
from kouan.watchlist.entries import Entry, ReadEntries
from kouan.watchlist.models import (
    ChangesRead,
    EntryChange,
    ListKind,
    ListRead,
    VersionRead,
    Watchlist,
    WatchlistEntry,
    WatchlistVersion,
)

CHUNK = 900  # ids per IN list


@dataclass(frozen=True)
class Source:
    """Where an import came from: the file's name, its form (csv, json, ftm) and who imported it."""

    name: str
    form: str
    actor: str


def import_list(*, session: Session, name: str, kind: ListKind, read: ReadEntries, source: Source) -> VersionRead:
    """The entries as the list's next version: new keys added, changed ones replaced, missing ones removed."""
    watchlist = _list_for_import(session=session, name=name, kind=kind)
    version = (session.scalar(select(func.max(WatchlistVersion.version)).where(
        WatchlistVersion.watchlist_id == watchlist.id)) or 0) + 1  # fmt: skip
    current = _current(session=session, watchlist_id=watchlist.id)
    incoming = {entry.key: entry for entry in read.entries}
    changed = [k for k, e in incoming.items() if k in current and current[k][1] != e.as_json()]
    closed = [current[k][0] for k in changed] + [row_id for k, (row_id, _) in current.items() if k not in incoming]
    _close(session=session, ids=closed, version=version)
    fresh = [e for k, e in incoming.items() if k not in current or k in changed]
    _insert(session=session, watchlist_id=watchlist.id, version=version, entries=fresh)
    row = WatchlistVersion(watchlist_id=watchlist.id, version=version, source=source.name[:200], form=source.form,
                           imported_by=source.actor, entries=len(incoming), added=len(fresh) - len(changed),
                           removed=len(closed) - len(changed), changed=len(changed), skipped=read.skipped)  # fmt: skip
    session.add(row)
    session.flush()
    read_model = version_read(watchlist=watchlist, row=row)
    record(session=session, actor=source.actor, action="watchlist.import", entity="watchlist", entity_id=name,
           after=read_model.model_dump(mode="json", exclude={"imported_at"}))  # fmt: skip
    return read_model


def _list_for_import(*, session: Session, name: str, kind: ListKind) -> Watchlist:
    found = session.scalar(select(Watchlist).where(Watchlist.name == name))
    if found is not None and found.kind != kind.value:
        raise errors.Conflict(f"list {name!r} is a {found.kind} list, not {kind.value}")
    if found is None:
        found = Watchlist(name=name, kind=kind.value)
        session.add(found)
        session.flush()
    return found


def _current(*, session: Session, watchlist_id: int) -> dict[str, tuple[int, dict[str, Any]]]:
    rows = session.execute(
        select(WatchlistEntry.key, WatchlistEntry.id, WatchlistEntry.data).where(
            WatchlistEntry.watchlist_id == watchlist_id, WatchlistEntry.to_version.is_(None)
        )
    )
    return {key: (row_id, data) for key, row_id, data in rows}


def _close(*, session: Session, ids: list[int], version: int) -> None:
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        session.execute(update(WatchlistEntry).where(WatchlistEntry.id.in_(chunk)).values(to_version=version))


def _insert(*, session: Session, watchlist_id: int, version: int, entries: Sequence[Entry]) -> None:
    rows = [
        {"watchlist_id": watchlist_id, "key": e.key, "from_version": version, "to_version": None,
         "data": e.as_json(), "valid_from": e.valid_from, "valid_to": e.valid_to}
        for e in entries
    ]  # fmt: skip
    if rows:
        session.execute(insert(WatchlistEntry), rows, execution_options=ONE_STATEMENT)


def version_read(*, watchlist: Watchlist, row: WatchlistVersion) -> VersionRead:
    return VersionRead(watchlist=watchlist.name, kind=ListKind(watchlist.kind), version=row.version, source=row.source,
                       form=row.form, imported_at=row.imported_at, imported_by=row.imported_by, entries=row.entries,
                       added=row.added, removed=row.removed, changed=row.changed, skipped=row.skipped)  # fmt: skip


def lists(*, session: Session, on: date) -> list[ListRead]:
    """Every list with its latest version, how many entries it holds and how many are in force ``on``."""
    return [_list_read(session=session, watchlist=w, on=on) for w in session.scalars(select(Watchlist).order_by(
        Watchlist.name))]  # fmt: skip


def _list_read(*, session: Session, watchlist: Watchlist, on: date) -> ListRead:
    latest = _version_row(session=session, watchlist=watchlist, version=None)
    current = select(func.count()).where(WatchlistEntry.watchlist_id == watchlist.id,
                                         WatchlistEntry.to_version.is_(None))  # fmt: skip
    return ListRead(name=watchlist.name, kind=ListKind(watchlist.kind), version=latest.version,
                    entries=session.scalar(current) or 0, imported_at=latest.imported_at,
                    in_force=session.scalar(current.where(*_in_force(on))) or 0)  # fmt: skip


def _in_force(on: date) -> tuple[Any, ...]:
    """An entry past its valid-to (or before its valid-from) stops matching."""
    return (
        or_(WatchlistEntry.valid_from.is_(None), WatchlistEntry.valid_from <= on),
        or_(WatchlistEntry.valid_to.is_(None), WatchlistEntry.valid_to >= on),
    )


def watchlist_by_name(*, session: Session, name: str) -> Watchlist:
    found = session.scalar(select(Watchlist).where(Watchlist.name == name))
    if found is None:
        raise errors.NotFound(f"no list {name!r}")
    return found


def versions(*, session: Session, name: str) -> list[VersionRead]:
    watchlist = watchlist_by_name(session=session, name=name)
    rows = session.scalars(select(WatchlistVersion).where(WatchlistVersion.watchlist_id == watchlist.id).order_by(
        WatchlistVersion.version))  # fmt: skip
    return [version_read(watchlist=watchlist, row=row) for row in rows]


def _version_row(*, session: Session, watchlist: Watchlist, version: int | None) -> WatchlistVersion:
    query = select(WatchlistVersion).where(WatchlistVersion.watchlist_id == watchlist.id)
    query = query.where(WatchlistVersion.version == version) if version else query
    found = session.scalars(query.order_by(WatchlistVersion.version.desc()).limit(1)).first()
    if found is None:
        raise errors.NotFound(f"list {watchlist.name!r} has no version {version}")
    return found


def changes(*, session: Session, name: str, version: int) -> ChangesRead:
    """What came in with ``version`` and what left with it, paired by key: added, removed and changed entries."""
    watchlist = watchlist_by_name(session=session, name=name)
    _version_row(session=session, watchlist=watchlist, version=version)
    came = _by_key(session.scalars(_entries(watchlist.id).where(WatchlistEntry.from_version == version)))
    left = _by_key(session.scalars(_entries(watchlist.id).where(WatchlistEntry.to_version == version)))
    return ChangesRead(
        watchlist=name,
        version=version,
        added=[EntryChange(key=k, before=None, after=d) for k, d in came.items() if k not in left],
        removed=[EntryChange(key=k, before=d, after=None) for k, d in left.items() if k not in came],
        changed=[EntryChange(key=k, before=left[k], after=d) for k, d in came.items() if k in left],
    )


def _entries(watchlist_id: int) -> Any:
    return select(WatchlistEntry).where(WatchlistEntry.watchlist_id == watchlist_id).order_by(WatchlistEntry.id)


def _by_key(rows: Iterable[WatchlistEntry]) -> dict[str, dict[str, Any]]:
    return {row.key: row.data for row in rows}


@dataclass(frozen=True)
class InForce:
    """An entry to match against: its list, kind and version (a hit names them) and the entry as imported."""

    watchlist: str
    kind: ListKind
    version: int
    entry: dict[str, Any]

    def in_force(self, on: date) -> bool:
        """Not before its valid-from, not past its valid-to (ISO dates in the entry as imported)."""
        since, until = self.entry.get("valid_from"), self.entry.get("valid_to")
        return (since is None or since <= on.isoformat()) and (until is None or until >= on.isoformat())


def entries_in_force(*, session: Session, on: date | None, kinds: Sequence[ListKind] | None = None) -> list[InForce]:
    """Every current entry in force ``on`` (None: whatever its dates) of ``kinds`` (or of every kind), with its list's
    latest version."""
    query = select(Watchlist, WatchlistEntry).join(WatchlistEntry, WatchlistEntry.watchlist_id == Watchlist.id)
    query = query.where(WatchlistEntry.to_version.is_(None), *(_in_force(on) if on is not None else ()))
    if kinds:
        query = query.where(Watchlist.kind.in_([k.value for k in kinds]))
    latest = latest_versions(session=session)
    return [InForce(watchlist=w.name, kind=ListKind(w.kind), version=latest.get(w.id, 0), entry=e.data)
            for w, e in session.execute(query.order_by(WatchlistEntry.id))]  # fmt: skip


def latest_versions(*, session: Session) -> dict[int, int]:
    """Each list's newest version number, by the list's id."""
    newest = select(WatchlistVersion.watchlist_id, func.max(WatchlistVersion.version))
    return dict(session.execute(newest.group_by(WatchlistVersion.watchlist_id)).all())
