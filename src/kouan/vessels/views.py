"""The vessels API: a ship's call filed and screened before arrival (MDH + crew list), and the calls at a port."""

from __future__ import annotations

import json
from datetime import date

from fastapi import APIRouter, Query

from kouan import errors
from kouan.api.deps import Acting, SessionDep, Staff
from kouan.api.params import RowId
from kouan.formats.mdh import parse_mdh
from kouan.users.scoping import may_file_for, sees
from kouan.users.units import visible_ports
from kouan.vessels.models import CallIn, CallRead, VesselCall
from kouan.vessels.service import call_read, calls, crew_list, file_call, port_of

router = APIRouter(prefix="/api/vessels", tags=["vessels"])


@router.post("/calls", response_model=CallRead, status_code=201)
def post_call(body: CallIn, session: SessionDep, user: Acting) -> CallRead:
    """Screen a call before arrival and warn the port's customs health quarantine and maritime authority; the same
    ship, port and day again replaces the call's declaration."""
    mdh, crew = parse_mdh(json.dumps(body.declaration)), crew_list(body.crew_list)
    may_file_for(session=session, user=user, port=port_of(mdh=mdh, port=body.port))
    call = file_call(session=session, mdh=mdh, crew=crew, eta=body.eta, port=body.port,
                     actor=f"user:{user.username}")  # fmt: skip
    return call_read(call)


@router.get("/calls", response_model=list[CallRead])
def get_calls(
    session: SessionDep,
    user: Staff,
    port: str | None = Query(None, max_length=5, description="UN/LOCODE, e.g. CNMAA."),
    since: date | None = Query(None, description="Calls arriving on or after this day."),
) -> list[CallRead]:
    ports = visible_ports(session=session, user=user)
    return [call_read(c) for c in calls(session=session, port=port, ports=ports, since=since)]


@router.get("/calls/{call_id}", response_model=CallRead)
def get_call(call_id: RowId, session: SessionDep, user: Staff) -> CallRead:
    call = session.get(VesselCall, call_id)
    if call is None or not sees(session=session, user=user, port=call.port):
        raise errors.NotFound(f"no vessel call {call_id}")
    return call_read(call)
