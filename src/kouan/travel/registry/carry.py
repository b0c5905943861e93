"""A new version of a manifest carries over the travellers it lists unchanged.

A traveller listed exactly as on the previous version of the same kind (every field, and the same stays from the
manifest; compared by the hash each traveller row keeps, ``listed_sha256``) gets a copy of that traveller's stays
and links, in a few statements, and is not linked again; only the travellers who are new or changed are relinked.
The copies are as fresh as the previous version's were: whatever relinks a voyage (a booking push, declarations)
relinks every traveller on it.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Any

from sqlalchemy import Insert, Integer, Table, bindparam, insert, select
from sqlalchemy.orm import Session

from kouan.travel.journey.models import TravellerLink
from kouan.travel.registry.models import Stay, Traveller, VoyageVersion

STAY_FIELDS = ("region_code", "place", "stay_date", "date_from", "source", "evidence")
LINK_FIELDS = ("kind", "target_id", "score", "method", "evidence", "created_at")
PERSON = tuple(
    c.key for c in Traveller.__table__.columns if c.key not in ("id", "voyage_version_id", "seq", "listed_sha256")
)


def listed_sha256(row: dict[str, Any], stays: list[dict[str, Any]]) -> str:
    """What makes a listed traveller the same: every field but the version and position, and the manifest stays
    (``repr`` of plain values, quicker than JSON: a false difference only costs relinking)."""
    person = [json.dumps(row.get(k), sort_keys=True) if k == "documents" else row.get(k) for k in PERSON]
    places = sorted(repr((s["region_code"], s["place"], s["stay_date"], s["source"])) for s in stays)
    return hashlib.sha256(repr((person, places)).encode()).hexdigest()


def previous_keys(*, session: Session, version: VoyageVersion) -> dict[str, list[int]]:
    """The travellers of the previous version of the same kind (ids, in list order) by :func:`listed_sha256`."""
    previous = session.scalar(
        select(VoyageVersion.id)
        .where(
            VoyageVersion.voyage_id == version.voyage_id,
            VoyageVersion.message_type == version.message_type,
            VoyageVersion.version < version.version,
        )
        .order_by(VoyageVersion.version.desc())
        .limit(1)
    )
    if previous is None:
        return {}
    listed = select(Traveller.id, Traveller.listed_sha256).where(Traveller.voyage_version_id == previous)
    keys: dict[str, list[int]] = defaultdict(list)
    for traveller_id, key in session.execute(listed.order_by(Traveller.seq)):
        if key is not None:  # filed before travellers kept it: listed anew
            keys[key].append(traveller_id)
    return keys


def carry_over(*, session: Session, pairs: dict[int, int]) -> None:
    """Give each new traveller (key) a copy of the stays and links of the earlier one (value), copied in the
    database (``INSERT … SELECT`` per pair, sent as one batch): the rows never come to Python."""
    if not pairs:
        return
    params = [{"new": new, "old": old} for new, old in pairs.items()]
    for statement in COPIES:
        session.execute(statement, params)


def _copy(table: Table, fields: tuple[str, ...]) -> Insert:
    source = select(bindparam("new", type_=Integer), *(table.c[f] for f in fields))
    source = source.where(table.c.traveller_id == bindparam("old")).order_by(table.c.id)
    return insert(table).from_select(["traveller_id", *fields], source)


COPIES = (
    _copy(Stay.metadata.tables["stay"], STAY_FIELDS),
    _copy(TravellerLink.metadata.tables["traveller_link"], LINK_FIELDS),
)
