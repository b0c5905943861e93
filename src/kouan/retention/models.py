"""What the purge keeps: counts per day, port and level, with no person in them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kouan.db import Base


class DailyArrivals(Base):
    __tablename__ = "daily_arrivals"
    __table_args__ = (UniqueConstraint("day", "port", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    port: Mapped[str] = mapped_column(String(5))
    level: Mapped[str] = mapped_column(String(12))
    travellers: Mapped[int] = mapped_column(Integer, default=0)
    referrals: Mapped[int] = mapped_column(Integer, default=0)
