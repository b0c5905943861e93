"""The officers' API for the loop: open referrals (overdue first), one referral's timeline, the officer's moves,
the unresolved-destination queue, and making referrals from a screened voyage."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import Select
from sqlalchemy.orm import Session

from kouan import errors
from kouan.api.deps import Acting, SessionDep, Staff
from kouan.api.params import Offset, RowId
from kouan.referrals.lifecycle import describe, mermaid
from kouan.referrals.models import (
    DestinationIn,
    EventIn,
    Referral,
    ReferralDetail,
    ReferralPage,
    ReferralRead,
    StepRead,
)
from kouan.referrals.queries import ReferralFilter, for_units, one, page, steps_of
from kouan.referrals.service import (
    Actor,
    events_for,
    is_overdue,
    move,
    refer_voyage,
    set_destination,
)
from kouan.travel.registry.models import Voyage
from kouan.users.models import User
from kouan.users.scoping import sees
from kouan.users.units import visible_units

router = APIRouter(prefix="/api", tags=["referrals"])


def read_model(referral: Referral) -> ReferralRead:
    item = ReferralRead.model_validate(referral)
    item.overdue, item.allowed_events = is_overdue(referral), events_for(referral=referral)
    return item


def detail_model(*, session: Session, referral: Referral) -> ReferralDetail:
    steps = [StepRead.model_validate(step) for step in steps_of(session=session, referral_id=referral.id)]
    return ReferralDetail.model_validate(read_model(referral).model_dump() | {"steps": steps})


def scope_of(*, session: Session, user: User) -> Select[Referral]:
    return for_units(visible_units(session=session, user=user))


def referral_or_404(*, session: Session, user: User, referral_id: int) -> Referral:
    found = one(session=session, query=scope_of(session=session, user=user), referral_id=referral_id)
    if found is None:
        raise errors.NotFound(f"no referral {referral_id} in your units")
    return found


@router.get("/referrals", response_model=ReferralPage)
def list_referrals(
    session: SessionDep,
    user: Staff,
    state: str | None = None,
    open: bool = False,
    overdue: bool = False,
    queue: Annotated[str | None, Query(pattern="^unresolved$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> ReferralPage:
    """Referrals of your units: overdue first. ``queue=unresolved`` lists those whose destination is unknown."""
    where = ReferralFilter(state, open, overdue, queue == "unresolved", limit, offset)
    rows, total, late = page(session=session, query=scope_of(session=session, user=user), where=where)
    return ReferralPage(total=total, overdue=late, items=[read_model(r) for r in rows])


@router.get("/referrals/lifecycle")
def lifecycle() -> dict[str, Any]:
    """The loop's states and the Mermaid diagram generated from the state machine."""
    return {"states": describe(), "mermaid": mermaid()}


@router.get("/referrals/{referral_id}", response_model=ReferralDetail)
def get_referral(referral_id: RowId, session: SessionDep, user: Staff) -> ReferralDetail:
    referral = referral_or_404(session=session, user=user, referral_id=referral_id)
    return detail_model(session=session, referral=referral)


@router.post("/referrals/{referral_id}/events", response_model=ReferralDetail)
def post_event(
    referral_id: RowId,
    body: EventIn,
    session: SessionDep,
    user: Acting,
) -> ReferralDetail:
    """An officer's move: hand_over at the port, refuse (entry refused), lose (lost to follow-up)."""
    referral = referral_or_404(session=session, user=user, referral_id=referral_id)
    apply_event(session=session, referral=referral, body=body, actor=Actor(name=f"user:{user.username}"))
    return detail_model(session=session, referral=referral)


def apply_event(*, session: Session, referral: Referral, body: EventIn, actor: Actor) -> None:
    """Moves the loop; 403 when the actor may not fire the event, 409 when the loop does not allow it now."""
    move(session=session, referral=referral, event=body.event, actor=actor, note=body.note, data=body.data,
         idempotency_key=body.idempotency_key)  # fmt: skip


@router.post("/referrals/{referral_id}/destination", response_model=ReferralDetail)
def post_destination(
    referral_id: RowId,
    body: DestinationIn,
    session: SessionDep,
    user: Acting,
) -> ReferralDetail:
    """State where the traveller goes (a Chinese address or an adcode), taking the referral out of the queue; 422
    naming the field for an adcode no place has, 409 once the loop is closed."""
    if not body.address and not body.division:
        raise errors.Invalid("give an address or a division (adcode)")
    referral = referral_or_404(session=session, user=user, referral_id=referral_id)
    set_destination(session=session, referral=referral, actor=Actor(name=f"user:{user.username}"),
                    address=body.address, division=body.division)  # fmt: skip
    return detail_model(session=session, referral=referral)


@router.post("/voyages/{voyage_id}/referrals", response_model=list[ReferralRead], status_code=201)
def refer(
    voyage_id: RowId,
    request: Request,
    session: SessionDep,
    user: Acting,
) -> list[ReferralRead]:
    """Referrals for the voyage's screened travellers who need one (those already referred are left as they are).
    Officers refer the voyages of their units' ports; analysts do not send personal data out."""
    voyage = session.get(Voyage, voyage_id)
    if voyage is None or not sees(session=session, user=user, port=voyage.our_port):
        raise errors.NotFound(f"no voyage {voyage_id}")
    port = voyage.our_port or request.app.state.settings.port_of_entry
    made = refer_voyage(session=session, voyage=voyage, actor=Actor(name=f"user:{user.username}"), port=port)
    return [read_model(r) for r in made]
