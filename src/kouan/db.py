"""Engine and session factory from Settings. Services never commit: the caller owns the transaction."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from kouan.settings import get_settings

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# For session.execute(insert(Model), rows): None values are sent as NULL, so rows whose None columns differ
# still go in one executemany (the ORM otherwise starts a new statement at each change of shape: row by row).
ONE_STATEMENT: dict[str, Any] = {"render_nulls": True}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored and returned as UTC, also on SQLite which keeps no zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC timestamp is required")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _sqlite_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA synchronous={get_settings().sqlite_synchronous}")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """Take the write lock when a transaction starts: two writers then queue (busy_timeout) instead of one
    failing at once when its read snapshot turns stale, and SAVEPOINTs work as on PostgreSQL."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


READ_ONLY = "kouan_read_only"
NO_WAIT = "kouan_writer_no_wait"


class WriterBusy(TimeoutError):
    """Another transaction of this process holds SQLite's writer lock, and this one asked not to wait for it."""


class _FileLock:
    """Processes queue for the writer on an advisory lock beside the database file: the kernel hands it to the next
    process at once, where SQLite's busy handler sleeps and retries (1, 2, 5 ... 100 ms)."""

    def __init__(self, path: str) -> None:
        self.path, self.fd = path, -1

    def acquire(self, *, wait: bool) -> bool:
        if self.fd < 0:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            return False
        return True

    def release(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)


def _query_only(connection: Any, *, on: bool) -> None:
    if connection.info.get("kouan_query_only", False) != on:
        connection.exec_driver_sql(f"PRAGMA query_only={int(on)}")
        connection.info["kouan_query_only"] = on


class _WriterQueue:
    """Threads of one process queue for SQLite's single writer on a lock, in turn, and processes on a file lock,
    instead of each sleeping in SQLite's busy handler (which backs off up to 100 ms a try and starves under load).
    Processes that are not kouan still meet the busy timeout."""

    def __init__(self, *, timeout: float, between_processes: _FileLock | None) -> None:
        self.lock, self.timeout, self.files = threading.Lock(), timeout, between_processes

    def begin(self, connection: Any) -> None:
        options = connection.get_execution_options()
        if options.get(READ_ONLY):
            _query_only(connection, on=True)  # a write in a read-only transaction fails loudly, never silently lost
            connection.exec_driver_sql("BEGIN")  # a snapshot to read: no writer lock, no queue
            return
        _query_only(connection, on=False)
        self._take(wait=not options.get(NO_WAIT))
        connection.info["kouan_writer"] = True
        try:
            _sqlite_begin(connection)
        except BaseException:
            self.end(connection)
            raise

    def _take(self, *, wait: bool) -> None:
        if not (self.lock.acquire(timeout=self.timeout) if wait else self.lock.acquire(blocking=False)):
            raise (
                TimeoutError(f"waited {self.timeout:.0f} s for the SQLite writer lock")
                if wait
                else WriterBusy("another thread holds the SQLite writer lock")
            )
        if self.files is not None and not self.files.acquire(wait=wait):
            self.lock.release()
            raise WriterBusy("another process holds the SQLite writer lock")

    def end(self, connection: Any) -> None:
        if connection.info.pop("kouan_writer", False):
            if self.files is not None:
                self.files.release()
            self.lock.release()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10}, pool_use_lifo=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        writers = _WriterQueue(
            timeout=30.0, between_processes=_FileLock(f"{path}-writer.lock") if path and path != ":memory:" else None
        )
        event.listen(engine, "begin", writers.begin)
        event.listen(engine, "commit", writers.end)
        event.listen(engine, "rollback", writers.end)
        return engine
    return create_engine(url, pool_pre_ping=True)


def get_engine(url: str | None = None) -> Engine:
    """The engine for ``url``, or for the configured store (read anew, so a changed setting takes effect)."""
    return _engine_for(url or get_settings().database_url)


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def session_factory(url: str | None = None) -> sessionmaker[Session]:
    return _sessions_for(url or get_settings().database_url)


@lru_cache(maxsize=16)
def _sessions_for(url: str, wait: bool = True) -> sessionmaker[Session]:
    """One factory per store: making a sessionmaker builds a Session class, too dear per request."""
    engine = _engine_for(url)
    return sessionmaker(bind=engine if wait else engine.execution_options(**{NO_WAIT: True}), expire_on_commit=False)


@lru_cache(maxsize=8)
def _reader_for(url: str) -> Engine:
    return _engine_for(url).execution_options(**{READ_ONLY: True})


@contextmanager
def read_only(url: str | None = None) -> Iterator[Session]:
    """A transaction that only reads. On SQLite it does not queue for the writer lock (WAL gives it a snapshot), so
    a quick read such as the token check does not wait behind, or hold up, the writers. Writing in it is an error."""
    session = Session(bind=_reader_for(url or get_settings().database_url), expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()  # ends the transaction and keeps what was read (a rollback would expire it)


@contextmanager
def unit_of_work(url: str | None = None, *, wait: bool = True) -> Iterator[Session]:
    """One transaction: committed when the block ends normally, rolled back when it raises. With ``wait=False`` a
    transaction on SQLite raises ``WriterBusy`` at its first statement, instead of waiting, when another thread of
    this process is writing."""
    session = _sessions_for(url or get_settings().database_url, wait)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
