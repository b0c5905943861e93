"""A referral (推送 / 移交) hands one screened traveller to the customs quarantine of the arrival port and to the
health authority of the destination; its steps are the loop (闭环) from before arrival to the end of monitoring."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kouan.db import Base, UTCDateTime, utcnow


class Referral(Base):
    __tablename__ = "referral"
    __table_args__ = (Index("ix_referral_open_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_key: Mapped[str] = mapped_column(String(64), unique=True)  # one referral per person per voyage
    traveller_id: Mapped[int | None] = mapped_column(ForeignKey("traveller.id", ondelete="SET NULL"), index=True)
    voyage_id: Mapped[int | None] = mapped_column(ForeignKey("voyage.id", ondelete="SET NULL"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"), index=True)
    port: Mapped[str] = mapped_column(String(5))
    flight: Mapped[str] = mapped_column(String(12))
    arrival_date: Mapped[date] = mapped_column(Date)
    level: Mapped[str] = mapped_column(String(12))
    port_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"), index=True)
    destination_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="SET NULL"), index=True)
    destination_address: Mapped[str | None] = mapped_column(String(300))
    destination_division: Mapped[str | None] = mapped_column(String(6))
    destination_source: Mapped[str | None] = mapped_column(String(40))  # declaration / manifest / officer
    subject: Mapped[dict[str, Any]] = mapped_column(JSON)  # personal data snapshot; emptied by the purge
    state: Mapped[str] = mapped_column(String(24))
    state_since: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReferralStep(Base):
    """One move of the loop (or a report that does not move it, such as a test result), by whom and why."""

    __tablename__ = "referral_step"
    __table_args__ = (UniqueConstraint("referral_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    event: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    idempotency_key: Mapped[str | None] = mapped_column(String(80))


class StepRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    at: datetime
    event: str
    from_state: str
    to_state: str
    actor: str
    note: str | None
    data: dict[str, Any] | None


class ReferralRead(BaseModel):
    """The whole referral, as officers of the owning unit see it."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    state: str
    state_since: datetime
    due_at: datetime | None
    overdue: bool = False
    port: str
    flight: str
    arrival_date: date
    level: str
    port_agency_id: int | None
    destination_agency_id: int | None
    destination_address: str | None
    destination_division: str | None
    destination_source: str | None
    subject: dict[str, Any]
    created_at: datetime
    closed_at: datetime | None
    allowed_events: list[str] = []


class ReferralDetail(ReferralRead):
    steps: list[StepRead] = []


class ReferralPage(BaseModel):
    total: int
    overdue: int
    items: list[ReferralRead]


class EventIn(BaseModel):
    event: str = Field(min_length=1, max_length=32)
    note: str | None = Field(default=None, max_length=2000)
    data: dict[str, Any] | None = None
    idempotency_key: str | None = Field(default=None, max_length=80)


class DestinationIn(BaseModel):
    address: str | None = Field(default=None, max_length=300)
    division: str | None = Field(default=None, pattern=r"^\d{2}(\d{2}){0,2}$")
