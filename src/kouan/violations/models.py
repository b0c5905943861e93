"""A violation case: what happened (its type, and for smuggling the kind and quantity), who was involved, on which
voyage, at which port and by which unit it was dealt with, and how (the disposition)."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field, field_validator, model_validator
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kouan.db import Base, UTCDateTime, utcnow


class ViolationType(StrEnum):
    illegal_crossing = "illegal_crossing"  # 偷渡
    forged_document = "forged_document"  # 伪造、变造证件
    overstay = "overstay"  # 非法居留
    smuggling_goods = "smuggling_goods"  # 走私货物
    smuggling_drugs = "smuggling_drugs"  # 毒品
    epidemic_breach = "epidemic_breach"  # 违反防疫规定，拒绝入境


class Disposition(StrEnum):
    warning = "warning"  # 警告
    fine = "fine"  # 罚款
    detention = "detention"  # 拘留
    refusal = "refusal"  # 不准入境
    handed_to_police = "handed_to_police"  # 移交公安


PORT_CODE = re.compile(r"[A-Z]{3}|[A-Z]{2}[A-Z2-9]{3}")
SMUGGLING = {ViolationType.smuggling_goods, ViolationType.smuggling_drugs}


class Violation(Base):
    __tablename__ = "violation"
    __table_args__ = (Index("ix_violation_unit_type", "unit_id", "type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(24))
    port: Mapped[str] = mapped_column(String(5), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    voyage_id: Mapped[int | None] = mapped_column(ForeignKey("voyage.id", ondelete="SET NULL"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    goods: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # smuggling: {"kind", "quantity", "unit"}
    disposition: Mapped[str] = mapped_column(String(20))
    disposition_detail: Mapped[str | None] = mapped_column(String(200))  # the fine's amount, detention days...
    summary: Mapped[str] = mapped_column(Text)
    people: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # ViolationPerson as JSON
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Goods(BaseModel):
    kind: str = Field(min_length=1, max_length=80, description="What was smuggled, e.g. methamphetamine, cigarettes.")
    quantity: float = Field(gt=0, le=1e9)
    unit: str = Field(min_length=1, max_length=16, description="g, kg, cartons, pieces...")


class ViolationPerson(BaseModel):
    surname: str = Field(min_length=1, max_length=70)
    given_names: str = Field(default="", max_length=70)
    nationality: str | None = Field(default=None, min_length=3, max_length=3)
    birth_date: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    document_number: str | None = Field(default=None, max_length=35)
    traveller_id: int | None = Field(default=None, ge=1, le=2**31 - 1, description="When on a filed voyage.")


class ViolationCreate(BaseModel):
    type: ViolationType
    port: str = Field(min_length=3, max_length=5, description="Where it was found (IATA or UN/LOCODE).")
    occurred_at: AwareDatetime = Field(description="When, with a time zone (e.g. 2020-03-16T02:40:00+08:00).")
    voyage_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    people: list[ViolationPerson] = Field(min_length=1, max_length=200)
    goods: Goods | None = Field(default=None, description="Required for smuggling; none otherwise.")
    disposition: Disposition
    disposition_detail: str | None = Field(default=None, max_length=200)
    summary: str = Field(min_length=1, max_length=4000)

    @field_validator("port")
    @classmethod
    def _port(cls, value: str) -> str:
        code = value.strip().upper()
        if not PORT_CODE.fullmatch(code):
            raise ValueError("a port is an IATA code (PEK) or a UN/LOCODE (CNMAA)")
        return code

    @model_validator(mode="after")
    def _goods_for_smuggling(self) -> ViolationCreate:
        if (self.type in SMUGGLING) != (self.goods is not None):
            raise ValueError("smuggling names its goods (kind, quantity, unit); other cases name none")
        return self


class ViolationRead(ViolationCreate):
    id: int
    unit: str | None
    recorded_by: str
    recorded_at: datetime


class ViolationCount(BaseModel):
    unit: str | None
    type: ViolationType
    cases: int
    people: int
