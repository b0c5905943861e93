"""HTTP API of departures: the exit voyages leaving the user's ports on a day, with how many travel on each."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from kouan.api.deps import SessionDep, Staff
from kouan.travel.registry.models import Voyage
from kouan.travel.registry.queries import latest_departure_day, list_departures, traveller_counts
from kouan.travel.registry.schemas import DepartureDay, DepartureRead
from kouan.users.scoping import chosen_ports, working_port

router = APIRouter(prefix="/api", tags=["voyages"])


@router.get("/departures", response_model=DepartureDay)
def get_departures(
    *,
    request: Request,
    day: date | None = Query(None, description="Departures of this local day at the port; default: the latest."),
    port: str | None = Query(None, min_length=3, max_length=5, description="Only this port (one of yours)."),
    session: SessionDep,
    user: Staff,
) -> DepartureDay:
    """Departure manifests filed as exits, by scheduled departure (UTC), from your units' ports."""
    ports = chosen_ports(session=session, user=user, chosen=port)
    here = working_port(session=session, user=user, chosen=port, default=request.app.state.settings.port_of_entry)
    day = day or latest_departure_day(session=session, port=here, ports=ports)
    voyages = list_departures(session=session, day=day, port=here, ports=ports) if day else []
    return DepartureDay(day=day, items=departures_read(session=session, voyages=voyages))


def departures_read(*, session: Session, voyages: list[Voyage]) -> list[DepartureRead]:
    counts = traveller_counts(session=session, voyage_ids=[v.id for v in voyages])
    return [
        DepartureRead(
            id=v.id,
            flight=f"{v.carrier}{v.number}",
            carrier=v.carrier,
            number=v.number,
            flight_date=v.flight_date,
            origin=v.origin,
            destination=v.destination,
            scheduled_departure=v.scheduled_departure,
            traveller_count=counts.get(v.id, 0),
        )  # fmt: skip
        for v in voyages
    ]
