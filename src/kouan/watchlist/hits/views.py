"""Hits and decisions over HTTP: the review queue of the caller's ports, confirm or dismiss with a reason (officers
on duty), and the decisions made at the caller's ports."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query

from kouan.api.deps import Acting, SessionDep, Staff
from kouan.users.units import visible_ports
from kouan.watchlist.hits.models import DecisionRead, HitRead, HitStatus, ReviewIn
from kouan.watchlist.hits.review import confirm, decisions, dismiss, hit_seen, hits

router = APIRouter(tags=["watchlists"])
HIT_ID = Path(..., ge=1, le=2**31 - 1)


@router.get("/api/watchlist-hits", response_model=list[HitRead])
def get_hits(
    *, status: HitStatus | None = Query(HitStatus.open, description="open (the queue), confirmed or dismissed."),
    limit: int = Query(200, ge=1, le=1000), session: SessionDep, user: Staff,
) -> list[HitRead]:  # fmt: skip
    found = hits(session=session, ports=visible_ports(session=session, user=user), status=status, limit=limit)
    return [HitRead.model_validate(h) for h in found]


@router.get("/api/watchlist-hits/{hit_id}", response_model=HitRead)
def get_hit(*, hit_id: int = HIT_ID, session: SessionDep, user: Staff) -> HitRead:
    return HitRead.model_validate(
        hit_seen(session=session, hit_id=hit_id, ports=visible_ports(session=session, user=user))
    )


@router.post("/api/watchlist-hits/{hit_id}/confirm", response_model=DecisionRead)
def post_confirm(*, hit_id: int = HIT_ID, body: ReviewIn, session: SessionDep, user: Acting) -> DecisionRead:
    """The hit is the listed person: it becomes a decision (不准出境, 不准入境 ...) in the person's record (audited)."""
    hit = hit_seen(session=session, hit_id=hit_id, ports=visible_ports(session=session, user=user))
    decision = confirm(session=session, hit=hit, reason=body.reason, actor=f"user:{user.username}")
    return DecisionRead.model_validate(decision)


@router.post("/api/watchlist-hits/{hit_id}/dismiss", response_model=HitRead)
def post_dismiss(*, hit_id: int = HIT_ID, body: ReviewIn, session: SessionDep, user: Acting) -> HitRead:
    """The hit is not the listed person (audited, with the reason)."""
    hit = hit_seen(session=session, hit_id=hit_id, ports=visible_ports(session=session, user=user))
    return HitRead.model_validate(dismiss(session=session, hit=hit, reason=body.reason,
                                          actor=f"user:{user.username}"))  # fmt: skip


@router.get("/api/enforcement-decisions", response_model=list[DecisionRead])
def get_decisions(*, limit: int = Query(200, ge=1, le=1000), session: SessionDep, user: Staff) -> list[DecisionRead]:
    found = decisions(session=session, ports=visible_ports(session=session, user=user), limit=limit)
    return [DecisionRead.model_validate(d) for d in found]
