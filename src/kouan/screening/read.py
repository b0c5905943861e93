"""Voyage summaries for the API and console, with how many of its travellers screening flagged."""

from __future__ import annotations

from collections import Counter

from sqlalchemy.orm import Session

from kouan.measures.classifiers import LEVEL_RANK
from kouan.screening.service import latest_levels
from kouan.travel.registry.models import Voyage
from kouan.travel.registry.queries import current_versions
from kouan.travel.registry.schemas import LegRead, VoyageRead

FLAG_RANK = LEVEL_RANK["medium"]


def voyage_read(*, session: Session, voyage: Voyage) -> VoyageRead:
    versions = current_versions(session=session, voyage_id=voyage.id)
    results = latest_levels(session=session, voyage=voyage)
    flagged = sum(1 for r in results if r is not None and r[2] >= FLAG_RANK)
    counts = Counter(r[1] if r is not None else "not screened" for r in results)
    legs = max(versions, key=lambda v: v.version).legs if versions else []
    return VoyageRead(
        id=voyage.id,
        carrier=voyage.carrier,
        number=voyage.number,
        flight_date=voyage.flight_date,
        origin=voyage.origin,
        destination=voyage.destination,
        scheduled_arrival=voyage.scheduled_arrival,
        direction=voyage.direction,
        scheduled_departure=voyage.scheduled_departure,
        latest_version=max((v.version for v in voyage.versions), default=0),
        message_types=[v.message_type for v in versions],
        traveller_count=len(results),
        flagged_count=flagged,
        level_counts=dict(counts),
        legs=[LegRead.model_validate(leg) for leg in legs],
        zone=voyage.zone.name if voyage.zone else None,
        zone_reason=voyage.zone_reason,
        aircraft=voyage.aircraft,
        divert_to=sorted({a for r in (voyage.policy or {}).get("rules", []) for a in r.get("divert_to", [])}),
    )
