"""Reading stored screening results back as the API's VoyageScreening."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kouan.screening.models import Reason, ScreeningResult, TravellerResult, VoyageScreening
from kouan.screening.service import arrival_day, latest_results
from kouan.travel.models import Traveller, Voyage


def stored_screening(*, session: Session, voyage: Voyage) -> VoyageScreening:
    pairs = latest_results(session=session, voyage=voyage)
    stored = [r for _t, r in pairs if r is not None]
    return VoyageScreening(
        voyage_id=voyage.id,
        carrier=voyage.carrier,
        number=voyage.number,
        flight_date=voyage.flight_date,
        as_of=stored[0].as_of if stored else arrival_day(voyage),
        classifier=stored[0].classifier if stored else "",
        results=[_result(traveller=t, stored=r) for t, r in pairs],
    )


def _result(*, traveller: Traveller, stored: ScreeningResult | None) -> TravellerResult:
    return TravellerResult(
        traveller_id=traveller.id,
        surname=traveller.surname,
        given_names=traveller.given_names,
        role=traveller.role,
        nationality=traveller.nationality,
        seat=traveller.seat,
        level=stored.level if stored else "not screened",
        reasons=[Reason(**r) for r in stored.reasons] if stored else [],
        actions=stored.actions if stored else [],
    )
