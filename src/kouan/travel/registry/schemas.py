"""What the registry answers with: a voyage and its legs as read, and what filing a manifest returned."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, WithJsonSchema

from kouan.travel.registry.models import Direction

# A carrier's leg times are local clock times at the airport, with no offset: declared as such, not as date-time.
LocalDateTime = Annotated[
    datetime,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
            "description": "Local clock time at the airport, without an offset (as the carrier sent it).",
        }
    ),
]


class LegRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    seq: int
    carrier: str | None
    number: str | None
    origin: str | None
    destination: str | None
    departure_local: LocalDateTime | None
    arrival_local: LocalDateTime | None


class VoyageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    carrier: str
    number: str
    flight_date: date
    origin: str | None
    destination: str | None
    scheduled_arrival: datetime | None
    latest_version: int
    message_types: list[str]
    traveller_count: int
    flagged_count: int
    level_counts: dict[str, int]
    legs: list[LegRead]
    zone: str | None = None
    zone_reason: str | None = None
    divert_to: list[str] = []
    aircraft: str | None = None
    direction: Direction = "entry"  # exit: a departure, filed at its origin and not screened
    scheduled_departure: datetime | None = None  # from our port, for an exit


class VoyagePage(BaseModel):
    items: list[VoyageRead]
    total: int
    offset: int
    limit: int


class IngestWarning(BaseModel):
    segment: str
    message: str


class IngestResult(BaseModel):
    voyage_id: int
    direction: Direction = "entry"  # exit: a departure manifest, filed at the voyage's origin
    version: int
    message_type: str
    created: bool
    traveller_count: int
    warnings: list[IngestWarning]


class DepartureRead(BaseModel):
    """A departure (exit voyage) from one of our ports: the flight leaving it and how many travel on it."""

    id: int
    flight: str
    carrier: str
    number: str
    flight_date: date
    origin: str | None
    destination: str | None
    scheduled_departure: datetime | None
    traveller_count: int


class DepartureDay(BaseModel):
    day: date | None
    items: list[DepartureRead]
