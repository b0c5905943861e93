"""Departures in the console (出境航班): the exit voyages leaving the officer's ports on a day, and each one's
travellers."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from kouan import errors
from kouan.api.deps import SessionDep
from kouan.api.params import RowId
from kouan.travel.registry.models import EXIT, Voyage
from kouan.travel.registry.ports import ports_to_choose
from kouan.travel.registry.queries import current_travellers, latest_departure_day, list_departures, port_zone
from kouan.travel.registry.views import departures_read
from kouan.users.scoping import chosen_ports, sees, working_port
from kouan.web.views import ConsoleUser, templates

router = APIRouter(include_in_schema=False)


@router.get("/console/departures", response_class=HTMLResponse)
def departures_page(
    *,
    request: Request,
    day: date | None = Query(None),
    port: str = Query("", max_length=5, description="One of the user's ports; empty: all of them."),
    session: SessionDep,
    user: ConsoleUser,
) -> Response:
    default = request.app.state.settings.port_of_entry
    here = working_port(session=session, user=user, chosen=port, default=default)
    ports = chosen_ports(session=session, user=user, chosen=port)
    day = day or latest_departure_day(session=session, port=here, ports=ports)
    voyages = list_departures(session=session, day=day, port=here, ports=ports) if day else []
    context = {"user": user, "day": day, "departures": departures_read(session=session, voyages=voyages),
               "port": port.upper(), "ports": ports_to_choose(session=session, user=user, default=default),
               "zone": port_zone(here)}  # fmt: skip
    return templates.TemplateResponse(request, "departures.html", context)


@router.get("/console/departures/{departure_id}", response_class=HTMLResponse)
def departure_page(request: Request, departure_id: RowId, session: SessionDep, user: ConsoleUser) -> Response:
    """One departure's travellers (the current passenger and crew lists)."""
    voyage = session.get(Voyage, departure_id)
    if voyage is None or voyage.direction != EXIT or not sees(session=session, user=user, port=voyage.our_port):
        raise errors.NotFound(f"no departure {departure_id}")
    travellers = current_travellers(session=session, voyage_id=voyage.id, with_stays=False)
    departure = departures_read(session=session, voyages=[voyage])[0]
    context = {"user": user, "departure": departure, "travellers": travellers, "zone": port_zone(voyage.origin or "")}
    return templates.TemplateResponse(request, "departure.html", context)
