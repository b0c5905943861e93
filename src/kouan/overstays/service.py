"""Who is past their permitted stay on a day: each person's latest entry before the day's end (Beijing time), with no
crossing of theirs after it, judged by :mod:`kouan.overstays.rules`. The same person is the same document and
nationality, else the same names and birth date (nationalities agreeing when both are known). Services never commit.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session, aliased

from kouan import errors
from kouan.overstays.models import Overstay, OverstaysRead
from kouan.overstays.rules import NOT_FOREIGN, Stay, days_overstayed, is_foreigner, last_permitted_day
from kouan.reference.ports import seaport_zone
from kouan.travel.journey.models import Crossing
from kouan.travel.registry.queries import port_zone
from kouan.users.units import in_ports

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")  # the time every Chinese port keeps: a day ends at its midnight


def overstays(*, session: Session, on: date, ports: frozenset[str] | None) -> OverstaysRead:
    """The foreigners who entered at ``ports`` (every port for None) and are past their stay on ``on``."""
    entries = session.scalars(_open_entries(until=_end_of(on)).where(in_ports(Crossing.port, ports)))
    items, unknown = [], 0
    for entry in entries:
        last = last_permitted_day(_stay(entry))
        unknown += last is None
        found = _judged(entry, last=last, on=on)
        items += [found] if found is not None else []
    return OverstaysRead(on=on, items=sorted(items, key=_order), cannot_say=unknown)


def overstay_for(
    *, session: Session, document_number: str, nationality: str | None, on: date, before: datetime | None = None
) -> Overstay | None:
    """The open overstay of the holder of this document on ``on`` (any port of entry), or None. Crossings from
    ``before`` on are left out (an exit being filed at the counter does not close its own stay)."""
    until = min(_end_of(on), before) if before is not None else _end_of(on)
    mine = and_(Crossing.document_number == document_number, Crossing.nationality.is_not_distinct_from(nationality))
    latest = session.scalars(_open_entries(until=until).where(mine).order_by(Crossing.crossed_at.desc())).first()
    return _judged(latest, last=last_permitted_day(_stay(latest)), on=on) if latest is not None else None


def _end_of(on: date) -> datetime:
    if on >= date.max:
        raise errors.FieldInvalid(f"no day follows {on}", field="on")
    return datetime.combine(on + timedelta(days=1), time(0), tzinfo=BEIJING)


def _open_entries(*, until: datetime) -> Select[Crossing]:
    """Foreigners' entries before ``until`` followed by no crossing of the same person before ``until``."""
    later = aliased(Crossing)
    after = and_(later.id != Crossing.id, later.crossed_at > Crossing.crossed_at, later.crossed_at < until)
    foreign = and_(
        or_(Crossing.nationality.is_(None), Crossing.nationality.not_in(sorted(NOT_FOREIGN))),
        or_(Crossing.stay_basis.is_(None), Crossing.stay_basis != "citizen"),
    )
    return select(Crossing).where(
        Crossing.direction == "entry", Crossing.crossed_at < until, foreign,
        not_(exists().where(after, _same_document(later))), not_(exists().where(after, _same_names(later))),
    )  # fmt: skip


def _same_document(later: type[Crossing]) -> ColumnElement[bool]:
    return and_(
        Crossing.document_number.is_not(None),
        later.document_number == Crossing.document_number,
        later.nationality.is_not_distinct_from(Crossing.nationality),
    )


def _same_names(later: type[Crossing]) -> ColumnElement[bool]:
    agree = or_(later.nationality == Crossing.nationality, later.nationality.is_(None), Crossing.nationality.is_(None))
    return and_(
        Crossing.birth_date.is_not(None), later.birth_date == Crossing.birth_date, agree,
        func.upper(func.trim(later.surname)) == func.upper(func.trim(Crossing.surname)),
        func.upper(func.trim(later.given_names)) == func.upper(func.trim(Crossing.given_names)),
    )  # fmt: skip


def _stay(entry: Crossing) -> Stay:
    entered = entry.crossed_at.astimezone(zone_of(entry.port))
    return Stay(entry.stay_basis, entered, entry.visa_type, entry.stay_days, entry.permit_until)


def zone_of(port: str) -> ZoneInfo:
    """A port's time zone: an airport's own, a seaport's by its UN/LOCODE country."""
    return seaport_zone(port) if len(port) == 5 else port_zone(port)


def _judged(entry: Crossing, *, last: date | None, on: date) -> Overstay | None:
    if last is None or last >= on or not is_foreigner(nationality=entry.nationality, basis=entry.stay_basis):
        return None
    return Overstay(
        crossing_id=entry.id, surname=entry.surname, given_names=entry.given_names, nationality=entry.nationality,
        birth_date=entry.birth_date, document_number=entry.document_number, entry_port=entry.port,
        entered_at=entry.crossed_at, basis=entry.stay_basis or "", visa_type=entry.visa_type, last_permitted_day=last,
        days_overstayed=days_overstayed(last_day=last, on=on),
    )  # fmt: skip


def _order(item: Overstay) -> tuple[int, str, str, int]:
    return -item.days_overstayed, item.surname, item.given_names, item.crossing_id
