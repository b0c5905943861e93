"""Screening past arrivals again with what is known now, beside the answer given at arrival.

The engine reads the risk figures and designations in force on the screen date *as known on* that same date. To ask
"what was in force on the arrival day, as known on K" the inputs are rewritten before the engine sees them:

- designations recorded by K count as if always known (valid on the arrival day, the one recorded last wins);
- of each region's figures for one data day, the last recorded by K stands for that day, known from the earlier of
  when that day was first recorded and the day after it describes (a correction replaces the figure it corrects; a
  late figure for an early day counts for arrivals after that day).

The answer is stored as a :class:`ScreeningResult` with ``known_on`` = K, replacing only an earlier "now" answer for
the same arrival: the answer at arrival (``known_on`` NULL) is never touched. Services never commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pyarrow as pa
from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kouan.measures.classifiers import LEVEL_RANK, classifier_by_name
from kouan.measures.designations import designations_for
from kouan.measures.models import RegionDesignation, RegionRisk
from kouan.measures.service import risk_rows
from kouan.screening import engine
from kouan.screening.explain import actions_for
from kouan.screening.models import Reason, ScreeningResult, TravellerResult
from kouan.screening.policy import policy_actions, traveller_policy
from kouan.screening.service import (
    StayInput,
    arrival_day,
    designations_table,
    explained,
    findings_for,
    stay_record,
    stays_table,
    traveller_result,
)
from kouan.travel.registry.history import StayRecord
from kouan.travel.registry.models import Traveller, Voyage

Arrival = tuple[Voyage, Traveller]
CHUNK = 5000  # ids per IN list: under SQLite's and PostgreSQL's limits on bound parameters


@dataclass(frozen=True)
class Answers:
    """A traveller's answer at arrival ("then") and the latest answer with what was known later ("now")."""

    then: ScreeningResult | None
    now: ScreeningResult | None


def risk_known_on(rows: list[RegionRisk], *, known_on: date) -> pa.Table:
    """Per region and data day, the last figure recorded by ``known_on``, dated as known when its day first was."""
    first: dict[tuple[str, date], date] = {}
    last: dict[tuple[str, date], RegionRisk] = {}
    for row in sorted((r for r in rows if r.recorded_at.date() <= known_on), key=lambda r: (r.recorded_at, r.id)):
        key = (row.region_code, row.data_date)
        first.setdefault(key, row.recorded_at.date())
        last[key] = row
    dated = [(row, min(first[key], key[1] + timedelta(days=1))) for key, row in last.items()]
    return pa.Table.from_pylist(
        [
            {
                "region_code": r.region_code,
                "data_date": r.data_date,
                "rate_14d": r.rate_14d,
                "recorded_date": known,
                "source": r.source,
            }  # fmt: skip
            for r, known in dated
        ],
        schema=engine.RISK_SCHEMA,
    )


def designations_known_on(rows: list[RegionDesignation], *, known_on: date) -> pa.Table:
    """The designations recorded by ``known_on``, each as if known from the first day it is valid."""
    recorded = [d for d in rows if d.recorded_at.date() <= known_on]
    return designations_table(recorded, known_from=lambda d: d.valid_from)


def _inputs(arrivals: list[Arrival]) -> list[StayInput]:
    return [StayInput(t.id, s.id, stay_record(s), arrival_day(v), arrival_day(v)) for v, t in arrivals for s in t.stays]


def screen_known_on(
    *, session: Session, arrivals: list[Arrival], known_on: date, classifier: str, backend: str = "duckdb"
) -> list[ScreeningResult]:
    """Each traveller screened for their arrival day as known on ``known_on``, in one engine run, and stored."""
    inputs = _inputs(arrivals)
    stays = {i.stay_id: i.stay for i in inputs}
    regions = sorted({i.stay.region_code for i in inputs})
    output = engine.run(
        stays=stays_table(inputs),
        risk=risk_known_on(risk_rows(session=session, region_codes=regions), known_on=known_on),
        designations=designations_known_on(designations_for(session=session, region_codes=regions), known_on=known_on),
        classifier=classifier_by_name(classifier),
        backend=backend,
    )
    rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in output.reasons.to_pylist():
        rows[row["traveller_id"]].append(row)
    results = [(v, _result(voyage=v, traveller=t, rows=rows[t.id], stays=stays)) for v, t in arrivals]
    return _store(session=session, results=results, known_on=known_on, classifier=classifier)


def _result(
    *, voyage: Voyage, traveller: Traveller, rows: list[dict[str, Any]], stays: Mapping[int, StayRecord]
) -> TravellerResult:
    level, reasons = explained(rows, stays=stays)
    findings = findings_for(stays=[stay_record(s) for s in traveller.stays], arrival=arrival_day(voyage))
    policy = traveller_policy(voyage=voyage, traveller=traveller)
    actions = actions_for(level, findings=len(findings)) + policy_actions(
        voyage=voyage, traveller=traveller, policy=policy
    )
    return traveller_result(
        traveller=traveller, level=level, reasons=reasons, actions=actions, findings=findings, policy=policy
    )


def _store(
    *, session: Session, results: list[tuple[Voyage, TravellerResult]], known_on: date, classifier: str
) -> list[ScreeningResult]:
    """The "now" answers, replacing earlier "now" answers of the same travellers and classifier (a traveller arrives
    once: their answers are all for that day), never an answer at arrival."""
    for ids in chunks([r.traveller_id for _, r in results]):
        session.execute(
            delete(ScreeningResult).where(
                ScreeningResult.traveller_id.in_(ids),
                ScreeningResult.classifier == classifier,
                ScreeningResult.known_on.is_not(None),
            )
        )
    rows = [_row(voyage=v, result=r, known_on=known_on, classifier=classifier) for v, r in results]
    session.add_all(rows)
    session.flush()
    return rows


def _row(*, voyage: Voyage, result: TravellerResult, known_on: date, classifier: str) -> ScreeningResult:
    return ScreeningResult(
        traveller_id=result.traveller_id,
        voyage_id=voyage.id,
        level=result.level,
        level_rank=LEVEL_RANK[result.level],
        as_of=arrival_day(voyage),
        known_on=known_on,
        classifier=classifier,
        reasons=[x.model_dump(mode="json") for x in result.reasons],
        actions=result.actions,
        findings=[f.model_dump() for f in result.findings],
        policy=result.policy.model_dump() if result.policy else None,
    )


def chunks(ids: list[int], size: int = CHUNK) -> list[list[int]]:
    """Ids in lists of at most ``size``, for IN clauses."""
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def known_levels(*, session: Session, traveller_ids: list[int]) -> dict[int, str]:
    """Each traveller's last level known: the last "now" answer, else the last answer at arrival (absent: never
    screened)."""
    then: dict[int, str] = {}
    now: dict[int, str] = {}
    for ids in chunks(traveller_ids):
        query = select(ScreeningResult.traveller_id, ScreeningResult.level, ScreeningResult.known_on)
        ordered = query.where(ScreeningResult.traveller_id.in_(ids)).order_by(
            ScreeningResult.screened_at, ScreeningResult.id
        )
        for row in session.execute(ordered):
            (now if row.known_on is not None else then)[row.traveller_id] = row.level
    return {**then, **now}


def answers(*, session: Session, traveller_id: int) -> Answers:
    """The traveller's answer at arrival and the latest answer with what was known later (None where there is none)."""
    query = select(ScreeningResult).where(ScreeningResult.traveller_id == traveller_id)
    latest = query.order_by(ScreeningResult.screened_at.desc(), ScreeningResult.id.desc()).limit(1)
    then = session.scalars(latest.where(ScreeningResult.known_on.is_(None))).first()
    now = session.scalars(latest.where(ScreeningResult.known_on.is_not(None))).first()
    return Answers(then=then, now=now)


class AnswerRead(BaseModel):
    """One stored answer: the level, for which arrival day, as known on which day (None: on that day)."""

    model_config = ConfigDict(from_attributes=True)
    level: str
    as_of: date
    known_on: date | None
    reasons: list[Reason]
    actions: list[str]
    screened_at: datetime


class AnswersRead(BaseModel):
    """Both answers side by side: "as known then" (at arrival) and "as known now" (None until re-screened)."""

    then: AnswerRead | None
    now: AnswerRead | None


def answers_read(*, session: Session, traveller_id: int) -> AnswersRead:
    found = answers(session=session, traveller_id=traveller_id)
    return AnswersRead(
        then=AnswerRead.model_validate(found.then) if found.then else None,
        now=AnswerRead.model_validate(found.now) if found.now else None,
    )
