"""Partner agencies (联防联控单位) and the outbox of events owed to them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kouan.db import Base, UTCDateTime, utcnow


class AgencyKind(StrEnum):
    customs_quarantine = "customs_quarantine"  # 海关卫生检疫, at a port
    health_commission = "health_commission"  # 卫健委 / 疾控, of a province, city or district
    local_government = "local_government"  # 地方政府 / 社区防控
    embassy = "embassy"  # 使领馆
    maritime_authority = "maritime_authority"  # 海事局, at a seaport: pilots, anchorage, berthing


class Agency(Base):
    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24))
    port: Mapped[str | None] = mapped_column(String(5), index=True)  # IATA airport or UN/LOCODE seaport
    division: Mapped[str | None] = mapped_column(String(6), index=True)  # adcode prefix: 2, 4 or 6 digits
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    webhook_secret: Mapped[str | None] = mapped_column(String(200))  # whsec_… (Standard Webhooks)
    token_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


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


class AgencyCreate(BaseModel):
    code: str = Field(min_length=2, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str = Field(min_length=1, max_length=200)
    kind: AgencyKind
    port: str | None = Field(default=None, max_length=5)
    division: str | None = Field(default=None, pattern=r"^\d{2}(\d{2}){0,2}$")
    webhook_url: str | None = Field(default=None, max_length=500)


class AgencyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    code: str
    name: str
    kind: AgencyKind
    port: str | None
    division: str | None
    webhook_url: str | None
    active: bool


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
