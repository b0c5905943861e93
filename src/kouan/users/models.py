"""People who use the API and console, each with a role; they authenticate with a bearer token."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from kouan.db import Base, UTCDateTime, utcnow


class Role(StrEnum):
    officer = "officer"
    analyst = "analyst"
    admin = "admin"


ACTING = frozenset({Role.officer.value, Role.admin.value})  # may change things: refer, decide, trace, file
READING = ACTING | {Role.analyst.value}  # may read what the console shows
ANALYSING = frozenset({Role.analyst.value, Role.admin.value})  # may designate regions and decide lawful requests


class UnitLevel(StrEnum):
    general_station = "general_station"  # 总站
    station = "station"  # 边检站
    duty_team = "duty_team"  # 执勤队


class Unit(Base):
    """Our own organisation. A user of a unit sees the data of that unit and the units below it; a user
    with no unit works at national level and sees everything."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    port: Mapped[str | None] = mapped_column(String(5), index=True)


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    username: str
    role: Role
    unit_id: int | None = None
