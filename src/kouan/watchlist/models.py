"""Watchlists (不准出境 exit bans, 不准入境 entry bans, wanted persons, lost or stolen documents); an import: a version.

An entry row lives from the version that brought it (``from_version``) until the version that dropped or replaced
it (``to_version``; NULL while current), so a version's differences are kept without a copy of the list: what
came in with version *v* and what left with it, paired by the entry's key.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kouan.db import Base, UTCDateTime, utcnow


class ListKind(StrEnum):
    exit_ban = "exit_ban"  # 不准出境
    entry_ban = "entry_ban"  # 不准入境
    wanted = "wanted"
    lost_or_stolen_document = "lost_or_stolen_document"


class Watchlist(Base):
    __tablename__ = "watchlist"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WatchlistVersion(Base):
    __tablename__ = "watchlist_version"
    __table_args__ = (UniqueConstraint("watchlist_id", "version"),)  # two imports at once: one wins, one is 409

    id: Mapped[int] = mapped_column(primary_key=True)
    watchlist_id: Mapped[int] = mapped_column(ForeignKey("watchlist.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(200))  # the file's name, as given
    form: Mapped[str] = mapped_column(String(8))  # csv, json, ftm
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(64))
    entries: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer)
    removed: Mapped[int] = mapped_column(Integer)
    changed: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[int] = mapped_column(Integer, default=0)


class WatchlistEntry(Base):
    __tablename__ = "watchlist_entry"
    __table_args__ = (
        Index("ix_watchlist_entry_current", "watchlist_id", "to_version", "key"),
        Index("ix_watchlist_entry_came", "watchlist_id", "from_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    watchlist_id: Mapped[int] = mapped_column(ForeignKey("watchlist.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    from_version: Mapped[int] = mapped_column(Integer)
    to_version: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # :meth:`kouan.watchlist.entries.Entry.as_json`
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class VersionRead(BaseModel):
    watchlist: str
    kind: ListKind
    version: int
    source: str
    form: str
    imported_at: datetime
    imported_by: str
    entries: int
    added: int
    removed: int
    changed: int
    skipped: int


class ListRead(BaseModel):
    name: str
    kind: ListKind
    version: int
    entries: int
    in_force: int
    imported_at: datetime


class EntryChange(BaseModel):
    key: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ChangesRead(BaseModel):
    watchlist: str
    version: int
    added: list[EntryChange]
    removed: list[EntryChange]
    changed: list[EntryChange]
