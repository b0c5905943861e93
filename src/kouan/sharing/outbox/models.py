"""The outbox: events owed to one agency each, written in the transaction that made them, and their delivery state."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kouan.db import Base, UTCDateTime, utcnow


class OutboxStatus(StrEnum):
    pending = "pending"
    delivered = "delivered"
    dead = "dead"  # retries exhausted: visible, re-sendable by hand
    pull = "pull"  # the agency has no webhook: it reads the feed


class OutboxEvent(Base):
    """An event owed to one agency, written in the transaction that changed the referral. ``id`` is the feed
    cursor; ``event_id`` is the idempotency key the receiver sees as ``webhook-id``."""

    __tablename__ = "outbox_event"
    __table_args__ = (Index("ix_outbox_event_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(40), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), index=True)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id", ondelete="SET NULL"), index=True)
    port: Mapped[str | None] = mapped_column(String(5))  # the referral's; None: the agency's port applies
    type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default=OutboxStatus.pending.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OutboxRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    event_id: str
    agency_id: int
    referral_id: int | None
    type: str
    status: str
    attempts: int
    next_attempt_at: datetime
    delivered_at: datetime | None
    last_error: str | None
    created_at: datetime
