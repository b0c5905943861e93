"""Tables of the registry: voyages (with a version per carrier message), their legs, travellers and the stays that
make a history."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import JSON, ColumnElement, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, case
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kouan.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from kouan.measures.models import ArrivalZone


Direction = Literal["entry", "exit"]
ENTRY: Direction = "entry"
EXIT: Direction = "exit"


class Voyage(Base):
    """One flight (carrier + number + departure date of the leg into our port, or, for a departure, of the leg
    leaving it). ``direction`` says which: an entry is filed at its destination, an exit at its origin
    (``our_port``)."""

    __tablename__ = "voyage"
    __table_args__ = (UniqueConstraint("carrier", "number", "flight_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier: Mapped[str] = mapped_column(String(3))
    number: Mapped[str] = mapped_column(String(8))
    flight_date: Mapped[date] = mapped_column(Date)
    origin: Mapped[str | None] = mapped_column(String(5))
    destination: Mapped[str | None] = mapped_column(String(5))
    scheduled_arrival: Mapped[datetime | None] = mapped_column(UTCDateTime())
    direction: Mapped[Direction] = mapped_column(String(5), default=ENTRY, server_default=ENTRY)
    scheduled_departure: Mapped[datetime | None] = mapped_column(UTCDateTime())  # from our port, for an exit
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("arrival_zone.id", ondelete="SET NULL"))
    zone_reason: Mapped[str | None] = mapped_column(String(300))
    aircraft: Mapped[str | None] = mapped_column(String(8))  # ICAO type ("A333"): the seat layout for contacts
    policy: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    zone: Mapped[ArrivalZone | None] = relationship(viewonly=True)

    versions: Mapped[list[VoyageVersion]] = relationship(
        back_populates="voyage", order_by="VoyageVersion.version", cascade="all, delete-orphan"
    )

    @hybrid_property
    def our_port(self) -> str | None:
        """The voyage's own port: where it enters (its destination) or where it leaves from (its origin)."""
        return self.origin if self.direction == EXIT else self.destination

    @our_port.inplace.expression
    @classmethod
    def _our_port_expression(cls) -> ColumnElement[str | None]:
        return case((cls.direction == EXIT, cls.origin), else_=cls.destination)


class VoyageVersion(Base):
    """One carrier message for a voyage; a later message is a new version, the same message is not."""

    __tablename__ = "voyage_version"
    __table_args__ = (
        UniqueConstraint("voyage_id", "version"),
        UniqueConstraint("voyage_id", "message_sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    voyage_id: Mapped[int] = mapped_column(ForeignKey("voyage.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    message_type: Mapped[str] = mapped_column(String(12))
    message_sha256: Mapped[str] = mapped_column(String(64))
    message_reference: Mapped[str | None] = mapped_column(String(35))
    declared_count: Mapped[int | None] = mapped_column(Integer)
    warnings: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    raw: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    voyage: Mapped[Voyage] = relationship(back_populates="versions")
    legs: Mapped[list[Leg]] = relationship(order_by="Leg.seq", cascade="all, delete-orphan")
    travellers: Mapped[list[Traveller]] = relationship(order_by="Traveller.seq", cascade="all, delete-orphan")


class Leg(Base):
    __tablename__ = "leg"

    id: Mapped[int] = mapped_column(primary_key=True)
    voyage_version_id: Mapped[int] = mapped_column(ForeignKey("voyage_version.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    carrier: Mapped[str | None] = mapped_column(String(3))
    number: Mapped[str | None] = mapped_column(String(8))
    origin: Mapped[str | None] = mapped_column(String(5))
    destination: Mapped[str | None] = mapped_column(String(5))
    departure_local: Mapped[datetime | None] = mapped_column()
    arrival_local: Mapped[datetime | None] = mapped_column()


class Traveller(Base):
    """A person as listed on one version of a voyage's manifest."""

    __tablename__ = "traveller"

    id: Mapped[int] = mapped_column(primary_key=True)
    voyage_version_id: Mapped[int] = mapped_column(ForeignKey("voyage_version.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(12))
    surname: Mapped[str] = mapped_column(String(70))
    given_names: Mapped[str] = mapped_column(String(70))
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[date | None] = mapped_column(Date, index=True)  # with the document: earlier voyages' candidates
    nationality: Mapped[str | None] = mapped_column(String(3))
    document_type: Mapped[str | None] = mapped_column(String(3))
    document_number: Mapped[str | None] = mapped_column(String(35), index=True)
    document_issuer: Mapped[str | None] = mapped_column(String(3))
    document_expiry: Mapped[date | None] = mapped_column(Date)
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    embarkation: Mapped[str | None] = mapped_column(String(5))
    debarkation: Mapped[str | None] = mapped_column(String(5))
    seat: Mapped[str | None] = mapped_column(String(5))
    booking_ref: Mapped[str | None] = mapped_column(String(35))
    address: Mapped[str | None] = mapped_column(String(300))  # PAXLST NAD: where the traveller stays
    listed_sha256: Mapped[str | None] = mapped_column(String(64))  # as listed (registry.carry): same on a re-send

    stays: Mapped[list[Stay]] = relationship(cascade="all, delete-orphan", order_by="Stay.stay_date")
    voyage_version: Mapped[VoyageVersion] = relationship(viewonly=True)


class Stay(Base):
    """A place in someone's recent history, on a date, with where we learned it."""

    __tablename__ = "stay"
    __table_args__ = (Index("ix_stay_region_date", "region_code", "stay_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    traveller_id: Mapped[int] = mapped_column(ForeignKey("traveller.id", ondelete="CASCADE"), index=True)
    region_code: Mapped[str] = mapped_column(String(8))
    place: Mapped[str | None] = mapped_column(String(5))
    stay_date: Mapped[date] = mapped_column(Date)  # the last day known in the place
    date_from: Mapped[date | None] = mapped_column(Date)  # the first, when a source gives a span
    source: Mapped[str] = mapped_column(String(32))
    evidence: Mapped[str | None] = mapped_column(String(200))  # e.g. "PNR ABC123", "exit record 2020-02-28 PEK"
