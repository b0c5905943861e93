"""The records a voyage's links point at, loaded in a few IN-list queries (one per kind, with what each needs
eagerly) instead of one lookup and its lazy loads per link."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from kouan.travel.journey.models import Crossing, Declaration, PnrPassenger
from kouan.travel.registry.models import Traveller, VoyageVersion

CHUNK = 900  # ids per IN list: well under SQLite's limit on bound parameters

Row = TypeVar("Row", PnrPassenger, Declaration, Traveller, Crossing)


@dataclass(frozen=True)
class Targets:
    """Linked records by id, per kind of link ("pnr", "declaration", "traveller", "crossing")."""

    passengers: dict[int, PnrPassenger]
    declarations: dict[int, Declaration]
    earlier: dict[int, Traveller]
    crossings: dict[int, Crossing]


def load_targets(*, session: Session, wanted: dict[str, set[int]]) -> Targets:
    """Every record named in ``wanted`` (ids per kind), with the booking, stays and voyage they bring."""
    earlier = (selectinload(Traveller.stays), joinedload(Traveller.voyage_version).joinedload(VoyageVersion.voyage))
    return Targets(
        passengers=_by_id(session, PnrPassenger, wanted.get("pnr", set()), (joinedload(PnrPassenger.booking),)),
        declarations=_by_id(session, Declaration, wanted.get("declaration", set()), ()),
        earlier=_by_id(session, Traveller, wanted.get("traveller", set()), earlier),
        crossings=_by_id(session, Crossing, wanted.get("crossing", set()), ()),
    )


def _by_id(session: Session, model: type[Row], ids: Iterable[int], options: tuple[LoaderOption, ...]) -> dict[int, Row]:
    found: dict[int, Row] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        query: Any = select(model).where(model.id.in_(ordered[start : start + CHUNK])).options(*options)
        found.update((row.id, row) for row in session.scalars(query).unique())
    return found
