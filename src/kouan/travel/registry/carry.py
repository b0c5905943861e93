"""A new version of a manifest carries over the travellers it lists unchanged.

A traveller listed exactly as on the previous version of the same kind (every field, and the same stays from the
manifest) gets a copy of that traveller's stays and links, in a few statements, and is not linked again; only the
travellers who are new or changed are relinked. The copies are as fresh as the previous version's were: whatever
relinks a voyage (a booking push, declarations) relinks every traveller on it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from kouan.db import ONE_STATEMENT
from kouan.travel.journey.models import TravellerLink
from kouan.travel.registry.models import Stay, Traveller, VoyageVersion

MANIFEST_SOURCES = ("manifest-embarkation", "manifest-leg")
STAY_FIELDS = ("region_code", "place", "stay_date", "date_from", "source", "evidence")
LINK_FIELDS = ("kind", "target_id", "score", "method", "evidence", "created_at")
CHUNK = 900  # ids per IN list


def traveller_key(row: dict[str, Any], stays: list[dict[str, Any]]) -> str:
    """What makes a listed traveller the same: every field but the version and position, and the manifest stays."""
    person = {k: v for k, v in row.items() if k not in ("voyage_version_id", "seq", "id")}
    places = sorted((s["region_code"], s["place"], s["stay_date"], s["source"]) for s in stays)
    return json.dumps([person, places], sort_keys=True, default=str)


def previous_keys(*, session: Session, version: VoyageVersion) -> dict[str, list[int]]:
    """The travellers of the previous version of the same kind (ids, in list order) by :func:`traveller_key`."""
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
    travellers = session.execute(select(Traveller.__table__).where(Traveller.voyage_version_id == previous)).mappings()
    rows = {row["id"]: dict(row) for row in travellers}
    stays = _manifest_stays(session=session, ids=list(rows))
    keys: dict[str, list[int]] = defaultdict(list)
    for traveller_id in sorted(rows, key=lambda i: rows[i]["seq"]):
        keys[traveller_key(rows[traveller_id], stays.get(traveller_id, []))].append(traveller_id)
    return keys


def _manifest_stays(*, session: Session, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for start in range(0, len(ids), CHUNK):
        query = select(Stay.__table__).where(
            Stay.traveller_id.in_(ids[start : start + CHUNK]), Stay.source.in_(MANIFEST_SOURCES)
        )
        for row in session.execute(query).mappings():
            found[row["traveller_id"]].append(dict(row))
    return found


def carry_over(*, session: Session, pairs: dict[int, int]) -> None:
    """Give each new traveller (key) a copy of the stays and links of the earlier one (value)."""
    olds = list(pairs.values())
    new_of = {old: new for new, old in pairs.items()}
    stays = _rows(session=session, table=Stay.__table__, ids=olds, fields=STAY_FIELDS)
    links = _rows(session=session, table=TravellerLink.__table__, ids=olds, fields=LINK_FIELDS)
    for model, rows in ((Stay, stays), (TravellerLink, links)):
        if rows:
            copies = [{**row, "traveller_id": new_of[old]} for old, row in rows]
            session.execute(insert(model), copies, execution_options=ONE_STATEMENT)


def _rows(*, session: Session, table: Any, ids: list[int], fields: tuple[str, ...]) -> list[tuple[int, dict[str, Any]]]:
    found: list[tuple[int, dict[str, Any]]] = []
    for start in range(0, len(ids), CHUNK):
        query = select(table.c.traveller_id, *(table.c[f] for f in fields)).where(
            table.c.traveller_id.in_(ids[start : start + CHUNK])
        )
        found += [(row["traveller_id"], {f: row[f] for f in fields}) for row in session.execute(query).mappings()]
    return found
