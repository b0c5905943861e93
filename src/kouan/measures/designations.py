"""Analysts' designations, arrival zones and foreign measures: recorded with an audit event, never overwritten.

Bitemporal reading: "as known on K, what was in force on D" takes, among designations recorded on or before K
whose [valid_from, valid_to) covers D, the one recorded last.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kouan import errors
from kouan.audit.service import record
from kouan.db import utcnow
from kouan.measures.models import (
    ArrivalZone,
    ArrivalZoneCreate,
    DesignationCreate,
    ForeignMeasure,
    ForeignMeasureCreate,
    RegionDesignation,
    RegionRisk,
)
from kouan.reference import country, region


class UnknownRegion(errors.FieldInvalid):
    """A region code kouan does not know (HTTP 422 naming the field it came in)."""


def _as_dict(row: Any, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in fields}


Audited = TypeVar("Audited", RegionDesignation, ArrivalZone, ForeignMeasure)


def _add_audited(
    *, session: Session, row: Audited, actor: str, action: str, after: dict[str, Any], basis: str | None = None
) -> Audited:
    """Store a measure and its audit event in the caller's transaction."""
    session.add(row)
    session.flush()
    record(
        session=session,
        actor=actor,
        action=action,
        entity=row.__tablename__,
        entity_id=row.id,
        basis=basis,
        after=after,
    )
    return row


def designate(*, session: Session, item: DesignationCreate, actor: str) -> RegionDesignation:
    if region(item.region_code) is None:
        raise UnknownRegion(
            f"region_code {item.region_code!r} is neither a country (alpha-3) nor a CN-XX province", field="region_code"
        )
    row = RegionDesignation(**item.model_dump(), recorded_by=actor, recorded_at=utcnow())
    return _add_audited(
        session=session, row=row, actor=actor, action="designate", basis=item.reason, after=item.model_dump(mode="json")
    )


def designation_in_force(
    *, session: Session, region_code: str, on: date, known_on: datetime | None = None
) -> RegionDesignation | None:
    known = known_on or utcnow()
    return session.scalar(
        select(RegionDesignation)
        .where(
            RegionDesignation.region_code == region_code,
            RegionDesignation.recorded_at <= known,
            RegionDesignation.valid_from <= on,
            or_(RegionDesignation.valid_to.is_(None), RegionDesignation.valid_to > on),
        )
        .order_by(RegionDesignation.recorded_at.desc(), RegionDesignation.id.desc())
        .limit(1)
    )


def designations(*, session: Session, region_code: str | None = None) -> list[RegionDesignation]:
    query = select(RegionDesignation).order_by(RegionDesignation.recorded_at.desc(), RegionDesignation.id.desc())
    if region_code:
        query = query.where(RegionDesignation.region_code == region_code)
    return list(session.scalars(query).all())


def designations_for(*, session: Session, region_codes: list[str]) -> list[RegionDesignation]:
    codes = sorted(set(region_codes))
    if not codes:
        return []
    return list(session.scalars(select(RegionDesignation).where(RegionDesignation.region_code.in_(codes))).all())


def risk_known_on(*, session: Session, region_code: str, on: date) -> RegionRisk | None:
    """The latest figure for the region among those known by the end of ``on`` (as screening uses them)."""
    end = datetime.combine(on, time(23, 59, 59), UTC)
    return session.scalar(
        select(RegionRisk)
        .where(RegionRisk.region_code == region_code, RegionRisk.recorded_at <= end)
        .order_by(RegionRisk.data_date.desc(), RegionRisk.recorded_at.desc())
        .limit(1)
    )


class ZoneExists(errors.Conflict, ValueError):
    """An airport already has a zone with this code: change or retire it instead."""


def add_zone(*, session: Session, item: ArrivalZoneCreate, actor: str) -> ArrivalZone:
    same = select(ArrivalZone.id).where(ArrivalZone.airport == item.airport, ArrivalZone.code == item.code)
    if session.scalar(same) is not None:
        raise ZoneExists(f"{item.airport} already has a zone {item.code}")
    row = ArrivalZone(**item.model_dump(), active=True)
    return _add_audited(session=session, row=row, actor=actor, action="add", after=item.model_dump(mode="json"))


def zones(*, session: Session, airport: str | None = None) -> list[ArrivalZone]:
    query = select(ArrivalZone).where(ArrivalZone.active.is_(True)).order_by(ArrivalZone.airport, ArrivalZone.code)
    if airport:
        query = query.where(ArrivalZone.airport == airport)
    return list(session.scalars(query).all())


def publish_foreign_measure(*, session: Session, item: ForeignMeasureCreate, actor: str) -> ForeignMeasure:
    known = country(item.country)
    found = region(known.iso_country or known.code) if known else None
    if found is None or found.kind != "country":
        raise UnknownRegion(f"country {item.country!r} is not a country code", field="country")
    values = {**item.model_dump(), "country": found.code}
    row = ForeignMeasure(**values, recorded_by=actor, recorded_at=utcnow())
    return _add_audited(
        session=session, row=row, actor=actor, action="publish", basis=item.source, after=_as_dict(row, list(values))
    )


def foreign_measures(*, session: Session, country: str, on: date) -> list[ForeignMeasure]:
    return list(
        session.scalars(
            select(ForeignMeasure)
            .where(
                ForeignMeasure.country == country,
                ForeignMeasure.valid_from <= on,
                or_(ForeignMeasure.valid_to.is_(None), ForeignMeasure.valid_to > on),
            )
            .order_by(ForeignMeasure.valid_from.desc())
        ).all()
    )
