"""Reading the registry: arrivals by night, departures by day, and the travellers currently on a voyage."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from kouan import errors
from kouan.reference import airport
from kouan.travel.registry.models import ENTRY, EXIT, Traveller, Voyage, VoyageVersion
from kouan.users.units import in_ports


def get_voyage(*, session: Session, voyage_id: int) -> Voyage | None:
    return session.get(Voyage, voyage_id)


def current_versions(*, session: Session, voyage_id: int) -> list[VoyageVersion]:
    """The latest passenger list and the latest crew list: a new version replaces only its own kind."""
    versions = session.scalars(
        select(VoyageVersion).where(VoyageVersion.voyage_id == voyage_id).order_by(VoyageVersion.version)
    ).all()
    latest: dict[str, VoyageVersion] = {}
    for version in versions:
        latest[version.message_type] = version
    return sorted(latest.values(), key=lambda v: v.version)


def current_version_ids(*, session: Session, voyage_ids: set[int]) -> set[int]:
    """The ids of the current versions (as :func:`current_versions`) of many voyages, in one query."""
    rows = session.execute(
        select(VoyageVersion.id, VoyageVersion.voyage_id, VoyageVersion.message_type)
        .where(VoyageVersion.voyage_id.in_(voyage_ids))
        .order_by(VoyageVersion.version)
    ).all()
    latest = {(voyage_id, kind): version_id for version_id, voyage_id, kind in rows}
    return set(latest.values())


def current_travellers(*, session: Session, voyage_id: int, with_stays: bool = True) -> list[Traveller]:
    """Travellers of the current versions, with their stays loaded in the same round trip (unless not wanted)."""
    ids = [v.id for v in current_versions(session=session, voyage_id=voyage_id)]
    query = select(Traveller).where(Traveller.voyage_version_id.in_(ids))
    query = query.options(selectinload(Traveller.stays)) if with_stays else query
    return list(session.scalars(query.order_by(Traveller.voyage_version_id, Traveller.seq)).all())


def current_travellers_split(*, session: Session, voyage_id: int, ids: set[int]) -> tuple[list[Traveller], list[int]]:
    """The current travellers among ``ids`` (stays not loaded), and the ids of the other current travellers."""
    versions = [v.id for v in current_versions(session=session, voyage_id=voyage_id)]
    on_board = list(session.scalars(select(Traveller.id).where(Traveller.voyage_version_id.in_(versions))))
    wanted = [i for i in on_board if i in ids]
    query = select(Traveller).where(Traveller.id.in_(wanted))
    travellers = list(session.scalars(query.order_by(Traveller.voyage_version_id, Traveller.seq))) if wanted else []
    return travellers, [i for i in on_board if i not in ids]


def port_zone(port: str) -> ZoneInfo:
    found = airport(port)
    return ZoneInfo(found.tz if found and found.tz else "UTC")


def voyages_query(
    *, night: date | None = None, port: str = "PEK", ports: frozenset[str] | None = None
) -> Select[Voyage]:
    """Entries by arrival, into ``ports`` (None: every port); a night runs from noon to noon at the port."""
    query = select(Voyage).where(Voyage.direction == ENTRY, in_ports(Voyage.destination, ports))
    query = query.order_by(Voyage.scheduled_arrival, Voyage.carrier, Voyage.number)
    if night is not None:
        start = datetime.combine(night, time(12), tzinfo=port_zone(port))
        query = query.where(Voyage.scheduled_arrival >= start, Voyage.scheduled_arrival < start + timedelta(days=1))
    return query


def list_voyages(
    *,
    session: Session,
    night: date | None = None,
    port: str = "PEK",
    ports: frozenset[str] | None = None,
    offset: int = 0,
    limit: int = 100,
) -> tuple[list[Voyage], int]:
    query = voyages_query(night=night, port=port, ports=ports)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return list(session.scalars(query.offset(offset).limit(limit)).all()), total


def latest_arrival_night(*, session: Session, port: str = "PEK", ports: frozenset[str] | None = None) -> date | None:
    """The night the most recent arrivals into ``ports`` belong to (a night runs from noon to noon, Beijing time)."""
    entries = (Voyage.direction == ENTRY, in_ports(Voyage.destination, ports))
    latest = session.scalar(select(func.max(Voyage.scheduled_arrival)).where(*entries))
    if latest is None:
        return None
    return (latest.astimezone(port_zone(port)) - timedelta(hours=12)).date()


def departures_query(
    *, day: date | None = None, port: str = "PEK", ports: frozenset[str] | None = None
) -> Select[Voyage]:
    """Exits by scheduled departure, from ``ports`` (None: every port); a day runs from midnight to midnight at
    the port."""
    query = select(Voyage).where(Voyage.direction == EXIT, in_ports(Voyage.origin, ports))
    query = query.order_by(Voyage.scheduled_departure, Voyage.carrier, Voyage.number)
    if day is not None:
        if not date.min < day < date.max:  # its midnight, in UTC, would fall outside the calendar
            raise errors.Invalid(f"day {day.isoformat()} is out of range")
        start = datetime.combine(day, time(0), tzinfo=port_zone(port))
        query = query.where(Voyage.scheduled_departure >= start, Voyage.scheduled_departure < start + timedelta(1))
    return query


def list_departures(
    *, session: Session, day: date | None = None, port: str = "PEK", ports: frozenset[str] | None = None
) -> list[Voyage]:
    return list(session.scalars(departures_query(day=day, port=port, ports=ports)).all())


def latest_departure_day(*, session: Session, port: str = "PEK", ports: frozenset[str] | None = None) -> date | None:
    """The local day of the most recent departure from ``ports``."""
    exits = (Voyage.direction == EXIT, in_ports(Voyage.origin, ports))
    latest = session.scalar(select(func.max(Voyage.scheduled_departure)).where(*exits))
    return None if latest is None else latest.astimezone(port_zone(port)).date()


def traveller_counts(*, session: Session, voyage_ids: list[int]) -> dict[int, int]:
    """How many travellers each voyage's current lists hold, in one query."""
    versions = current_version_ids(session=session, voyage_ids=set(voyage_ids)) if voyage_ids else set()
    query = (
        select(VoyageVersion.voyage_id, func.count(Traveller.id))
        .join(Traveller, Traveller.voyage_version_id == VoyageVersion.id)
        .where(VoyageVersion.id.in_(versions))
        .group_by(VoyageVersion.voyage_id)
    )
    return {voyage_id: count for voyage_id, count in session.execute(query)} if versions else {}
