"""Recording a violation case (audited), listing the cases of the ports one sees, and counting them by unit and type
for the reports. Services never commit: the caller owns the transaction."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from kouan import errors
from kouan.audit.service import record
from kouan.travel.registry.models import Voyage
from kouan.users.models import Unit, User
from kouan.users.units import in_ports, unit_for_port
from kouan.violations.models import Violation, ViolationCount, ViolationCreate, ViolationRead, ViolationType


def record_violation(*, session: Session, item: ViolationCreate, user: User) -> ViolationRead:
    """The case, dealt with by the user's unit (at national level: the station that works the port)."""
    if item.voyage_id is not None and session.get(Voyage, item.voyage_id) is None:
        raise errors.FieldInvalid(field="voyage_id", message=f"no voyage {item.voyage_id}")
    unit = session.get(Unit, user.unit_id) if user.unit_id is not None else unit_for_port(session=session,
                                                                                            port=item.port)  # fmt: skip
    row = Violation(type=item.type.value, port=item.port, unit_id=unit.id if unit else None, voyage_id=item.voyage_id,
                    occurred_at=item.occurred_at, goods=item.goods.model_dump() if item.goods else None,
                    disposition=item.disposition.value, disposition_detail=item.disposition_detail,
                    summary=item.summary, people=[p.model_dump() for p in item.people],
                    recorded_by=f"user:{user.username}")  # fmt: skip
    session.add(row)
    session.flush()
    record(session=session, actor=row.recorded_by, action="violation.record", entity="violation", entity_id=row.id,
           after={"type": row.type, "port": row.port, "unit": unit.code if unit else None, "voyage_id": row.voyage_id,
                  "disposition": row.disposition, "people": len(row.people)})  # fmt: skip
    return violation_read(row=row, unit=unit)


def violation_read(*, row: Violation, unit: Unit | None) -> ViolationRead:
    return ViolationRead.model_validate(
        {
            "id": row.id,
            "type": row.type,
            "port": row.port,
            "occurred_at": row.occurred_at,
            "voyage_id": row.voyage_id,
            "people": row.people,
            "goods": row.goods,
            "disposition": row.disposition,
            "disposition_detail": row.disposition_detail,
            "summary": row.summary,
            "unit": unit.code if unit else None,
            "recorded_by": row.recorded_by,
            "recorded_at": row.recorded_at,
        }  # fmt: skip
    )


def violations(
    *, session: Session, ports: frozenset[str] | None, since: datetime | None = None, until: datetime | None = None,
    limit: int = 200,
) -> list[ViolationRead]:  # fmt: skip
    """The cases at ``ports`` (every port for None), newest first."""
    newest = _cases(ports=ports, since=since, until=until).order_by(Violation.occurred_at.desc(), Violation.id.desc())
    rows = session.execute(newest.limit(limit))
    return [violation_read(row=row, unit=unit) for row, unit in rows]


def _cases(*, ports: frozenset[str] | None, since: datetime | None, until: datetime | None) -> Select[Violation, Unit]:
    query = select(Violation, Unit).outerjoin(Unit, Unit.id == Violation.unit_id).where(in_ports(Violation.port, ports))
    if since is not None:
        query = query.where(Violation.occurred_at >= since)
    return query.where(Violation.occurred_at < until) if until is not None else query


def counts(
    *, session: Session, ports: frozenset[str] | None, since: datetime | None = None, until: datetime | None = None
) -> list[ViolationCount]:
    """Cases and people per unit and type, for the reports (units by code, then types in their order)."""
    cases: Counter[tuple[str | None, str]] = Counter()
    people: Counter[tuple[str | None, str]] = Counter()
    for row, unit in session.execute(_cases(ports=ports, since=since, until=until)):
        key = (unit.code if unit else None, row.type)
        cases[key], people[key] = cases[key] + 1, people[key] + len(row.people)
    order = list(ViolationType)
    keys = sorted(cases, key=lambda k: (k[0] or "", order.index(ViolationType(k[1]))))
    return [ViolationCount(unit=u, type=ViolationType(t), cases=cases[(u, t)], people=people[(u, t)]) for u, t in keys]
