"""A voyage's screening results as stored (one row per traveller and day screened for) and as answered."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Insert, Integer, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from kouan.db import ONE_STATEMENT, UTCDateTime, utcnow
from kouan.measures.classifiers import LEVEL_RANK
from kouan.screening.memo import Known
from kouan.screening.models import FindingRead, PolicyRead, Reason, ScreeningResult, TravellerResult
from kouan.travel.registry.models import Traveller, Voyage

CHUNK = 900  # ids per IN list


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
    known: Known,
    as_of: date,
    classifier: str,
) -> None:
    """Each result as the traveller's one for the day and classifier: a stored row of the traveller's own from the
    same inputs is kept (as screened now), one of another traveller's is copied in the database (its JSON is not
    encoded again), the others are inserted."""
    now, stored = utcnow(), known.stored
    kept = {t: row["id"] for t, row in stored.items() if row["traveller_id"] == t}
    copies = [{"new": t, "source": row["id"], "now": now} for t, row in stored.items() if t not in kept]
    _delete_earlier(session=session, ids=[r.traveller_id for r in results if r.traveller_id not in kept],
                    keep=[c["source"] for c in copies], as_of=as_of, classifier=classifier)  # fmt: skip
    if kept:
        session.execute(update(ScreeningResult).where(ScreeningResult.id.in_(kept.values())).values(screened_at=now))
    if copies:
        session.execute(COPY, copies)
    fresh = [_row(r, voyage=voyage, hashes=known.hashes, as_of=as_of, classifier=classifier) for r in results
             if r.traveller_id not in stored]  # fmt: skip
    if fresh:  # one executemany, not an ORM object per traveller
        session.execute(insert(ScreeningResult), fresh, execution_options=ONE_STATEMENT)


def _copy_statement() -> Insert:
    table = ScreeningResult.metadata.tables["screening_result"]
    same = [c for c in table.columns if c.key not in ("id", "traveller_id", "screened_at")]
    source = select(bindparam("new", type_=Integer), *same, bindparam("now", type_=UTCDateTime()))
    columns = ["traveller_id", *(c.key for c in same), "screened_at"]
    return insert(table).from_select(columns, source.where(table.c.id == bindparam("source")))


COPY = _copy_statement()


def _delete_earlier(*, session: Session, ids: list[int], keep: list[int], as_of: date, classifier: str) -> None:
    for start in range(0, len(ids), CHUNK):
        session.execute(
            delete(ScreeningResult).where(
                ScreeningResult.traveller_id.in_(ids[start : start + CHUNK]),
                ScreeningResult.as_of == as_of,
                ScreeningResult.classifier == classifier,
                ScreeningResult.known_on.is_(None),  # an answer with what was known later stays beside it
                ScreeningResult.id.not_in(keep),  # the source of a copy
            )
        )


def _row(
    result: TravellerResult, *, voyage: Voyage, hashes: Mapping[int, tuple[str, str]], as_of: date, classifier: str
) -> dict[str, Any]:
    full, stays = hashes.get(result.traveller_id, (None, None))
    return {
        "traveller_id": result.traveller_id,
        "voyage_id": voyage.id,
        "level": result.level,
        "level_rank": LEVEL_RANK[result.level],
        "as_of": as_of,
        "classifier": classifier,
        "inputs_sha256": full,
        "stays_sha256": stays,
        "reasons": [x.model_dump(mode="json") for x in result.reasons],
        "actions": result.actions,
        "findings": [f.model_dump() for f in result.findings],
        "policy": result.policy.model_dump() if result.policy else None,
    }


def from_stored(*, traveller: Traveller, row: Mapping[str, Any]) -> TravellerResult:
    """The result stored for the same inputs (its JSON as text), for this traveller."""
    return traveller_result(
        traveller=traveller,
        level=row["level"],
        reasons=stored_reasons(row),
        actions=ACTIONS.validate_json(row["actions"]),
        findings=stored_findings(row),
        policy=POLICY.validate_json(row["policy"]) if row["policy"] is not None else None,
    )


def stored_reasons(row: Mapping[str, Any]) -> list[Reason]:
    return REASONS.validate_json(row["reasons"])


def stored_findings(row: Mapping[str, Any]) -> list[FindingRead]:
    return FINDINGS.validate_json(row["findings"] or "[]")


REASONS = TypeAdapter(list[Reason])
FINDINGS = TypeAdapter(list[FindingRead])
ACTIONS = TypeAdapter(list[str])
POLICY = TypeAdapter(PolicyRead | None)
