"""Reading referrals within a scope: an officer's units, or an agency's port and jurisdiction. Overdue first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from kouan.db import utcnow
from kouan.referrals.lifecycle import CLOSED
from kouan.referrals.models import Referral, ReferralStep


@dataclass(frozen=True)
class ReferralFilter:
    state: str | None = None
    open_only: bool = False
    overdue: bool = False
    unresolved: bool = False  # the queue of referrals whose destination authority is unknown
    limit: int = 100
    offset: int = 0


def for_units(units: set[int] | None) -> Select[Referral]:
    """Referrals of these units; every referral for a national-level user (None)."""
    query = select(Referral)
    return query if units is None else query.where(Referral.unit_id.in_(units))


def for_agency(agency_id: int) -> Select[Referral]:
    return select(Referral).where(
        or_(Referral.port_agency_id == agency_id, Referral.destination_agency_id == agency_id)
    )


def _filtered(query: Select[Referral], *, where: ReferralFilter, now: datetime) -> Select[Referral]:
    if where.state:
        query = query.where(Referral.state == where.state)
    if where.open_only or where.overdue or where.unresolved:
        query = query.where(Referral.state.not_in(CLOSED))
    if where.overdue:
        query = query.where(Referral.due_at < now)
    if where.unresolved:
        query = query.where(Referral.destination_agency_id.is_(None))
    return query


def page(
    *, session: Session, query: Select[Referral], where: ReferralFilter, now: datetime | None = None
) -> tuple[list[Referral], int, int]:
    """The referrals (overdue first, then the soonest due, then the newest), the total and how many are overdue."""
    now = now or utcnow()
    filtered = _filtered(query, where=where, now=now)
    overdue_first = case((Referral.due_at < now, 0), else_=1)
    ordered = filtered.order_by(overdue_first, Referral.due_at.is_(None), Referral.due_at, Referral.id.desc())
    rows = list(session.scalars(ordered.limit(where.limit).offset(where.offset)).all())
    total = session.scalar(select(func.count()).select_from(filtered.subquery())) or 0
    late = _filtered(query, where=ReferralFilter(overdue=True), now=now)
    overdue = session.scalar(select(func.count()).select_from(late.subquery())) or 0
    return rows, total, overdue


def steps_of(*, session: Session, referral_id: int) -> list[ReferralStep]:
    query = (
        select(ReferralStep).where(ReferralStep.referral_id == referral_id).order_by(ReferralStep.at, ReferralStep.id)
    )
    return list(session.scalars(query).all())


def one(*, session: Session, query: Select[Referral], referral_id: int) -> Referral | None:
    return session.scalar(query.where(Referral.id == referral_id))
