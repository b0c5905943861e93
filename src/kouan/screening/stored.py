"""A voyage's screening results as stored (one row per traveller and day screened for) and as answered."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from kouan.db import ONE_STATEMENT
from kouan.measures.classifiers import LEVEL_RANK
from kouan.screening.models import FindingRead, PolicyRead, Reason, ScreeningResult, TravellerResult
from kouan.travel.registry.models import Traveller, Voyage


def traveller_result(
    *,
    traveller: Traveller,
    level: str,
    reasons: list[Reason],
    actions: list[str],
    findings: list[FindingRead] | None = None,
    policy: PolicyRead | None = None,
) -> TravellerResult:
    return TravellerResult(
        traveller_id=traveller.id,
        surname=traveller.surname,
        given_names=traveller.given_names,
        role=traveller.role,
        nationality=traveller.nationality,
        seat=traveller.seat,
        level=level,
        reasons=reasons,
        actions=actions,
        findings=findings or [],
        policy=policy,
    )


def store_results(
    *,
    session: Session,
    voyage: Voyage,
    results: list[TravellerResult],
    hashes: Mapping[int, str],
    as_of: date,
    classifier: str,
) -> None:
    ids = [r.traveller_id for r in results]
    session.execute(
        delete(ScreeningResult).where(
            ScreeningResult.traveller_id.in_(ids),
            ScreeningResult.as_of == as_of,
            ScreeningResult.classifier == classifier,
            ScreeningResult.known_on.is_(None),  # an answer with what was known later stays beside it
        )
    )
    rows = [
        {
            "traveller_id": r.traveller_id,
            "voyage_id": voyage.id,
            "level": r.level,
            "level_rank": LEVEL_RANK[r.level],
            "as_of": as_of,
            "classifier": classifier,
            "inputs_sha256": hashes.get(r.traveller_id),
            "reasons": [x.model_dump(mode="json") for x in r.reasons],
            "actions": r.actions,
            "findings": [f.model_dump() for f in r.findings],
            "policy": r.policy.model_dump() if r.policy else None,
        }
        for r in results
    ]
    if rows:  # one executemany, not an ORM object per traveller
        session.execute(insert(ScreeningResult), rows, execution_options=ONE_STATEMENT)


def from_stored(*, traveller: Traveller, row: dict[str, Any]) -> TravellerResult:
    """The result stored for the same inputs, for this traveller."""
    return traveller_result(
        traveller=traveller,
        level=row["level"],
        reasons=[Reason.model_validate(r) for r in row["reasons"]],
        actions=list(row["actions"]),
        findings=[FindingRead.model_validate(f) for f in row["findings"] or []],
        policy=PolicyRead.model_validate(row["policy"]) if row["policy"] is not None else None,
    )
