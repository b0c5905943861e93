"""What the overstays list answers: each foreigner past their permitted stay, and how many it could not judge."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class Overstay(BaseModel):
    crossing_id: int = Field(description="The entry record the stay rests on.")
    surname: str
    given_names: str
    nationality: str | None
    birth_date: date | None
    document_number: str | None
    entry_port: str
    entered_at: datetime = Field(description="When the person entered (UTC).")
    basis: str
    visa_type: str | None
    last_permitted_day: date = Field(description="The last day the stay permits, at the port of entry.")
    days_overstayed: int = Field(ge=1)


class OverstaysRead(BaseModel):
    on: date
    items: list[Overstay] = Field(description="Most days overstayed first.")
    cannot_say: int = Field(
        description="Foreigners with no exit after their latest entry whose permitted stay is not known (not listed)."
    )
