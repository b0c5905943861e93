"""Reading stored screening results back as the API's VoyageScreening."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kouan.screening.models import FindingRead, PolicyRead, Reason, ScreeningResult, TravellerResult, VoyageScreening
from kouan.screening.service import arrival_day, latest_results, traveller_result, voyage_screening
from kouan.travel.models import Traveller, Voyage


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
