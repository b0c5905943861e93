"""Partner agencies (联防联控单位): who they are, what kind, where they work, how they are reached."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from kouan.db import Base, UTCDateTime, utcnow


class AgencyKind(StrEnum):
    customs_quarantine = "customs_quarantine"  # 海关卫生检疫, at a port
    health_commission = "health_commission"  # 卫健委 / 疾控, of a province, city or district
    local_government = "local_government"  # 地方政府 / 社区防控
    embassy = "embassy"  # 使领馆
    maritime_authority = "maritime_authority"  # 海事局, at a seaport: pilots, anchorage, berthing


class Agency(Base):
    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24))
    port: Mapped[str | None] = mapped_column(String(5), index=True)  # IATA airport or UN/LOCODE seaport
    division: Mapped[str | None] = mapped_column(String(6), index=True)  # adcode prefix: 2, 4 or 6 digits
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    webhook_secret: Mapped[str | None] = mapped_column(String(200))  # whsec_… (Standard Webhooks)
    token_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AgencyCreate(BaseModel):
    code: str = Field(min_length=2, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str = Field(min_length=1, max_length=200)
    kind: AgencyKind
    port: str | None = Field(default=None, max_length=5)
    division: str | None = Field(default=None, pattern=r"^\d{2}(\d{2}){0,2}$")
    webhook_url: str | None = Field(default=None, max_length=500)


class AgencyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    code: str
    name: str
    kind: AgencyKind
    port: str | None
    division: str | None
    webhook_url: str | None
    active: bool
