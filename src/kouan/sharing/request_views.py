"""Lawful information requests over HTTP: agencies ask and read their answers; analysts decide."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, status
from sqlalchemy.orm import Session

from kouan.api.deps import request_transaction, require, writes_when_read
from kouan.api.params import RowId
from kouan.sharing.auth import current_agency
from kouan.sharing.models import Agency, InfoRequest, RequestStatus
from kouan.sharing.request_models import DecisionIn, RequestCreate, RequestRead, RequestWithAnswer
from kouan.sharing.requests import (
    AlreadyDecided,
    AnswerExpired,
    RequestNotFound,
    create_request,
    decide,
    get_request,
    list_requests,
    read_answer,
)
from kouan.users.models import Role, User

router = APIRouter(tags=["requests"])
analyst = require(Role.analyst, Role.admin)


@router.post("/api/agency/requests", status_code=status.HTTP_201_CREATED, response_model=RequestRead)
def ask(
    item: RequestCreate, agency: Agency = Depends(current_agency), session: Session = request_transaction
) -> InfoRequest:
    subject = item.subject.model_dump(mode="json", exclude_none=True)
    return create_request(
        session=session, agency=agency, subject=subject, legal_basis=item.legal_basis, purpose=item.purpose
    )


@router.get("/api/agency/requests", response_model=list[RequestRead])
def my_requests(agency: Agency = Depends(current_agency), session: Session = request_transaction) -> list[InfoRequest]:
    return list_requests(session=session, agency=agency)


@router.get("/api/agency/requests/{request_id}", response_model=RequestWithAnswer)
@writes_when_read  # audits what the agency read
def my_request(
    request_id: RowId, agency: Agency = Depends(current_agency), session: Session = request_transaction
) -> RequestWithAnswer:
    found = _found(session=session, request_id=request_id, agency=agency)
    answer: dict[str, Any] | None = None
    if found.status == RequestStatus.approved.value:
        try:
            answer = read_answer(session=session, request=found, agency=agency)
        except AnswerExpired as error:
            raise HTTPException(status_code=status.HTTP_410_GONE, detail=str(error)) from error
    return RequestWithAnswer.model_validate(found).model_copy(update={"answer": answer})


@router.get("/api/requests", response_model=list[RequestRead])
def all_requests(
    status: RequestStatus | None = None, _: User = Depends(analyst), session: Session = request_transaction
) -> list[InfoRequest]:
    return list_requests(session=session, status=status.value if status else None)


@router.post("/api/requests/{request_id}/decision", response_model=RequestRead)
def decision(
    request_id: RowId,
    item: DecisionIn,
    request: Request,
    user: User = Depends(analyst),
    session: Session = request_transaction,
) -> InfoRequest:
    found = _found(session=session, request_id=request_id)
    hours = request.app.state.settings.request_answer_hours
    try:
        return decide(
            session=session,
            request=found,
            actor=f"user:{user.username}",
            approve=item.approve,
            note=item.note,
            answer_hours=hours,
        )
    except AlreadyDecided as error:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail=str(error)) from error


def _found(*, session: Session, request_id: int, agency: Agency | None = None) -> InfoRequest:
    try:
        return get_request(session=session, request_id=request_id, agency=agency)
    except RequestNotFound as error:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=str(error)) from error
