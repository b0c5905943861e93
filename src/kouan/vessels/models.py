"""A vessel's call at a seaport: the Maritime Declaration of Health and the crew list as received, the screening of
the vessel and of each seafarer, and when the early warning went out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import JSON, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kouan.db import Base, UTCDateTime, utcnow


class VesselCall(Base):
    __tablename__ = "vessel_call"
    __table_args__ = (UniqueConstraint("imo", "port", "arrival_date"),)  # a new declaration replaces the call's

    id: Mapped[int] = mapped_column(primary_key=True)
    imo: Mapped[str] = mapped_column(String(7), index=True)
    name: Mapped[str] = mapped_column(String(100))
    flag: Mapped[str | None] = mapped_column(String(3))
    port: Mapped[str] = mapped_column(String(5), index=True)  # UN/LOCODE
    eta: Mapped[datetime | None] = mapped_column(UTCDateTime())
    arrival_date: Mapped[date] = mapped_column(Date)
    arriving_from: Mapped[str | None] = mapped_column(String(100))
    ports_of_call: Mapped[list[str]] = mapped_column(JSON, default=list)  # locodes, for the next call's comparison
    declaration: Mapped[dict[str, Any]] = mapped_column(JSON)  # the MDH as parsed
    crew_list: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the FAL Form 5 as parsed
    warnings: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    level: Mapped[str] = mapped_column(String(12))
    reasons: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    actions: Mapped[list[str]] = mapped_column(JSON, default=list)
    discrepancies: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    as_of: Mapped[date] = mapped_column(Date)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the early warning to the port's agencies
    seafarers: Mapped[list[Seafarer]] = relationship(cascade="all, delete-orphan", order_by="Seafarer.seq")


class Seafarer(Base):
    __tablename__ = "seafarer"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("vessel_call.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    surname: Mapped[str] = mapped_column(String(70))
    given_names: Mapped[str] = mapped_column(String(70))
    nationality: Mapped[str | None] = mapped_column(String(3))
    rank: Mapped[str | None] = mapped_column(String(60))
    document_number: Mapped[str | None] = mapped_column(String(35))
    joined_at: Mapped[str | None] = mapped_column(String(100))
    joined_on: Mapped[date | None] = mapped_column(Date)
    level: Mapped[str] = mapped_column(String(12))
    reasons: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    actions: Mapped[list[str]] = mapped_column(JSON, default=list)


class CallIn(BaseModel):
    """A call as the master (or the agent) sends it: the MDH (JSON) and the crew list (CSV text or JSON)."""

    declaration: dict[str, Any] = Field(description="The Maritime Declaration of Health, as `kouan formats mdh` reads.")
    crew_list: str | dict[str, Any] | None = Field(default=None, description="FAL Form 5: CSV text or JSON.")
    eta: datetime | None = Field(default=None, description="Expected arrival (with its zone).")
    port: str | None = Field(default=None, max_length=5, description="UN/LOCODE; default: where the MDH was submitted.")


class SeafarerRead(BaseModel):
    seq: int
    surname: str
    given_names: str
    nationality: str | None
    rank: str | None
    joined_at: str | None
    joined_on: date | None
    level: str
    reasons: list[dict[str, str]]
    actions: list[str]


class CallRead(BaseModel):
    id: int
    imo: str
    name: str
    flag: str | None
    port: str
    eta: datetime | None
    arrival_date: date
    arriving_from: str | None
    level: str
    reasons: list[dict[str, str]]
    actions: list[str]
    discrepancies: list[dict[str, str]]
    warnings: list[dict[str, str]]
    as_of: date
    received_at: datetime
    warned_at: datetime | None
    crew: list[SeafarerRead]
