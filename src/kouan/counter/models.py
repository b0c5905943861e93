"""One counter check: what was scanned, what was found and flagged, the temperature, and the officer's decision."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kouan.db import Base, UTCDateTime, utcnow


class CounterCheck(Base):
    __tablename__ = "counter_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    officer: Mapped[str] = mapped_column(String(64))
    port: Mapped[str] = mapped_column(String(5))
    scanned: Mapped[str] = mapped_column(String(8))  # mrz, bcbp, code
    direction: Mapped[str] = mapped_column(String(5), default="entry", server_default="entry")  # entry, exit
    surname: Mapped[str | None] = mapped_column(String(70))
    given_names: Mapped[str | None] = mapped_column(String(70))
    document_number: Mapped[str | None] = mapped_column(String(35), index=True)
    nationality: Mapped[str | None] = mapped_column(String(3))  # as scanned: the lists' checks need them
    birth_date: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(1))
    flight: Mapped[str | None] = mapped_column(String(12))
    traveller_id: Mapped[int | None] = mapped_column(ForeignKey("traveller.id", ondelete="SET NULL"), index=True)
    declaration_id: Mapped[int | None] = mapped_column(ForeignKey("declaration.id", ondelete="SET NULL"))
    temperature: Mapped[float | None] = mapped_column(Float)
    symptoms: Mapped[list[str]] = mapped_column(JSON, default=list)
    flags: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    decision: Mapped[str | None] = mapped_column(String(12))  # release, refer, refuse, divert (exit: release, refuse)
    reason: Mapped[str | None] = mapped_column(Text)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
