"""The partner agencies' referrals: listed and read scoped to their kind (the allow-list in
:mod:`kouan.sharing.agencies.scope`) and to their port or jurisdiction, and the moves they report (acknowledged,
accepted, quarantine started, test result, closed). Every read of personal data is an audit event."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from kouan import errors
from kouan.api.deps import SessionDep, writes_when_read
from kouan.api.params import Offset, RowId
from kouan.referrals.models import EventIn, Referral
from kouan.referrals.queries import ReferralFilter, for_agency, one, page, steps_of
from kouan.referrals.service import Actor, events_for, referral_dict
from kouan.referrals.views import apply_event
from kouan.sharing.agencies.auth import AgencyDep
from kouan.sharing.agencies.models import Agency
from kouan.sharing.agencies.scope import scoped_referral
from kouan.sharing.agencies.service import audit_agency_read

router = APIRouter(prefix="/api", tags=["agencies"])


def _view(*, agency: Agency, referral: Referral, session: Session, steps: bool = False) -> dict[str, Any]:
    view = scoped_referral(referral_dict(referral), kind=agency.kind)
    view["allowed_events"] = events_for(referral=referral)
    if steps:
        view["steps"] = [
            {"at": s.at.isoformat(), "event": s.event, "from_state": s.from_state, "to_state": s.to_state}
            for s in steps_of(session=session, referral_id=referral.id)
        ]
    return view


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
    audit_agency_read(session=session, agency=agency, what="list", ids=[r.id for r in rows])
    return {"total": total, "overdue": late, "items": [_view(agency=agency, referral=r, session=session) for r in rows]}


def _mine(*, session: Session, agency: Agency, referral_id: int) -> Referral:
    found = one(session=session, query=for_agency(agency.id), referral_id=referral_id)
    if found is None:
        raise errors.NotFound(f"no referral {referral_id} for {agency.code}")
    return found


@router.get("/agency/referrals/{referral_id}")
@writes_when_read  # audits what the agency read
def agency_referral(referral_id: RowId, agency: AgencyDep, session: SessionDep) -> dict[str, Any]:
    referral = _mine(session=session, agency=agency, referral_id=referral_id)
    audit_agency_read(session=session, agency=agency, what="one", ids=[referral.id])
    return _view(agency=agency, referral=referral, session=session, steps=True)


@router.post("/agency/referrals/{referral_id}/events")
def agency_event(referral_id: RowId, body: EventIn, agency: AgencyDep, session: SessionDep) -> dict[str, Any]:
    """Report a step: acknowledge, accept, transfer, start_monitoring, report_test, complete, transfer_elsewhere,
    lose. 403 when your agency may not fire it on this referral, 409 when the loop does not allow it now; an
    ``idempotency_key`` makes a retried report harmless."""
    referral = _mine(session=session, agency=agency, referral_id=referral_id)
    apply_event(session=session, referral=referral, body=body, actor=Actor(name=f"agency:{agency.code}", agency=agency))
    return _view(agency=agency, referral=referral, session=session, steps=True)
