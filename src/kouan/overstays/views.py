"""Overstays over HTTP: staff list the foreigners past their stay who entered at their ports."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from kouan.api.deps import SessionDep, Staff
from kouan.db import utcnow
from kouan.overstays.models import OverstaysRead
from kouan.overstays.service import overstays, zone_of
from kouan.users.models import User
from kouan.users.scoping import chosen_ports, working_port

router = APIRouter(prefix="/api/overstays", tags=["overstays"])
ON = Query(None, description="The day (the port's local date); by default today at the port.")
PORT = Query("", max_length=5, description="One of the caller's ports (entered there); empty: all of them.")


@router.get("", response_model=OverstaysRead)
def get_overstays(
    *, request: Request, on: date | None = ON, port: str = PORT, session: SessionDep, user: Staff
) -> OverstaysRead:
    """Foreigners whose latest entry was at one of the caller's ports, past their permitted stay with no exit on
    ``on``, most days first; ``cannot_say`` counts those whose stay is not known."""
    day = on or today_at(session=session, user=user, chosen=port, default=request.app.state.settings.port_of_entry)
    return overstays(session=session, on=day, ports=chosen_ports(session=session, user=user, chosen=port))


def today_at(*, session: Session, user: User, chosen: str, default: str) -> date:
    """Today at the port a page is for (the one chosen, else the user's own, else the installation's default)."""
    here = working_port(session=session, user=user, chosen=chosen, default=default)
    return utcnow().astimezone(zone_of(here)).date()
