"""A contact trace: the index cases on a voyage, the rule applied, and the close contacts found (each with the rule,
the index case and the distance in rows); close contacts are referred into the closed loop."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import JSON, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kouan.db import Base, UTCDateTime, utcnow


class ContactTrace(Base):
    __tablename__ = "contact_trace"

    id: Mapped[int] = mapped_column(primary_key=True)
    voyage_id: Mapped[int] = mapped_column(ForeignKey("voyage.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(40))
    applied: Mapped[str] = mapped_column(String(300))
    rule_date: Mapped[date] = mapped_column(Date)  # the day whose rule was applied (the flight's arrival)
    layout: Mapped[str] = mapped_column(String(40))  # the aircraft type, or "inferred"
    index_cases: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{traveller_id, seat}]
    general_count: Mapped[int] = mapped_column(Integer)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)
    found_by: Mapped[str] = mapped_column(String(80))
    found_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    contacts: Mapped[list[Contact]] = relationship(cascade="all, delete-orphan", order_by="Contact.id")


class Contact(Base):
    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    trace_id: Mapped[int] = mapped_column(ForeignKey("contact_trace.id", ondelete="CASCADE"), index=True)
    traveller_id: Mapped[int | None] = mapped_column(ForeignKey("traveller.id", ondelete="SET NULL"), index=True)
    index_traveller_id: Mapped[int | None] = mapped_column(ForeignKey("traveller.id", ondelete="SET NULL"))
    seat: Mapped[str | None] = mapped_column(String(5))
    role: Mapped[str] = mapped_column(String(12))
    rule: Mapped[str] = mapped_column(String(80))
    rows_from_index: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(300))
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id", ondelete="SET NULL"))


class TraceIn(BaseModel):
    """Index cases by traveller id or by seat (at least one), and the rule (the one in force on arrival if none)."""

    traveller_ids: list[int] = Field(default_factory=list, max_length=50)
    seats: list[str] = Field(default_factory=list, max_length=50)
    rule: str | None = Field(default=None, max_length=40)
    refer: bool = Field(default=True, description="Refer close contacts (and the index cases) into the loop.")


class ContactRead(BaseModel):
    traveller_id: int | None
    surname: str | None = None
    given_names: str | None = None
    seat: str | None
    role: str
    rule: str
    rows_from_index: int | None
    reason: str
    index_traveller_id: int | None
    referral_id: int | None


class TraceRead(BaseModel):
    id: int
    voyage_id: int
    rule: str
    applied: str
    rule_date: date
    layout: str
    index_cases: list[dict[str, Any]]
    close: list[ContactRead]
    general_count: int
    notes: list[str]
    found_by: str
    found_at: datetime
