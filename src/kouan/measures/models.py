"""Regions and the time-versioned risk kept for each: when a figure applies and when we knew it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Date, Float, Index, Integer, String, Text, UniqueConstraint
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
    # what was added (not printed): the regions and the span of data days that a re-screening looks at again
    added_regions: list[str] = Field(default=[], exclude=True)
    added_first: date | None = Field(default=None, exclude=True)
    added_last: date | None = Field(default=None, exclude=True)


class RegionDesignation(Base):
    """An analyst's designation: a region's level over a period, as recorded at a moment, with reason and document.
    A correction or an end is a new row recorded later; nothing is overwritten."""

    __tablename__ = "region_designation"
    __table_args__ = (Index("ix_region_designation_region", "region_code", "recorded_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(8))
    level: Mapped[str] = mapped_column(String(12))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(64))


class ArrivalZone(Base):
    """A special arrival zone at an airport (e.g. PEK T3-D 专区) that flights from high-risk origins are sent to."""

    __tablename__ = "arrival_zone"
    __table_args__ = (UniqueConstraint("airport", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    airport: Mapped[str] = mapped_column(String(5))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    name_zh: Mapped[str | None] = mapped_column(String(120))
    min_level: Mapped[str] = mapped_column(String(12), default="high")
    active: Mapped[bool] = mapped_column(default=True)


class ForeignMeasure(Base):
    """Another country's entry measure as our analysts publish it for outbound travellers (出境提醒)."""

    __tablename__ = "foreign_measure"
    __table_args__ = (Index("ix_foreign_measure_country", "country", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String(3))
    title: Mapped[str] = mapped_column(String(200))
    title_zh: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    text_zh: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(64))


class DesignationCreate(BaseModel):
    region_code: str = Field(min_length=3, max_length=8, description="ISO alpha-3 country, or CN-XX province.")
    level: Literal["low", "medium", "high"]
    valid_from: date
    valid_to: date | None = Field(default=None, description="First day no longer designated; open when empty.")
    reason: str = Field(min_length=3, max_length=2000)
    reference: str | None = Field(default=None, max_length=200, description="Document reference, e.g. a notice.")


class DesignationRead(DesignationCreate):
    model_config = ConfigDict(from_attributes=True)
    id: int
    recorded_at: datetime
    recorded_by: str


class ForeignMeasureCreate(BaseModel):
    country: str = Field(min_length=2, max_length=3)
    title: str = Field(min_length=3, max_length=200)
    title_zh: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=3)
    text_zh: str = Field(min_length=1)
    source: str = Field(min_length=3, max_length=300)
    valid_from: date
    valid_to: date | None = None


class ForeignMeasureRead(ForeignMeasureCreate):
    model_config = ConfigDict(from_attributes=True)
    id: int
    recorded_at: datetime


class ArrivalZoneCreate(BaseModel):
    airport: str = Field(min_length=3, max_length=5)
    code: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=120)
    name_zh: str | None = Field(default=None, max_length=120)
    min_level: Literal["medium", "high"] = "high"


class ArrivalZoneRead(ArrivalZoneCreate):
    model_config = ConfigDict(from_attributes=True)
    id: int
    active: bool


class DesignationInForce(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    level: str
    valid_from: date
    valid_to: date | None
    reason: str
    reference: str | None
    recorded_at: datetime


class KeyRegionRead(BaseModel):
    region: str = Field(description="ISO alpha-3 country, or CN-XX province.")
    name: str
    level: str = Field(description="The stricter of the figure's level and the designation in force.")
    rate_14d: float | None = Field(description="The 14-day rate per 100,000 in force (null when none is known).")
    source: str | None = Field(description="Where that figure came from, e.g. jhu-csse.")
    data_date: date | None = Field(description="The day that figure describes.")
    designation: DesignationInForce | None = Field(description="The analysts' designation in force, if any.")


class KeyRegionList(BaseModel):
    on: date
    known_on: date
    regions: list[KeyRegionRead]
