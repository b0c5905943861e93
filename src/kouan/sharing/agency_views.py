"""The partner agencies' API: who they are and the pull feed with a cursor (their referrals are in
:mod:`kouan.referrals.agency_views`). Every read of personal data is an audit event. Also the registry of agencies,
for administrators."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan.api.deps import Admin, SessionDep, Staff, writes_when_read
from kouan.api.params import Cursor
from kouan.audit.service import record
from kouan.sharing.auth import current_agency
from kouan.sharing.models import Agency, AgencyCreate, AgencyRead, OutboxEvent
from kouan.sharing.service import audit_agency_read, create_agency, list_agencies

router = APIRouter(prefix="/api", tags=["agencies"])
AgencyDep = Annotated[Agency, Depends(current_agency)]


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


@router.get("/agency/me", response_model=AgencyRead)
def me(agency: AgencyDep) -> Agency:
    return agency


class Pulled(Protocol):
    """What the feed tells of the referrals it handed out (the referrals package marks them sent; sharing knows no
    referrals), in the request's transaction; how many it moved."""

    def __call__(self, *, session: Session, referral_ids: Sequence[int]) -> int: ...


def feed_router(*, on_pulled: Pulled) -> APIRouter:
    """The pull feed, telling ``on_pulled`` which referrals each page handed out."""
    feed_routes = APIRouter(prefix="/api", tags=["agencies"])

    @feed_routes.get("/agency/feed", response_model=Feed)
    @writes_when_read  # marks the referrals it hands out as sent, and audits the read
    def feed(
        agency: AgencyDep,
        session: SessionDep,
        after: Cursor = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> Feed:
        """Events for your agency after the cursor, oldest first; pass ``next_cursor`` as ``after`` next time. The
        ``event_id`` is the same one a webhook would carry: use it to apply each event once."""
        events = _events_after(session=session, agency=agency, after=after, limit=limit)
        referrals = sorted({e.referral_id for e in events if e.referral_id is not None})
        on_pulled(session=session, referral_ids=referrals)
        audit_agency_read(session=session, agency=agency, what="feed", ids=referrals)
        return Feed(events=[_feed_event(e) for e in events], next_cursor=events[-1].id if events else after)

    return feed_routes


def _events_after(*, session: Session, agency: Agency, after: int, limit: int) -> list[OutboxEvent]:
    query = select(OutboxEvent).where(OutboxEvent.agency_id == agency.id, OutboxEvent.id > after)
    return list(session.scalars(query.order_by(OutboxEvent.id).limit(limit)).all())


def _feed_event(event: OutboxEvent) -> FeedEvent:
    return FeedEvent(
        cursor=event.id, event_id=event.event_id, type=event.type, created_at=event.created_at.isoformat(),
        data=event.payload,
    )  # fmt: skip


@router.get("/agencies", response_model=list[AgencyRead])
def get_agencies(session: SessionDep, user: Staff) -> list[Agency]:
    return list_agencies(session=session)


@router.post("/agencies", response_model=AgencyCreated, status_code=201)
def post_agency(item: AgencyCreate, session: SessionDep, user: Admin) -> AgencyCreated:
    """Register a partner agency; its API token and webhook secret are shown once."""
    agency, token = create_agency(session=session, item=item)
    record(session=session, actor=f"user:{user.username}", action="agency.create", entity="agency",
           entity_id=agency.id, after={"code": agency.code, "kind": agency.kind})  # fmt: skip
    return AgencyCreated(agency=AgencyRead.model_validate(agency), token=token, webhook_secret=agency.webhook_secret)
