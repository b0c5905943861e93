"""HTTP API of the outbox: what is owed to agencies and in which state, re-sending a dead event by hand, and the
agencies' pull feed with a cursor. Every read of personal data is an audit event."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan import errors
from kouan.api.deps import Acting, SessionDep, Staff, writes_when_read
from kouan.api.params import Cursor
from kouan.sharing.agencies.auth import AgencyDep
from kouan.sharing.agencies.models import Agency
from kouan.sharing.agencies.service import audit_agency_read
from kouan.sharing.outbox import service
from kouan.sharing.outbox.models import OutboxEvent, OutboxRead, OutboxStatus
from kouan.users.units import visible_ports

router = APIRouter(prefix="/api/outbox", tags=["outbox"])
EVENT_ID = Path(..., max_length=40, description="The event's id (evt_…), the receiver's webhook-id.")


@router.get("", response_model=list[OutboxRead])
def list_outbox(
    *,
    status: OutboxStatus | None = Query(None, description="Only events in this state, e.g. dead."),
    limit: int = Query(100, ge=1, le=1000),
    session: SessionDep,
    user: Staff,
) -> list[OutboxRead]:
    ports = visible_ports(session=session, user=user)
    events = service.list_events(session=session, status=status.value if status else None, limit=limit, ports=ports)
    return [OutboxRead.model_validate(event) for event in events]


@router.post("/{event_id}/resend", response_model=OutboxRead)
def resend_event(*, event_id: str = EVENT_ID, session: SessionDep, user: Acting) -> OutboxRead:
    """A dead event goes back to the queue (404 unknown or of another port, 409 when it is not dead)."""
    event = service.get_event(session=session, event_id=event_id, ports=visible_ports(session=session, user=user))
    if event is None:
        raise errors.NotFound(f"no outbox event {event_id!r}")
    service.resend(session=session, event=event, actor=f"user:{user.username}")
    return OutboxRead.model_validate(event)


class FeedEvent(BaseModel):
    cursor: int
    event_id: str
    type: str
    created_at: str
    data: dict[str, Any]


class Feed(BaseModel):
    events: list[FeedEvent]
    next_cursor: int


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
