"""What a lawful information request looks like over HTTP: what an agency sends, what it and analysts read."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from kouan.referrals.requests.models import RequestStatus

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=70)]


class RequestSubject(BaseModel):
    """Who the agency asks about: a travel document number, and the nationality when it is known."""

    model_config = ConfigDict(extra="forbid")
    document_number: Annotated[
        str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z0-9<-]{1,35}$")
    ]
    nationality: Annotated[str, StringConstraints(to_upper=True, pattern=r"^[A-Za-z]{3}$")] | None = None
    surname: Name | None = None
    given_names: Name | None = None
    birth_date: date | None = None


class RequestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    subject: RequestSubject
    legal_basis: Text = Field(description="The law and article under which the agency asks (依据).")
    purpose: Text = Field(description="What the agency needs the answer for.")


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    approve: bool
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class RequestRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    agency_id: int
    subject: dict[str, Any]
    legal_basis: str
    purpose: str
    status: RequestStatus
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    expires_at: datetime | None


class RequestWithAnswer(RequestRead):
    """The asking agency's view: the answer is there only while it may be read."""

    answer: dict[str, Any] | None = None
