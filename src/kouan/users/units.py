"""Our own organisation as units (总站 → 边检站 → 执勤队) and which units' data a user sees."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan.users.models import Unit, UnitLevel, User


def create_unit(
    *, session: Session, code: str, name: str, level: UnitLevel, parent: Unit | None = None, port: str | None = None
) -> Unit:
    unit = Unit(code=code, name=name, level=level.value, parent_id=parent.id if parent else None, port=port)
    session.add(unit)
    session.flush()
    return unit


def visible_units(*, session: Session, user: User) -> set[int] | None:
    """The ids of the user's unit and every unit below it; None for a user at national level (no unit)."""
    if user.unit_id is None:
        return None
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in session.execute(select(Unit.id, Unit.parent_id)).all():
        children.setdefault(parent_id, []).append(unit_id)
    seen, todo = set(), [user.unit_id]
    while todo:
        current = todo.pop()
        seen.add(current)
        todo.extend(children.get(current, []))
    return seen


def unit_for_port(*, session: Session, port: str) -> Unit | None:
    """The station that works the port (the unit that owns its arrivals' referrals)."""
    query = select(Unit).where(Unit.port == port).order_by(Unit.level != UnitLevel.station.value, Unit.id)
    return session.scalars(query).first()
