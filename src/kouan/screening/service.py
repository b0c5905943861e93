"""Screening a voyage held in the registry: its travellers' stays against the risk figures in force."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan.measures.classifiers import LEVEL_RANK, RateClassifier, classifier_by_name
from kouan.measures.designations import designations_for
from kouan.measures.models import RegionDesignation, RegionRisk
from kouan.reference import region_name
from kouan.screening import engine, memo
from kouan.screening.explain import actions_for, reason_text
from kouan.screening.models import FindingRead, Reason, ScreeningResult, TravellerResult, VoyageScreening
from kouan.screening.policy import assign_zone, policy_actions, traveller_policy, voyage_policy
from kouan.screening.stored import from_stored, store_results, stored_findings, stored_reasons, traveller_result
from kouan.travel.journey.stays import DECLARED, undeclared_places
from kouan.travel.registry.history import StayRecord
from kouan.travel.registry.models import Stay, Traveller, Voyage
from kouan.travel.registry.queries import current_travellers, current_versions


def risk_table(rows: Iterable[RiskRow]) -> pa.Table:
    """Risk rows (objects or named rows with the same fields) as the engine's Arrow input."""
    return pa.Table.from_pylist(
        [
            {
                "region_code": r.region_code,
                "data_date": r.data_date,
                "rate_14d": r.rate_14d,
                "recorded_date": r.recorded_at.date(),
                "source": r.source,
            }
            for r in rows
        ],
        schema=engine.RISK_SCHEMA,
    )


class RiskRow(Protocol):
    """The fields of a :class:`RegionRisk` the engine reads."""

    @property
    def region_code(self) -> str: ...
    @property
    def data_date(self) -> date: ...
    @property
    def rate_14d(self) -> float | None: ...
    @property
    def recorded_at(self) -> datetime: ...
    @property
    def source(self) -> str: ...


def risk_of(*, session: Session, region_codes: Iterable[str]) -> list[RiskRow]:
    """The risk rows of these regions, as plain rows (no ORM objects: there are hundreds per region)."""
    codes = sorted(set(region_codes))
    columns = (RegionRisk.region_code, RegionRisk.data_date, RegionRisk.rate_14d, RegionRisk.recorded_at)
    query = select(*columns, RegionRisk.source).where(RegionRisk.region_code.in_(codes))
    return list(session.execute(query).all()) if codes else []


@dataclass(frozen=True)
class StayInput:
    """One stay of one traveller, with the day the screening applies to and the day of arrival."""

    traveller_id: int
    stay_id: int
    stay: StayRecord
    screen_date: date
    arrival_date: date


def designations_table(
    rows: list[RegionDesignation], *, known_from: Callable[[RegionDesignation], date] | None = None
) -> pa.Table:
    """The designations as the engine reads them; each known from the day it was recorded, unless ``known_from``
    says otherwise (as known now: from the first day it is valid)."""
    known_from = known_from or (lambda d: d.recorded_at.date())
    return pa.Table.from_pylist(
        [
            {
                "designation_id": d.id,
                "region_code": d.region_code,
                "level_rank": LEVEL_RANK[d.level],
                "valid_from": d.valid_from,
                "valid_to": d.valid_to,
                "recorded_date": known_from(d),
            }
            for d in rows
        ],
        schema=engine.DESIGNATIONS_SCHEMA,
    )


def stays_table(inputs: list[StayInput]) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "traveller_id": i.traveller_id,
                "stay_id": i.stay_id,
                "region_code": i.stay.region_code,
                "place": i.stay.place,
                "stay_date": i.stay.stay_date,
                "screen_date": i.screen_date,
                "arrival_date": i.arrival_date,
                "source": i.stay.source,
            }
            for i in inputs
        ],
        schema=engine.STAYS_SCHEMA,
    )


def evaluate(
    *, session: Session, stays: pa.Table, classifier: RateClassifier, backend: str = "duckdb"
) -> dict[int, list[dict[str, Any]]]:
    """Engine reason rows per traveller id."""
    regions = stays.column("region_code").to_pylist()
    risk = risk_table(risk_of(session=session, region_codes=regions))
    designated = designations_table(designations_for(session=session, region_codes=regions))
    output = engine.run(stays=stays, risk=risk, classifier=classifier, backend=backend, designations=designated)
    by_traveller: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in output.reasons.to_pylist():
        by_traveller[row["traveller_id"]].append(row)
    return by_traveller


def explained(rows: list[dict[str, Any]], *, stays: Mapping[int, StayRecord]) -> tuple[str, list[Reason]]:
    """The traveller's level (the highest of its stays) and one reason per stay, highest first."""
    ordered = sorted(
        ({**r, **_provenance(stays.get(r["stay_id"]))} for r in rows), key=lambda r: (-r["level_rank"], r["stay_date"])
    )
    reasons = [
        Reason(
            rule=r["rule"],
            text=reason_text(row=r, region_name=region_name),
            region=r["region_code"],
            source_date=r["source_date"],
            level=r["level"],
            place=r["place"],
            stay_date=r["stay_date"],
            source=r["source"],
            evidence=r["evidence"],
        )
        for r in ordered
    ]
    return (ordered[0]["level"] if ordered else "low"), reasons


def _provenance(stay: StayRecord | None) -> dict[str, Any]:
    return {"evidence": stay.evidence if stay else None, "date_from": stay.date_from if stay else None}


def findings_for(*, stays: list[StayRecord], arrival: date) -> list[FindingRead]:
    declared = [s for s in stays if s.source == DECLARED]
    others = [s for s in stays if s.source != DECLARED]
    found = undeclared_places(declared=declared, others=others, arrival=arrival)
    return [FindingRead(kind=f.kind, region=f.region, source=f.source, text=f.text) for f in found]


def stays_by_traveller(*, session: Session, ids: list[int]) -> dict[int, list[tuple[int, StayRecord]]]:
    """Each traveller's stays (id, record) by day, read as plain rows (no Stay objects)."""
    columns = (Stay.traveller_id, Stay.id, Stay.region_code, Stay.place, Stay.stay_date, Stay.source)
    found: dict[int, list[tuple[int, StayRecord]]] = defaultdict(list)
    for start in range(0, len(ids), 900):
        query = select(*columns, Stay.date_from, Stay.evidence).where(Stay.traveller_id.in_(ids[start : start + 900]))
        for row in session.execute(query.order_by(Stay.traveller_id, Stay.stay_date, Stay.id)):
            found[row[0]].append((row[1], StayRecord(*row[2:6], row[6], row[7])))
    return found


def stay_record(stay: Stay) -> StayRecord:
    return StayRecord(stay.region_code, stay.place, stay.stay_date, stay.source, stay.date_from, stay.evidence)


class Scheduled(Protocol):
    """A voyage, or a row read with its schedule."""

    @property
    def scheduled_arrival(self) -> datetime | None: ...
    @property
    def flight_date(self) -> date: ...


def arrival_day(voyage: Scheduled) -> date:
    return voyage.scheduled_arrival.date() if voyage.scheduled_arrival else voyage.flight_date


def screen_voyage(
    *,
    session: Session,
    voyage: Voyage,
    as_of: date | None = None,
    classifier: str = "rate14-v1",
    backend: str = "duckdb",
) -> VoyageScreening:
    return screen_voyages(session=session, voyages=[voyage], as_of=as_of, classifier=classifier, backend=backend)[0]


def screen_voyages(
    *,
    session: Session,
    voyages: list[Voyage],
    as_of: date | None = None,
    classifier: str = "rate14-v1",
    backend: str = "duckdb",
) -> list[VoyageScreening]:
    """Screens the travellers currently on each voyage in one engine run and stores one result each
    (replacing an earlier result for the same day and classifier)."""
    on_board = {v.id: current_travellers(session=session, voyage_id=v.id, with_stays=False) for v in voyages}
    held = stays_by_traveller(session=session, ids=[t.id for travellers in on_board.values() for t in travellers])
    stamp = memo.measures_stamp(session)
    known = {
        v.id: memo.known_results(
            session=session,
            voyage=v,
            travellers=on_board[v.id],
            held=held,
            as_of=as_of or arrival_day(v),
            arrival=arrival_day(v),
            classifier=classifier,
            stamp=stamp,
        )
        for v in voyages
    }
    inputs = [
        StayInput(t.id, stay_id, stay, as_of or arrival_day(v), arrival_day(v))
        for v in voyages
        for t in on_board[v.id]
        if t.id not in known[v.id].stored and t.id not in known[v.id].same_stays
        for stay_id, stay in held.get(t.id, [])
    ]
    stays = {i.stay_id: i.stay for i in inputs}
    rows = _evaluated(session=session, inputs=inputs, classifier=classifier, backend=backend)
    return [
        _voyage_screening(
            session=session,
            voyage=v,
            travellers=on_board[v.id],
            rows=rows,
            stays=stays,
            held=held,
            known=known[v.id],
            as_of=as_of or arrival_day(v),
            classifier=classifier,
        )
        for v in voyages
    ]


def _evaluated(
    *, session: Session, inputs: list[StayInput], classifier: str, backend: str
) -> dict[int, list[dict[str, Any]]]:
    """Engine reason rows per traveller id; none without stays (every result known already, or no stays at all)."""
    if not inputs:
        return {}
    return evaluate(
        session=session, stays=stays_table(inputs), classifier=classifier_by_name(classifier), backend=backend
    )


def _voyage_screening(
    *,
    session: Session,
    voyage: Voyage,
    travellers: list[Traveller],
    rows: dict[int, list[dict[str, Any]]],
    stays: Mapping[int, StayRecord],
    held: Mapping[int, list[tuple[int, StayRecord]]],
    known: memo.Known,
    as_of: date,
    classifier: str,
) -> VoyageScreening:
    arrival = arrival_day(voyage)
    results = [
        from_stored(traveller=t, row=row)
        if (row := known.stored.get(t.id)) is not None
        else _screened(
            voyage=voyage,
            traveller=t,
            found=_found(t.id, rows=rows, stays=stays, held=held, known=known, arrival=arrival),
        )
        for t in travellers
    ]
    store_results(
        session=session,
        voyage=voyage,
        results=results,
        known=known,
        as_of=as_of,
        classifier=classifier,
    )
    assign_zone(session=session, voyage=voyage, results=results)
    voyage.policy = voyage_policy(results=results)
    return voyage_screening(voyage=voyage, as_of=as_of, classifier=classifier, results=results)


def _found(
    traveller_id: int,
    *,
    rows: dict[int, list[dict[str, Any]]],
    stays: Mapping[int, StayRecord],
    held: Mapping[int, list[tuple[int, StayRecord]]],
    known: memo.Known,
    arrival: date,
) -> tuple[str, list[Reason], list[FindingRead]]:
    """Level, reasons and findings: stored from the same stays, else from the engine's rows."""
    if (row := known.same_stays.get(traveller_id)) is not None:
        return row["level"], stored_reasons(row), stored_findings(row)
    level, reasons = explained(rows.get(traveller_id, []), stays=stays)
    return level, reasons, findings_for(stays=[s for _, s in held.get(traveller_id, [])], arrival=arrival)


def _screened(
    *, voyage: Voyage, traveller: Traveller, found: tuple[str, list[Reason], list[FindingRead]]
) -> TravellerResult:
    level, reasons, findings = found
    policy = traveller_policy(voyage=voyage, traveller=traveller)
    actions = actions_for(level, findings=len(findings))
    actions += policy_actions(voyage=voyage, traveller=traveller, policy=policy)
    return traveller_result(
        traveller=traveller, level=level, reasons=reasons, actions=actions, findings=findings, policy=policy
    )


def voyage_screening(
    *, voyage: Voyage, as_of: date, classifier: str, results: list[TravellerResult]
) -> VoyageScreening:
    return VoyageScreening(
        voyage_id=voyage.id,
        carrier=voyage.carrier,
        number=voyage.number,
        flight_date=voyage.flight_date,
        as_of=as_of,
        classifier=classifier,
        results=results,
        zone=voyage.zone.name if voyage.zone else None,
        zone_reason=voyage.zone_reason,
        policy=voyage.policy,
    )


def latest_results(*, session: Session, voyage: Voyage) -> list[tuple[Traveller, ScreeningResult | None]]:
    """Each current traveller with its most recent stored result (None when not screened yet)."""
    travellers = current_travellers(session=session, voyage_id=voyage.id)
    stored = session.scalars(
        select(ScreeningResult)
        .where(ScreeningResult.voyage_id == voyage.id)
        .order_by(ScreeningResult.screened_at, ScreeningResult.id)
    ).all()
    latest = {r.traveller_id: r for r in stored}
    return [(t, latest.get(t.id)) for t in travellers]


def latest_levels(*, session: Session, voyage: Voyage) -> list[tuple[int, str, int] | None]:
    """Each current traveller's latest level as (traveller id, level, rank), None when not screened yet: for
    summaries, three columns instead of whole travellers, stays and results."""
    versions = [v.id for v in current_versions(session=session, voyage_id=voyage.id)]
    travellers = session.scalars(select(Traveller.id).where(Traveller.voyage_version_id.in_(versions))).all()
    rows = session.execute(
        select(ScreeningResult.traveller_id, ScreeningResult.level, ScreeningResult.level_rank)
        .where(ScreeningResult.voyage_id == voyage.id)
        .order_by(ScreeningResult.screened_at, ScreeningResult.id)
    ).all()
    latest = {row.traveller_id: (row.traveller_id, row.level, row.level_rank) for row in rows}
    return [latest.get(traveller) for traveller in travellers]


def latest_result(*, session: Session, traveller_id: int | None) -> ScreeningResult | None:
    """The traveller's most recent screening result."""
    if traveller_id is None:
        return None
    query = select(ScreeningResult).where(ScreeningResult.traveller_id == traveller_id)
    return session.scalars(query.order_by(ScreeningResult.screened_at.desc(), ScreeningResult.id.desc())).first()
