"""HTTP API of the outbox: what is owed to agencies and in which state, and re-sending a dead event by hand."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query

from kouan import errors
from kouan.api.deps import Acting, SessionDep, Staff
from kouan.sharing import relay
from kouan.sharing.models import OutboxRead, OutboxStatus
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
    events = relay.list_events(session=session, status=status.value if status else None, limit=limit, ports=ports)
    return [OutboxRead.model_validate(event) for event in events]


@router.post("/{event_id}/resend", response_model=OutboxRead)
def resend_event(*, event_id: str = EVENT_ID, session: SessionDep, user: Acting) -> OutboxRead:
    """A dead event goes back to the queue (404 unknown or of another port, 409 when it is not dead)."""
    event = relay.get_event(session=session, event_id=event_id, ports=visible_ports(session=session, user=user))
    if event is None:
        raise errors.NotFound(f"no outbox event {event_id!r}")
    relay.resend(session=session, event=event, actor=f"user:{user.username}")
    return OutboxRead.model_validate(event)
