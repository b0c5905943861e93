"""HTTP API of screening: the voyages with how many each flags, one voyage's stored screening, screening one again;
and reading stored screening results back as the API's VoyageScreening."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from kouan import errors
from kouan.api.deps import SessionDep, Staff
from kouan.api.params import Offset, RowId
from kouan.screening.models import FindingRead, PolicyRead, Reason, ScreeningResult, TravellerResult, VoyageScreening
from kouan.screening.read import voyage_read
from kouan.screening.service import arrival_day, latest_results, screen_voyage, traveller_result, voyage_screening
from kouan.travel.registry.models import EXIT, Traveller, Voyage
from kouan.travel.registry.queries import get_voyage, list_voyages
from kouan.travel.registry.schemas import VoyagePage, VoyageRead
from kouan.users.models import User
from kouan.users.scoping import chosen_ports, sees, working_port

router = APIRouter(prefix="/api/voyages", tags=["voyages"])


@router.get("", response_model=VoyagePage)
def get_voyages(
    *,
    request: Request,
    night: date | None = Query(None, description="Arrivals of the night starting at noon of this day (local)."),
    port: str | None = Query(None, min_length=3, max_length=5, description="Only this port (one of yours)."),
    offset: Offset = 0,
    limit: int = Query(100, ge=1, le=500),
    session: SessionDep,
    user: Staff,
) -> VoyagePage:
    ports = chosen_ports(session=session, user=user, chosen=port)
    here = working_port(session=session, user=user, chosen=port, default=request.app.state.settings.port_of_entry)
    voyages, total = list_voyages(session=session, night=night, port=here, ports=ports, offset=offset, limit=limit)
    items = [voyage_read(session=session, voyage=v) for v in voyages]
    return VoyagePage(items=items, total=total, offset=offset, limit=limit)


@router.get("/{voyage_id}", response_model=VoyageRead)
def get_one_voyage(voyage_id: RowId, session: SessionDep, user: Staff) -> VoyageRead:
    return voyage_read(session=session, voyage=_voyage_or_404(session=session, user=user, voyage_id=voyage_id))


@router.get("/{voyage_id}/screening", response_model=VoyageScreening)
def get_screening(voyage_id: RowId, session: SessionDep, user: Staff) -> VoyageScreening:
    return stored_screening(session=session, voyage=_voyage_or_404(session=session, user=user, voyage_id=voyage_id))


@router.post("/{voyage_id}/screen", response_model=VoyageScreening)
def post_screen(
    *,
    request: Request,
    voyage_id: RowId,
    as_of: date | None = Query(None, description="Screen with what was known on this day."),
    session: SessionDep,
    user: Staff,
) -> VoyageScreening:
    voyage = _voyage_or_404(session=session, user=user, voyage_id=voyage_id)
    if voyage.direction == EXIT:
        raise errors.Invalid(f"voyage {voyage_id} is a departure: departures are not screened for epidemic risk")
    settings = request.app.state.settings
    return screen_voyage(
        session=session,
        voyage=voyage,
        as_of=as_of,
        classifier=settings.classifier,
        backend=settings.screening_backend,
    )


def _voyage_or_404(*, session: Session, user: User, voyage_id: int) -> Voyage:
    voyage = get_voyage(session=session, voyage_id=voyage_id)
    if voyage is None or not sees(session=session, user=user, port=voyage.our_port):
        raise errors.NotFound(f"no voyage {voyage_id}")
    return voyage


def stored_screening(*, session: Session, voyage: Voyage) -> VoyageScreening:
    pairs = latest_results(session=session, voyage=voyage)
    stored = [r for _t, r in pairs if r is not None]
    return voyage_screening(
        voyage=voyage,
        as_of=stored[0].as_of if stored else arrival_day(voyage),
        classifier=stored[0].classifier if stored else "",
        results=[_result(traveller=t, stored=r) for t, r in pairs],
    )


def _result(*, traveller: Traveller, stored: ScreeningResult | None) -> TravellerResult:
    if stored is None:
        return traveller_result(traveller=traveller, level="not screened", reasons=[], actions=[])
    reasons = [Reason(**r) for r in stored.reasons]
    findings = [FindingRead(**f) for f in stored.findings or []]
    policy = PolicyRead(**stored.policy) if stored.policy else None
    return traveller_result(
        traveller=traveller,
        level=stored.level,
        reasons=reasons,
        actions=stored.actions,
        findings=findings,
        policy=policy,
    )
