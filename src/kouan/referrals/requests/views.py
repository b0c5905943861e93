"""Lawful information requests over HTTP: agencies ask and read their answers; analysts decide."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, status
from sqlalchemy.orm import Session

from kouan.api.deps import Analysing, SessionDep, writes_when_read
from kouan.api.params import RowId
from kouan.referrals.requests.models import InfoRequest, RequestStatus
from kouan.referrals.requests.schemas import DecisionIn, RequestCreate, RequestRead, RequestWithAnswer
from kouan.referrals.requests.service import create_request, decide, get_request, list_requests, read_answer
from kouan.sharing.agencies.auth import current_agency
from kouan.sharing.agencies.models import Agency

router = APIRouter(tags=["requests"])


@router.post("/api/agency/requests", status_code=status.HTTP_201_CREATED, response_model=RequestRead)
def ask(*, item: RequestCreate, agency: Agency = Depends(current_agency), session: SessionDep) -> InfoRequest:
    subject = item.subject.model_dump(mode="json", exclude_none=True)
    return create_request(
        session=session, agency=agency, subject=subject, legal_basis=item.legal_basis, purpose=item.purpose
    )


@router.get("/api/agency/requests", response_model=list[RequestRead])
def my_requests(*, agency: Agency = Depends(current_agency), session: SessionDep) -> list[InfoRequest]:
    return list_requests(session=session, agency=agency)


@router.get("/api/agency/requests/{request_id}", response_model=RequestWithAnswer)
@writes_when_read  # audits what the agency read
def my_request(
    *, request_id: RowId, agency: Agency = Depends(current_agency), session: SessionDep
) -> RequestWithAnswer:
    found = _found(session=session, request_id=request_id, agency=agency)
    answer: dict[str, Any] | None = None
    if found.status == RequestStatus.approved.value:
        answer = read_answer(session=session, request=found, agency=agency)
    return RequestWithAnswer.model_validate(found).model_copy(update={"answer": answer})


@router.get("/api/requests", response_model=list[RequestRead])
def all_requests(*, status: RequestStatus | None = None, _: Analysing, session: SessionDep) -> list[InfoRequest]:
    return list_requests(session=session, status=status.value if status else None)


@router.post("/api/requests/{request_id}/decision", response_model=RequestRead)
def decision(
    request_id: RowId,
    item: DecisionIn,
    request: Request,
    user: Analysing,
    session: SessionDep,
) -> InfoRequest:
    found = _found(session=session, request_id=request_id)
    hours = request.app.state.settings.request_answer_hours
    return decide(
        session=session,
        request=found,
        actor=f"user:{user.username}",
        approve=item.approve,
        note=item.note,
        answer_hours=hours,
    )


def _found(*, session: Session, request_id: int, agency: Agency | None = None) -> InfoRequest:
    return get_request(session=session, request_id=request_id, agency=agency)
