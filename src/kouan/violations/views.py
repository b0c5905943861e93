"""Violations over HTTP: officers record cases at their units' ports; staff list the cases and the counts of theirs."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query, status

from kouan.api.deps import Acting, SessionDep, Staff
from kouan.users.scoping import may_file_for
from kouan.users.units import visible_ports
from kouan.violations.models import ViolationCount, ViolationCreate, ViolationRead
from kouan.violations.service import counts, record_violation, violations

router = APIRouter(prefix="/api/violations", tags=["violations"])
SINCE = Query(None, description="Cases from this instant on (with a time zone).")
UNTIL = Query(None, description="Cases before this instant.")


@router.post("", response_model=ViolationRead, status_code=status.HTTP_201_CREATED)
def post_violation(item: ViolationCreate, session: SessionDep, user: Acting) -> ViolationRead:
    """A case found at one of the officer's ports, dealt with by the officer's unit (audited)."""
    may_file_for(session=session, user=user, port=item.port)
    return record_violation(session=session, item=item, user=user)


@router.get("", response_model=list[ViolationRead])
def get_violations(
    *, since: datetime | None = SINCE, until: datetime | None = UNTIL,
    limit: int = Query(200, ge=1, le=1000), session: SessionDep, user: Staff,
) -> list[ViolationRead]:  # fmt: skip
    return violations(session=session, ports=visible_ports(session=session, user=user), since=since, until=until,
                      limit=limit)  # fmt: skip


@router.get("/counts", response_model=list[ViolationCount])
def get_counts(
    *, since: datetime | None = SINCE, until: datetime | None = UNTIL, session: SessionDep, user: Staff
) -> list[ViolationCount]:
    """Cases and people per unit and type (the reports' figures), over the ports the caller sees."""
    return counts(session=session, ports=visible_ports(session=session, user=user), since=since, until=until)
