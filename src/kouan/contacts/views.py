"""The contacts API: trace the close contacts of index cases on a voyage, read the traces, set the aircraft type."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from kouan import errors
from kouan.api.deps import Acting, SessionDep, Staff
from kouan.api.params import RowId
from kouan.contacts.layouts import layout_for
from kouan.contacts.models import TraceIn, TraceRead
from kouan.contacts.service import trace_contacts, trace_read, traces_of
from kouan.referrals.service import Actor
from kouan.travel.registry.models import Voyage
from kouan.travel.registry.queries import get_voyage
from kouan.users.models import User
from kouan.users.scoping import sees

router = APIRouter(prefix="/api/voyages", tags=["contacts"])


class AircraftIn(BaseModel):
    aircraft: str = Field(min_length=3, max_length=8, pattern=r"^[A-Z0-9]+$", description="ICAO type, e.g. A333.")


def voyage_or_404(*, session: Session, user: User, voyage_id: int) -> Voyage:
    """The voyage, when its own port (where it arrives, or leaves from) is one of the user's; 404 otherwise
    (another port's is not revealed)."""
    voyage = get_voyage(session=session, voyage_id=voyage_id)
    if voyage is None or not sees(session=session, user=user, port=voyage.our_port):
        raise errors.NotFound(f"no voyage {voyage_id}")
    return voyage


@router.post("/{voyage_id}/contacts", response_model=TraceRead, status_code=201)
def post_contacts(voyage_id: RowId, body: TraceIn, request: Request, session: SessionDep, user: Acting) -> TraceRead:
    """Close contacts of the index cases (by traveller id or seat) under the rule in force on arrival, or the one
    named; they are kept on the voyage and referred into the loop with the index cases (unless ``refer`` is false)."""
    voyage = voyage_or_404(session=session, user=user, voyage_id=voyage_id)
    trace = trace_contacts(session=session, voyage=voyage, body=body, actor=Actor(name=f"user:{user.username}"),
                           port=voyage.our_port or request.app.state.settings.port_of_entry)  # fmt: skip
    return trace_read(session=session, trace=trace)


@router.get("/{voyage_id}/contacts", response_model=list[TraceRead])
def get_contacts(voyage_id: RowId, session: SessionDep, user: Staff) -> list[TraceRead]:
    """The voyage's contact traces, newest first."""
    voyage = voyage_or_404(session=session, user=user, voyage_id=voyage_id)
    return [trace_read(session=session, trace=t) for t in traces_of(session=session, voyage_id=voyage.id)]


@router.put("/{voyage_id}/aircraft", response_model=AircraftIn)
def put_aircraft(voyage_id: RowId, body: AircraftIn, session: SessionDep, user: Acting) -> AircraftIn:
    """The aircraft type, for the seat layout (rows an airline skips, cabins, decks, crew zones)."""
    voyage = voyage_or_404(session=session, user=user, voyage_id=voyage_id)
    if layout_for(body.aircraft, carrier=voyage.carrier) is None:
        raise errors.Invalid(f"no seat layout is known for aircraft {body.aircraft}")
    voyage.aircraft = body.aircraft
    return body
