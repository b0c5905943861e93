"""Tables for the other sources of a person's journey: airline bookings (PNR), our own crossings, declarations,
and the links that tie each to a traveller on a manifest, with their evidence."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kouan.db import Base, UTCDateTime, utcnow


class PnrMessage(Base):
    """One PNRGOV push as received; the same content twice is filed once."""

    __tablename__ = "pnr_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    carrier: Mapped[str | None] = mapped_column(String(3))
    number: Mapped[str | None] = mapped_column(String(8))
    flight_date: Mapped[date | None] = mapped_column(Date)
    warnings: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    raw: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    bookings: Mapped[list[PnrBooking]] = relationship(cascade="all, delete-orphan", order_by="PnrBooking.id")


class PnrBooking(Base):
    """A booking (record locator) in a push, with its current air itinerary kept apart from history and
    non-air segments."""

    __tablename__ = "pnr_booking"
    __table_args__ = (Index("ix_pnr_booking_flight", "carrier", "number", "flight_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("pnr_message.id", ondelete="CASCADE"), index=True)
    booking_ref: Mapped[str] = mapped_column(String(35))
    carrier: Mapped[str | None] = mapped_column(String(3))
    number: Mapped[str | None] = mapped_column(String(8))
    flight_date: Mapped[date | None] = mapped_column(Date)
    itinerary: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    other_segments: Mapped[list[Any]] = mapped_column(JSON, default=list)
    history: Mapped[list[Any]] = mapped_column(JSON, default=list)

    passengers: Mapped[list[PnrPassenger]] = relationship(cascade="all, delete-orphan", order_by="PnrPassenger.id")


class PnrPassenger(Base):
    __tablename__ = "pnr_passenger"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("pnr_booking.id", ondelete="CASCADE"), index=True)
    surname: Mapped[str] = mapped_column(String(70))
    given_names: Mapped[str] = mapped_column(String(70))
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[date | None] = mapped_column(Date)
    nationality: Mapped[str | None] = mapped_column(String(3))
    document_number: Mapped[str | None] = mapped_column(String(35), index=True)
    seat: Mapped[str | None] = mapped_column(String(5))

    booking: Mapped[PnrBooking] = relationship(back_populates="passengers")


class Crossing(Base):
    """Our own record of an exit or an entry at a port: who, when, where to/from."""

    __tablename__ = "crossing"
    __table_args__ = (
        UniqueConstraint("direction", "port", "crossed_at", "document_number"),
        Index("ix_crossing_birth_date", "birth_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(String(5))
    port: Mapped[str] = mapped_column(String(5))
    crossed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    surname: Mapped[str] = mapped_column(String(70))
    given_names: Mapped[str] = mapped_column(String(70))
    birth_date: Mapped[date | None] = mapped_column(Date)
    nationality: Mapped[str | None] = mapped_column(String(3))
    document_number: Mapped[str | None] = mapped_column(String(35), index=True)
    country: Mapped[str | None] = mapped_column(String(8))
    flight: Mapped[str | None] = mapped_column(String(10))
    # An entry's permitted stay (what the overstays list reads); None where the record does not say.
    stay_basis: Mapped[str | None] = mapped_column(String(16))
    visa_type: Mapped[str | None] = mapped_column(String(4))
    stay_days: Mapped[int | None] = mapped_column(Integer)
    permit_until: Mapped[date | None] = mapped_column(Date)


class Declaration(Base):
    """A health declaration as filed (by the traveller or in bulk by another channel)."""

    __tablename__ = "declaration"
    __table_args__ = (Index("ix_declaration_flight", "flight", "flight_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    surname: Mapped[str] = mapped_column(String(70))
    given_names: Mapped[str] = mapped_column(String(70))
    birth_date: Mapped[date | None] = mapped_column(Date)
    nationality: Mapped[str | None] = mapped_column(String(3))
    document_number: Mapped[str | None] = mapped_column(String(35), index=True)
    flight: Mapped[str | None] = mapped_column(String(10))
    flight_date: Mapped[date | None] = mapped_column(Date)
    seat: Mapped[str | None] = mapped_column(String(5))
    places: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    address: Mapped[str | None] = mapped_column(String(300))  # where the traveller will be for the next 14 days
    phone: Mapped[str | None] = mapped_column(String(40))
    # The 4th-edition card (from 2020-03-03): the e-declaration code the counter scans, and the health questions.
    code: Mapped[str | None] = mapped_column(String(16), unique=True)
    sex: Mapped[str | None] = mapped_column(String(1))
    occupation: Mapped[str | None] = mapped_column(String(80))
    port_of_entry: Mapped[str | None] = mapped_column(String(5))
    case_contact: Mapped[bool | None] = mapped_column(Boolean)
    symptoms: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    fever_medicine: Mapped[bool | None] = mapped_column(Boolean)  # antipyretics or cold medicine in the last 72 h
    channel: Mapped[str] = mapped_column(String(12), default="bulk", server_default="bulk")  # web, bulk, counter
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TravellerLink(Base):
    """A manifest traveller tied to a record of another source, with how sure and why."""

    __tablename__ = "traveller_link"
    __table_args__ = (UniqueConstraint("traveller_id", "kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    traveller_id: Mapped[int] = mapped_column(ForeignKey("traveller.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(24))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
