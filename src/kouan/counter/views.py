"""The counter API: scan (MRZ, boarding pass or e-declaration code), record the temperature, decide."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy.orm import Session

from kouan.counter.identify import Unreadable
from kouan.counter.models import CounterCheck
from kouan.counter.schemas import CounterView, DecisionIn, ScanIn, TemperatureIn
from kouan.counter.service import AlreadyDecided, decide, record_temperature, scan_in, view
from kouan.users.models import Role, User
from kouan.users.views import db_session, require
from kouan.web.params import RowId

router = APIRouter(prefix="/api/counter", tags=["counter"])
Officer = Annotated[User, Depends(require(Role.officer, Role.admin))]
SessionDep = Annotated[Session, Depends(db_session)]


@router.post("/scans", response_model=CounterView, status_code=201)
def post_scan(body: ScanIn, request: Request, session: SessionDep, user: Officer) -> CounterView:
    """A scan at the counter: who it is, what screening said, what the declaration says, what is flagged."""
    port = request.app.state.settings.port_of_entry
    try:
        check = scan_in(session=session, scan=body, port=port, officer=f"user:{user.username}")
    except Unreadable as error:
        raise HTTPException(status_code=422, detail=str(error)) from error
    return view(session=session, check=check)


def check_or_404(*, session: Session, check_id: int) -> CounterCheck:
    check = session.get(CounterCheck, check_id)
    if check is None:
        raise HTTPException(status_code=404, detail=f"no counter check {check_id}")
    return check


@router.get("/checks/{check_id}", response_model=CounterView)
def get_check(check_id: RowId, session: SessionDep, user: Officer) -> CounterView:
    return view(session=session, check=check_or_404(session=session, check_id=check_id))


@router.post("/checks/{check_id}/temperature", response_model=CounterView)
def post_temperature(check_id: RowId, body: TemperatureIn, session: SessionDep, user: Officer) -> CounterView:
    """The measured temperature and any symptoms seen: 37.3 °C or a symptom flags a referral to customs."""
    check = check_or_404(session=session, check_id=check_id)
    try:
        record_temperature(session=session, check=check, body=body)
    except AlreadyDecided as error:
        raise HTTPException(status_code=409, detail=str(error)) from error
    return view(session=session, check=check)


@router.post("/checks/{check_id}/decision", response_model=CounterView)
def post_decision(check_id: RowId, body: DecisionIn, session: SessionDep, user: Officer) -> CounterView:
    """Release, refer (to customs health quarantine: a referral in the loop), refuse entry, or divert; with a reason."""
    check = check_or_404(session=session, check_id=check_id)
    try:
        decide(session=session, check=check, body=body, actor=f"user:{user.username}")
    except AlreadyDecided as error:
        raise HTTPException(status_code=409, detail=str(error)) from error
    return view(session=session, check=check)
