"""The lawful information request table: who asked, about whom, under which basis, what was decided and answered."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kouan.db import Base, UTCDateTime, utcnow


class RequestStatus(StrEnum):
    requested = "requested"
    approved = "approved"
    refused = "refused"


class InfoRequest(Base):
    """A lawful information request (依法提供必要的协助): an agency asks about a person, with a basis and a purpose."""

    __tablename__ = "info_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), index=True)
    subject: Mapped[dict[str, Any]] = mapped_column(JSON)  # who is asked about: document, nationality, names
    legal_basis: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=RequestStatus.requested.value)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
