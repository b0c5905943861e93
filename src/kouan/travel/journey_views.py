"""HTTP API for the other sources of a journey: PNRGOV pushes, our crossings, declarations; and a traveller's
whole journey with the source of each stay and each link."""

from __future__ import annotations

from fastapi import APIRouter, Body, Depends, Request, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan import errors
from kouan.api.body import read_text_body, text_body
from kouan.api.deps import Analysing, SessionDep, Staff
from kouan.api.params import RowId
from kouan.formats.pnrgov import parse_pnrgov
from kouan.reference import region_name
from kouan.screening.service import screen_voyages
from kouan.travel.journey_service import add_crossings, add_declarations, ingest_pnrgov
from kouan.travel.models import Stay, Traveller, VoyageVersion
from kouan.travel.queries import get_voyage
from kouan.travel.source_models import (
    CrossingCreate,
    CrossingsFiled,
    DeclarationCreate,
    DeclarationsFiled,
    LinkRead,
    PnrIngestResult,
    StayRead,
    TravellerJourney,
)
from kouan.travel.sources import Declaration, TravellerLink
from kouan.users.scoping import may_file_for, sees

router = APIRouter(prefix="/api", tags=["journeys"])


def _rescreen(*, request: Request, session: Session, voyage_ids: list[int]) -> None:
    settings = request.app.state.settings
    voyages = [v for i in voyage_ids if (v := get_voyage(session=session, voyage_id=i))]
    if voyages:
        screen_voyages(
            session=session, voyages=voyages, classifier=settings.classifier, backend=settings.screening_backend
        )


@router.post(
    "/pnrgov",
    response_model=PnrIngestResult,
    status_code=status.HTTP_201_CREATED,
    openapi_extra=text_body("A raw UN/EDIFACT PNRGOV push (10.1, 11.1 or 13.1), as the carrier sent it."),
)
def post_pnrgov(
    *,
    request: Request,
    user: Staff,  # first: no body is read for a caller who is not signed in
    raw: str = Depends(read_text_body),
    session: SessionDep,
) -> PnrIngestResult:
    """A raw PNRGOV push. When the flight's manifest is already filed, its travellers are relinked and rescreened."""
    message = parse_pnrgov(raw)
    result = ingest_pnrgov(session=session, message=message, raw=raw, port=request.app.state.settings.port_of_entry)
    if result.voyage_id is not None:  # a flight of another port's: the filing is rolled back
        voyage = get_voyage(session=session, voyage_id=result.voyage_id)
        may_file_for(session=session, user=user, port=voyage.destination if voyage else None)
    if result.created and result.voyage_id is not None:
        _rescreen(request=request, session=session, voyage_ids=[result.voyage_id])
    return result


@router.post("/crossings", response_model=CrossingsFiled, status_code=status.HTTP_201_CREATED)
def post_crossings(
    *,
    crossings: list[CrossingCreate] = Body(..., max_length=100_000),
    session: SessionDep,
    user: Analysing,
) -> CrossingsFiled:
    """Our own exit and entry records, in bulk; records already held are skipped."""
    return CrossingsFiled(added=add_crossings(session=session, crossings=crossings), received=len(crossings))


@router.post("/declarations", response_model=DeclarationsFiled, status_code=status.HTTP_201_CREATED)
def post_declarations(
    *,
    request: Request,
    declarations: list[DeclarationCreate] = Body(..., max_length=100_000),
    session: SessionDep,
    user: Staff,
) -> DeclarationsFiled:
    """Health declarations in bulk from other channels; the voyages they name are relinked and rescreened."""
    port = request.app.state.settings.port_of_entry
    ids, voyages = add_declarations(session=session, declarations=declarations, port=port)
    _rescreen(request=request, session=session, voyage_ids=[v.id for v in voyages])
    codes = [row.code for i in ids if (row := session.get(Declaration, i)) and row.code]
    return DeclarationsFiled(ids=ids, codes=codes, voyages_rescreened=[v.id for v in voyages])


@router.get("/travellers/{traveller_id}/journey", response_model=TravellerJourney)
def get_journey(traveller_id: RowId, session: SessionDep, user: Staff) -> TravellerJourney:
    """Every stay with its source, and every link with its score and evidence."""
    journey = traveller_journey(session=session, traveller_id=traveller_id)
    if journey is None or not sees(session=session, user=user, port=journey_port(session=session, journey=journey)):
        raise errors.NotFound(f"no traveller {traveller_id}")
    return journey


def journey_port(*, session: Session, journey: TravellerJourney) -> str | None:
    """The port the traveller's voyage arrives at (whose units see the traveller)."""
    voyage = get_voyage(session=session, voyage_id=journey.voyage_id)
    return voyage.destination if voyage else None


def traveller_journey(*, session: Session, traveller_id: int) -> TravellerJourney | None:
    traveller = session.get(Traveller, traveller_id)
    if traveller is None:
        return None
    version = session.get(VoyageVersion, traveller.voyage_version_id)
    assert version is not None
    links = session.scalars(select(TravellerLink).where(TravellerLink.traveller_id == traveller_id)).all()
    return TravellerJourney(
        traveller_id=traveller.id,
        voyage_id=version.voyage_id,
        flight=f"{version.voyage.carrier}{version.voyage.number}",
        surname=traveller.surname,
        given_names=traveller.given_names,
        nationality=traveller.nationality,
        document_number=traveller.document_number,
        stays=[_stay(s) for s in sorted(traveller.stays, key=lambda s: (s.date_from or s.stay_date, s.stay_date))],
        links=[LinkRead.model_validate(link, from_attributes=True) for link in links],
    )


def _stay(stay: Stay) -> StayRead:
    return StayRead(
        region=stay.region_code,
        region_name=region_name(stay.region_code),
        place=stay.place,
        date_from=stay.date_from,
        stay_date=stay.stay_date,
        source=stay.source,
        evidence=stay.evidence,
    )
