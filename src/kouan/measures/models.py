"""Regions and the time-versioned risk kept for each: when a figure applies and when we knew it."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Date, Float, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kouan.db import Base, UTCDateTime, utcnow


class Region(Base):
    """A country (ISO alpha-3) or a Chinese province (ISO 3166-2, e.g. CN-HB) that risk is kept for."""

    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    name_zh: Mapped[str | None] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(12))
    parent: Mapped[str | None] = mapped_column(String(8))


class RegionRisk(Base):
    """One figure for a region: it describes ``data_date`` and was known from ``recorded_at``.

    A correction is a new row with a later ``recorded_at``; nothing is overwritten, so a screening
    "as known on" an earlier day can be reproduced.
    """

    __tablename__ = "region_risk"
    __table_args__ = (
        UniqueConstraint("region_code", "data_date", "source", "recorded_at"),
        Index("ix_region_risk_recorded", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(8), index=True)
    data_date: Mapped[date] = mapped_column(Date)
    rate_14d: Mapped[float | None] = mapped_column(Float)
    new_14d: Mapped[int | None] = mapped_column(Integer)
    population: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RegionRiskRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    region_code: str
    data_date: date
    rate_14d: float | None
    level: str
    source: str
    recorded_at: datetime


class ImportSummary(BaseModel):
    rows_read: int
    rows_added: int
    rows_unchanged: int
    rows_skipped: int
    regions: int
    first_date: date | None
    last_date: date | None
