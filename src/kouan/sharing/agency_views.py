"""The partner agencies' API: their referrals (scoped to their kind and to their port or jurisdiction), the pull
feed with a cursor, and the moves they report (acknowledged, accepted, quarantine started, test result, closed).
Every read of personal data is an audit event. Also the registry of agencies, for administrators."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan.audit.service import record
from kouan.referrals.models import EventIn, Referral
from kouan.referrals.queries import ReferralFilter, for_agency, one, page, steps_of
from kouan.referrals.service import Actor, events_for, mark_sent, referral_dict
from kouan.referrals.views import apply_event
from kouan.sharing.auth import current_agency
from kouan.sharing.models import Agency, AgencyCreate, AgencyRead, OutboxEvent
from kouan.sharing.scope import scoped_referral
from kouan.sharing.service import AgencyExists, create_agency, list_agencies
from kouan.users.models import Role, User
from kouan.users.views import request_transaction, require, writes_when_read
from kouan.web.params import Cursor, Offset, RowId

router = APIRouter(prefix="/api", tags=["agencies"])
AgencyDep = Annotated[Agency, Depends(current_agency)]
SessionDep = Annotated[Session, request_transaction]


class AgencyCreated(BaseModel):
    agency: AgencyRead
    token: str
    webhook_secret: str | None


class FeedEvent(BaseModel):
    cursor: int
    event_id: str
    type: str
    created_at: str
    data: dict[str, Any]


class Feed(BaseModel):
    events: list[FeedEvent]
    next_cursor: int


def _view(*, agency: Agency, referral: Referral, session: Session, steps: bool = False) -> dict[str, Any]:
    view = scoped_referral(referral_dict(referral), kind=agency.kind)
    view["allowed_events"] = events_for(referral=referral)
    if steps:
        view["steps"] = [
            {"at": s.at.isoformat(), "event": s.event, "from_state": s.from_state, "to_state": s.to_state}
            for s in steps_of(session=session, referral_id=referral.id)
        ]
    return view


def _audit_read(*, session: Session, agency: Agency, what: str, ids: list[int]) -> None:
    if ids:
        record(session=session, actor=f"agency:{agency.code}", action=f"agency.read.{what}", entity="referral",
               entity_id=",".join(map(str, ids))[:64], after={"referrals": ids})  # fmt: skip


@router.get("/agency/me", response_model=AgencyRead)
def me(agency: AgencyDep) -> Agency:
    return agency


@router.get("/agency/referrals")
@writes_when_read  # audits what the agency read
def agency_referrals(
    agency: AgencyDep,
    session: SessionDep,
    state: str | None = None,
    open: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Your referrals, with only the fields your kind of agency may see."""
    where = ReferralFilter(state=state, open_only=open, limit=limit, offset=offset)
    rows, total, late = page(session=session, query=for_agency(agency.id), where=where)
    _audit_read(session=session, agency=agency, what="list", ids=[r.id for r in rows])
    return {"total": total, "overdue": late, "items": [_view(agency=agency, referral=r, session=session) for r in rows]}


def _mine(*, session: Session, agency: Agency, referral_id: int) -> Referral:
    found = one(session=session, query=for_agency(agency.id), referral_id=referral_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"no referral {referral_id} for {agency.code}")
    return found


@router.get("/agency/referrals/{referral_id}")
@writes_when_read  # audits what the agency read
def agency_referral(referral_id: RowId, agency: AgencyDep, session: SessionDep) -> dict[str, Any]:
    referral = _mine(session=session, agency=agency, referral_id=referral_id)
    _audit_read(session=session, agency=agency, what="one", ids=[referral.id])
    return _view(agency=agency, referral=referral, session=session, steps=True)


@router.post("/agency/referrals/{referral_id}/events")
def agency_event(referral_id: RowId, body: EventIn, agency: AgencyDep, session: SessionDep) -> dict[str, Any]:
    """Report a step: acknowledge, accept, transfer, start_monitoring, report_test, complete, transfer_elsewhere,
    lose. 403 when your agency may not fire it on this referral, 409 when the loop does not allow it now; an
    ``idempotency_key`` makes a retried report harmless."""
    referral = _mine(session=session, agency=agency, referral_id=referral_id)
    apply_event(session=session, referral=referral, body=body, actor=Actor(name=f"agency:{agency.code}", agency=agency))
    return _view(agency=agency, referral=referral, session=session, steps=True)


@router.get("/agency/feed", response_model=Feed)
@writes_when_read  # marks the referrals it hands out as sent, and audits the read
def feed(
    agency: AgencyDep,
    session: SessionDep,
    after: Cursor = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Feed:
    """Events for your agency after the cursor, oldest first; pass ``next_cursor`` as ``after`` next time. The
    ``event_id`` is the same one a webhook would carry: use it to apply each event once."""
    query = select(OutboxEvent).where(OutboxEvent.agency_id == agency.id, OutboxEvent.id > after)
    events = list(session.scalars(query.order_by(OutboxEvent.id).limit(limit)).all())
    referrals = sorted({e.referral_id for e in events if e.referral_id is not None})
    for referral_id in referrals:
        mark_sent(session=session, referral_id=referral_id)
    _audit_read(session=session, agency=agency, what="feed", ids=referrals)
    return Feed(events=[_feed_event(e) for e in events], next_cursor=events[-1].id if events else after)


def _feed_event(event: OutboxEvent) -> FeedEvent:
    return FeedEvent(
        cursor=event.id, event_id=event.event_id, type=event.type, created_at=event.created_at.isoformat(),
        data=event.payload,
    )  # fmt: skip


@router.get("/agencies", response_model=list[AgencyRead])
def get_agencies(
    session: SessionDep, user: Annotated[User, Depends(require(Role.officer, Role.analyst, Role.admin))]
) -> list[Agency]:
    return list_agencies(session=session)


@router.post("/agencies", response_model=AgencyCreated, status_code=201)
def post_agency(
    item: AgencyCreate, session: SessionDep, user: Annotated[User, Depends(require(Role.admin))]
) -> AgencyCreated:
    """Register a partner agency; its API token and webhook secret are shown once."""
    try:
        agency, token = create_agency(session=session, item=item)
    except AgencyExists as error:
        raise HTTPException(status_code=409, detail=str(error)) from error
    record(session=session, actor=f"user:{user.username}", action="agency.create", entity="agency",
           entity_id=agency.id, after={"code": agency.code, "kind": agency.kind})  # fmt: skip
    return AgencyCreated(agency=AgencyRead.model_validate(agency), token=token, webhook_secret=agency.webhook_secret)
