"""HTTP API of a traveller's whole journey, with the source of each stay and each link."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan import errors
from kouan.api.deps import SessionDep, Staff
from kouan.api.params import RowId
from kouan.reference import region_name
from kouan.travel.journey.models import TravellerLink
from kouan.travel.journey.schemas import LinkRead, StayRead, TravellerJourney
from kouan.travel.registry.models import Stay, Traveller, VoyageVersion
from kouan.travel.registry.queries import get_voyage
from kouan.users.scoping import sees

router = APIRouter(prefix="/api", tags=["journeys"])


@router.get("/travellers/{traveller_id}/journey", response_model=TravellerJourney)
def get_journey(traveller_id: RowId, session: SessionDep, user: Staff) -> TravellerJourney:
    """Every stay with its source, and every link with its score and evidence."""
    journey = traveller_journey(session=session, traveller_id=traveller_id)
    if journey is None or not sees(session=session, user=user, port=journey_port(session=session, journey=journey)):
        raise errors.NotFound(f"no traveller {traveller_id}")
    return journey


def journey_port(*, session: Session, journey: TravellerJourney) -> str | None:
    """The traveller's voyage's own port, where it arrives or leaves from (whose units see the traveller)."""
    voyage = get_voyage(session=session, voyage_id=journey.voyage_id)
    return voyage.our_port if voyage else None


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
