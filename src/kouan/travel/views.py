"""HTTP API of the travel registry: file a carrier message, list voyages, read one voyage's screening."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from sqlalchemy.orm import Session

from kouan import errors
from kouan.api.body import read_text_body, text_body
from kouan.api.deps import SessionDep, Staff
from kouan.api.params import Offset, RowId
from kouan.formats.paxlst import parse_paxlst
from kouan.screening.models import VoyageScreening
from kouan.screening.service import screen_voyage
from kouan.screening.views import stored_screening
from kouan.travel.models import IngestResult, VoyagePage, VoyageRead
from kouan.travel.queries import get_voyage, list_voyages
from kouan.travel.read import voyage_read
from kouan.travel.service import ingest_paxlst
from kouan.users.models import User
from kouan.users.scoping import may_file_for, sees
from kouan.users.units import visible_ports

router = APIRouter(prefix="/api/voyages", tags=["voyages"])

PAXLST_BODY = text_body("A raw UN/EDIFACT PAXLST message (D:02B, D:05B or D:12B), as the carrier sent it.")


class IngestAndScreening(IngestResult):
    screening: VoyageScreening


@router.post(
    "/paxlst", response_model=IngestAndScreening, status_code=status.HTTP_201_CREATED, openapi_extra=PAXLST_BODY
)
def post_paxlst(
    *,
    request: Request,
    user: Staff,  # first: no body is read for a caller who is not signed in
    raw: str = Depends(read_text_body),
    session: SessionDep,
) -> IngestAndScreening:
    message = parse_paxlst(raw)
    settings = request.app.state.settings
    _within_travellers_limit(count=len(message.travellers), limit=settings.max_message_travellers)
    result = ingest_paxlst(session=session, message=message, raw=raw, port=settings.port_of_entry)
    voyage = get_voyage(session=session, voyage_id=result.voyage_id)
    assert voyage is not None
    may_file_for(session=session, user=user, port=voyage.destination)  # rolls the filing back
    screening = screen_voyage(
        session=session, voyage=voyage, classifier=settings.classifier, backend=settings.screening_backend
    )
    return IngestAndScreening(**result.model_dump(), screening=screening)


@router.get("", response_model=VoyagePage)
def get_voyages(
    *,
    request: Request,
    night: date | None = Query(None, description="Arrivals of the night starting at noon of this day (local)."),
    offset: Offset = 0,
    limit: int = Query(100, ge=1, le=500),
    session: SessionDep,
    user: Staff,
) -> VoyagePage:
    port = request.app.state.settings.port_of_entry
    ports = visible_ports(session=session, user=user)
    voyages, total = list_voyages(session=session, night=night, port=port, ports=ports, offset=offset, limit=limit)
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
    settings = request.app.state.settings
    return screen_voyage(
        session=session,
        voyage=voyage,
        as_of=as_of,
        classifier=settings.classifier,
        backend=settings.screening_backend,
    )


def _within_travellers_limit(*, count: int, limit: int) -> None:
    if count > limit:
        detail = f"the message lists {count} travellers; this server files at most {limit} in one message"
        raise HTTPException(status_code=status.HTTP_413_CONTENT_TOO_LARGE, detail=detail)


def _voyage_or_404(*, session: Session, user: User, voyage_id: int):  # noqa: ANN202
    voyage = get_voyage(session=session, voyage_id=voyage_id)
    if voyage is None or not sees(session=session, user=user, port=voyage.destination):
        raise errors.NotFound(f"no voyage {voyage_id}")
    return voyage
