"""What the counter API takes and gives."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

ScanKind = Literal["mrz", "bcbp", "code"]


class ScanIn(BaseModel):
    kind: ScanKind
    data: str = Field(min_length=1, max_length=2000, description="MRZ lines (newline-separated), BCBP text or code.")
    reference: date | None = Field(default=None, description="A day near the flight, for the boarding pass's date.")
    port: str | None = Field(
        default=None, min_length=3, max_length=5, description="The counter's port; default: the officer's own."
    )
    direction: Literal["entry", "exit"] = Field(
        default="entry", description="The counter's lane: entry (arrivals) or exit (departures, 出境)."
    )


class TemperatureIn(BaseModel):
    temperature: float | None = Field(default=None, ge=30.0, le=45.0, description="°C, as measured.")
    symptoms: list[str] = Field(default_factory=list, max_length=20)


class DecisionIn(BaseModel):
    decision: Literal["release", "refer", "refuse", "divert"] = Field(
        description="At exit only release (cleared to leave) and refuse (不准出境) are taken."
    )
    reason: str = Field(min_length=1, max_length=2000)


class CounterView(BaseModel):
    check_id: int
    scanned: str
    direction: str = "entry"
    at: datetime
    traveller_id: int | None
    surname: str | None
    given_names: str | None
    document_number: str | None
    nationality: str | None
    flight: str | None
    seat: str | None
    level: str | None
    reasons: list[str]
    actions: list[str]
    policy_decision: str | None
    declaration: dict[str, Any] | None
    temperature: float | None
    flags: list[dict[str, Any]]
    recommendation: str
    decision: str | None
    reason: str | None
    referral_id: int | None
    warnings: list[str] = []
