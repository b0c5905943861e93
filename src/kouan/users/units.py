"""Our own organisation as units (总站 → 边检站 → 执勤队) and which units' data a user sees."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, event, select, true
from sqlalchemy.orm import Session

from kouan.users.models import Unit, UnitLevel, User

PORTS_READ = "kouan_visible_ports"  # session.info key: the ports read for each unit in this transaction


def create_unit(
    *, session: Session, code: str, name: str, level: UnitLevel, parent: Unit | None = None, port: str | None = None
) -> Unit:
    unit = Unit(code=code, name=name, level=level.value, parent_id=parent.id if parent else None, port=port)
    session.add(unit)
    session.flush()
    _forget_ports(session)
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


def visible_ports(*, session: Session, user: User) -> frozenset[str] | None:
    """The ports of the user's unit and of every unit below it; None for a user at national level (sees every port).
    A unit without a port adds none, so a user whose units hold no port sees no port at all. Read once per
    transaction (a scan or a page asks several times)."""
    known: dict[int | None, frozenset[str] | None] = session.info.setdefault(PORTS_READ, {})
    if user.unit_id not in known:
        known[user.unit_id] = _ports_of(session=session, units=visible_units(session=session, user=user))
    return known[user.unit_id]


@event.listens_for(Session, "after_transaction_end")
def _forget_ports(session: Session, *_transaction: Any) -> None:
    """Units may change between transactions: what ``visible_ports`` read lasts one transaction at most."""
    session.info.pop(PORTS_READ, None)


def _ports_of(*, session: Session, units: set[int] | None) -> frozenset[str] | None:
    if units is None:
        return None
    ports = session.scalars(select(Unit.port).where(Unit.id.in_(units), Unit.port.is_not(None))).all()
    return frozenset(port for port in ports if port)


def in_ports(column: Any, ports: frozenset[str] | None) -> ColumnElement[bool]:
    """A WHERE clause keeping the rows whose ``column`` (a port) is one of ``ports``; every row for None."""
    return true() if ports is None else column.in_(sorted(ports))


def unit_for_port(*, session: Session, port: str) -> Unit | None:
    """The station that works the port (the unit that owns its arrivals' referrals)."""
    query = select(Unit).where(Unit.port == port).order_by(Unit.level != UnitLevel.station.value, Unit.id)
    return session.scalars(query).first()


def unit_ports(*, session: Session) -> frozenset[str]:
    """Every port a unit of the installation works (a single-port installation may have none yet)."""
    return frozenset(port for port in session.scalars(select(Unit.port).where(Unit.port.is_not(None))) if port)


def home_port(*, session: Session, user: User) -> str | None:
    """The port the user works at: their unit's own, else the only port their units see; None when there is no
    single one (national level, a general station over several ports, a unit without a port)."""
    unit = session.get(Unit, user.unit_id) if user.unit_id is not None else None
    own = unit.port if unit is not None else None
    ports = visible_ports(session=session, user=user)
    return own or (next(iter(ports)) if ports is not None and len(ports) == 1 else None)
