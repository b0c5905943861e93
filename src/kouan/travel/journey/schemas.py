"""Request and response models for bookings, crossings and declarations."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from kouan.travel.registry.schemas import IngestWarning


class PnrIngestResult(BaseModel):
    message_id: int
    created: bool
    voyage_id: int | None = Field(description="The voyage the push is for, when its manifest is already filed.")
    bookings: list[str]
    passenger_count: int
    warnings: list[IngestWarning]


class StayBasis(StrEnum):
    """On what an entry's stay rests (the overstays list reads it; see kouan.overstays.rules)."""

    visa = "visa"  # a visa's duration of each stay (停留期)
    residence_permit = "residence_permit"  # 居留许可, until its expiry
    transit_24h = "transit_24h"  # 24-hour direct transit
    transit_72h = "transit_72h"  # 72-hour visa-free transit
    transit_144h = "transit_144h"  # 144-hour visa-free transit
    visa_free = "visa_free"  # a mutual or unilateral exemption (免签)
    citizen = "citizen"  # a Chinese citizen: no permitted stay to overrun


VISA_TYPE = re.compile(r"[A-Z][A-Z0-9]{0,3}")


class CrossingCreate(BaseModel):
    direction: Literal["exit", "entry"]
    port: str = Field(min_length=3, max_length=5, description="IATA code (or port code) where the crossing was made.")
    crossed_at: datetime = Field(description="When, with a time zone (ISO 8601).")
    surname: str = Field(min_length=1, max_length=70)
    given_names: str = Field(default="", max_length=70)
    birth_date: date | None = None
    nationality: str | None = Field(default=None, max_length=3)
    document_number: str | None = Field(default=None, max_length=35)
    country: str | None = Field(default=None, max_length=8, description="Exit: country of destination; entry: origin.")
    flight: str | None = Field(default=None, max_length=10)
    stay_basis: StayBasis | None = Field(default=None, description="Entry: on what the stay rests; none: unknown.")
    visa_type: str | None = Field(default=None, max_length=4, description="Entry on a visa: its type (L, M, F, Z…).")
    stay_days: int | None = Field(default=None, ge=1, le=3650, description="Entry: the duration of stay granted.")
    permit_until: date | None = Field(
        default=None, validate_default=True, description="Residence permit: its expiry (or an explicit last day)."
    )

    @field_validator("crossed_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("crossed_at needs a time zone, e.g. 2020-02-28T10:00:00+08:00")
        return value

    @field_validator("visa_type")
    @classmethod
    def _visa_type(cls, value: str | None) -> str | None:
        code = value.strip().upper() if value else None
        if code is not None and not VISA_TYPE.fullmatch(code):
            raise ValueError("a visa type is a letter and up to three letters or digits (L, M, Q2, X1)")
        return code

    @field_validator("permit_until")
    @classmethod
    def _permit(cls, value: date | None, info: ValidationInfo) -> date | None:
        if value is None and info.data.get("stay_basis") == StayBasis.residence_permit:
            raise ValueError("an entry on a residence permit names the permit's expiry")
        return value


class DeclaredPlace(BaseModel):
    country: str = Field(min_length=2, max_length=8, description="Country (alpha-2/3) or Chinese province (CN-XX).")
    place: str | None = Field(default=None, max_length=60, description="City or airport, as written.")
    date_from: date
    date_to: date | None = None


class DeclarationCreate(BaseModel):
    surname: str = Field(min_length=1, max_length=70)
    given_names: str = Field(default="", max_length=70)
    birth_date: date | None = None
    nationality: str | None = Field(default=None, max_length=3)
    document_number: str | None = Field(default=None, max_length=35)
    flight: str | None = Field(default=None, max_length=10, description="Carrier and number, e.g. EK308.")
    flight_date: date | None = None
    seat: str | None = Field(default=None, max_length=5)
    places: list[DeclaredPlace] = Field(default_factory=list, description="Countries and regions of the last 14 days.")
    address: str | None = Field(default=None, max_length=300, description="Exact address for the next 14 days.")
    phone: str | None = Field(default=None, max_length=40)


class StayRead(BaseModel):
    region: str
    region_name: str
    place: str | None
    date_from: date | None
    stay_date: date
    source: str
    evidence: str | None


class LinkRead(BaseModel):
    kind: str
    target_id: int
    score: float
    method: str
    evidence: dict[str, object]


class TravellerJourney(BaseModel):
    traveller_id: int
    voyage_id: int
    flight: str
    surname: str
    given_names: str
    nationality: str | None
    document_number: str | None
    stays: list[StayRead]
    links: list[LinkRead]


class DeclarationsFiled(BaseModel):
    ids: list[int]
    codes: list[str] = Field(default_factory=list, description="The e-declaration code of each, in the same order.")
    voyages_rescreened: list[int]


class CrossingsFiled(BaseModel):
    added: int
    received: int
