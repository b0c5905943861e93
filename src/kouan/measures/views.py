"""HTTP API for measures that analysts maintain: designations, arrival zones, foreign measures, and their audit.
Recording a designation rescreens past arrivals, so its POST lives in :mod:`kouan.intake.rescreen_views`."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request, status

from kouan.api.deps import Analysing, SessionDep, Staff
from kouan.audit.models import AuditEventRead
from kouan.audit.service import events_for, verify_chain
from kouan.measures.classifiers import classifier_by_name
from kouan.measures.designations import (
    add_zone,
    designations,
    publish_foreign_measure,
    zones,
)
from kouan.measures.key_regions import key_regions
from kouan.measures.models import (
    ArrivalZoneCreate,
    ArrivalZoneRead,
    DesignationRead,
    ForeignMeasureCreate,
    ForeignMeasureRead,
    KeyRegionList,
)

router = APIRouter(prefix="/api/measures", tags=["measures"])


@router.get("/designations", response_model=list[DesignationRead])
def get_designations(
    *, region_code: str | None = Query(None), session: SessionDep, user: Staff
) -> list[DesignationRead]:
    return [DesignationRead.model_validate(d) for d in designations(session=session, region_code=region_code)]


@router.get("/regions", response_model=KeyRegionList)
def get_key_regions(
    *,
    request: Request,
    on: date = Query(..., description="The day the levels apply to."),
    known_on: date | None = Query(None, description="As known on this day; the same day when omitted."),
    session: SessionDep,
    user: Staff,
) -> KeyRegionList:
    """Every region at medium or above on ``on`` as known on ``known_on``: the level officers screen with."""
    classifier = classifier_by_name(request.app.state.settings.classifier)
    return key_regions(session=session, on=on, known_on=known_on, classifier=classifier)


@router.post("/zones", response_model=ArrivalZoneRead, status_code=status.HTTP_201_CREATED)
def post_zone(item: ArrivalZoneCreate, session: SessionDep, user: Analysing) -> ArrivalZoneRead:
    """A special arrival zone at an airport; flights from origins at or above its level are assigned to it."""
    return ArrivalZoneRead.model_validate(add_zone(session=session, item=item, actor=user.username))


@router.get("/zones", response_model=list[ArrivalZoneRead])
def get_zones(*, airport: str | None = Query(None), session: SessionDep, user: Staff) -> list[ArrivalZoneRead]:
    return [ArrivalZoneRead.model_validate(z) for z in zones(session=session, airport=airport)]


@router.post("/foreign", response_model=ForeignMeasureRead, status_code=status.HTTP_201_CREATED)
def post_foreign_measure(item: ForeignMeasureCreate, session: SessionDep, user: Analysing) -> ForeignMeasureRead:
    """Publish another country's entry measure for outbound travellers (shown by the public query)."""
    return ForeignMeasureRead.model_validate(publish_foreign_measure(session=session, item=item, actor=user.username))


@router.get("/audit", response_model=list[AuditEventRead])
def get_audit(
    *,
    entity: str = Query(
        ...,
        pattern="^(region_designation|arrival_zone|foreign_measure)$",  # national rules only, no port's records
        description="region_designation, arrival_zone or foreign_measure",
    ),
    session: SessionDep,
    user: Analysing,
) -> list[AuditEventRead]:
    """Who changed which measure, when, why, with the old and new values (newest first)."""
    return [AuditEventRead.model_validate(e) for e in events_for(session=session, entity=entity)]


@router.get("/audit/verify")
def get_audit_verify(session: SessionDep, user: Analysing) -> dict[str, object]:
    """Whether the audit chain is intact, and the first broken event when it is not."""
    broken = verify_chain(session=session)
    return {
        "intact": broken is None,
        "first_broken_event": broken.event_id if broken else None,
        "problem": broken.problem if broken else None,
    }
