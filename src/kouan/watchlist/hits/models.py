"""A hit (who met which entry of which list version, how sure and why) and the decision a confirmed hit becomes.

A hit keeps a snapshot of the person and of the entry as they were when it was found: the list may change and the
manifest be re-sent, and a reviewer must still see what the alert was raised on. Its ``subject`` (a digest of the list,
the entry, the voyage, the ship's call or the counter's port and lane, and the person) makes a re-sent manifest raise
no second hit for one person.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kouan.db import Base, UTCDateTime, utcnow


class HitStatus(StrEnum):
    open = "open"
    confirmed = "confirmed"
    dismissed = "dismissed"


class DecisionKind(StrEnum):
    exit_refused = "exit_refused"  # 不准出境
    entry_refused = "entry_refused"  # 不准入境
    held_for_police = "held_for_police"  # a wanted person: 扣留移交
    document_held = "document_held"  # a lost or stolen document: 证件扣留


class WatchlistHit(Base):
    __tablename__ = "watchlist_hit"
    __table_args__ = (Index("ix_watchlist_hit_queue", "status", "port"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=HitStatus.open.value)
    direction: Mapped[str] = mapped_column(String(5))  # entry, exit
    port: Mapped[str] = mapped_column(String(5))
    voyage_id: Mapped[int | None] = mapped_column(ForeignKey("voyage.id", ondelete="SET NULL"), index=True)
    traveller_id: Mapped[int | None] = mapped_column(ForeignKey("traveller.id", ondelete="SET NULL"), index=True)
    vessel_call_id: Mapped[int | None] = mapped_column(ForeignKey("vessel_call.id", ondelete="SET NULL"))  # crew list
    person: Mapped[dict[str, Any]] = mapped_column(JSON)  # surname, given_names, birth_date, nationality, document
    watchlist: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(32))
    list_version: Mapped[int] = mapped_column(Integer)
    entry_key: Mapped[str] = mapped_column(String(200))
    entry: Mapped[dict[str, Any]] = mapped_column(JSON)  # the entry as imported (names, legal basis, authority ...)
    score: Mapped[float] = mapped_column(Float)
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(Text)


class EnforcementDecision(Base):
    """What a confirmed hit decided about a person, on the legal basis of the list entry: the traveller's record."""

    __tablename__ = "enforcement_decision"
    __table_args__ = (Index("ix_enforcement_decision_document", "document_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hit_id: Mapped[int] = mapped_column(ForeignKey("watchlist_hit.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    traveller_id: Mapped[int | None] = mapped_column(ForeignKey("traveller.id", ondelete="SET NULL"), index=True)
    port: Mapped[str] = mapped_column(String(5))
    surname: Mapped[str] = mapped_column(String(70))
    given_names: Mapped[str] = mapped_column(String(70))
    document_number: Mapped[str | None] = mapped_column(String(35))
    nationality: Mapped[str | None] = mapped_column(String(3))
    legal_basis: Mapped[str | None] = mapped_column(String(300))
    authority: Mapped[str | None] = mapped_column(String(200))
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class HitRead(BaseModel):
    id: int
    status: HitStatus
    direction: str
    port: str
    voyage_id: int | None
    traveller_id: int | None
    vessel_call_id: int | None
    person: dict[str, Any]
    watchlist: str
    kind: str
    list_version: int
    entry_key: str
    entry: dict[str, Any]
    score: float
    explanation: dict[str, Any]
    found_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    reason: str | None

    model_config = {"from_attributes": True}


class DecisionRead(BaseModel):
    id: int
    hit_id: int
    kind: DecisionKind
    traveller_id: int | None
    port: str
    surname: str
    given_names: str
    document_number: str | None
    nationality: str | None
    legal_basis: str | None
    authority: str | None
    decided_by: str
    decided_at: datetime

    model_config = {"from_attributes": True}


class ReviewIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000, description="Why: what the reviewer compared, what was seen.")
