"""Stored screening results: one per traveller per run, with its reasons and actions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import JSON, Date, ForeignKey, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from kouan.db import Base, UTCDateTime, utcnow


class ScreeningResult(Base):
    __tablename__ = "screening_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    traveller_id: Mapped[int] = mapped_column(ForeignKey("traveller.id", ondelete="CASCADE"), index=True)
    voyage_id: Mapped[int] = mapped_column(ForeignKey("voyage.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(12))
    level_rank: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[date] = mapped_column(Date)
    known_on: Mapped[date | None] = mapped_column(Date)  # None: as known on as_of; a day: a re-screening's "now"
    classifier: Mapped[str] = mapped_column(String(32))
    inputs_sha256: Mapped[str | None] = mapped_column(String(64))  # what decided it (screening.memo): copied when equal
    stays_sha256: Mapped[str | None] = mapped_column(String(64))  # what the engine read: its reasons taken when equal
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    actions: Mapped[list[str]] = mapped_column(JSON, default=list)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    policy: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    screened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Reason(BaseModel):
    rule: str
    text: str
    region: str
    source_date: date | None
    level: str
    place: str | None = None
    stay_date: date | None = None
    source: str | None = None
    evidence: str | None = None


class PolicyRead(BaseModel):
    decision: str
    rules: list[dict[str, Any]]


class FindingRead(BaseModel):
    kind: str
    region: str
    source: str
    text: str


class TravellerResult(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    traveller_id: int
    surname: str
    given_names: str
    role: str
    nationality: str | None
    seat: str | None
    level: str
    reasons: list[Reason]
    actions: list[str]
    findings: list[FindingRead] = []
    policy: PolicyRead | None = None


class VoyageScreening(BaseModel):
    voyage_id: int
    carrier: str
    number: str
    flight_date: date
    as_of: date
    classifier: str
    results: list[TravellerResult]
    zone: str | None = None
    zone_reason: str | None = None
    policy: dict[str, Any] | None = None
