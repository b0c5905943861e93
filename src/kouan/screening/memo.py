"""A traveller's screening result keyed by everything that decides it, so an unchanged traveller is not screened again.

A re-sent manifest lists most travellers as before; each is a new traveller row with a copy of the stays it had
(:mod:`kouan.travel.registry.carry`). Its result is decided by its own fields (the entry policy reads nationality,
role, documents, destination), its stays, the voyage's arrival (screen day, policy moment, route), the day screened
for, the classifier and the measures (risk figures, designations). The hash of those is stored with each result
(``inputs_sha256``); a traveller whose hash equals that of a result already stored on the voyage for the same day
and classifier takes a copy of that result, and only the others go through the engine.

The measures are taken as a whole: any risk figure imported or designation recorded since changes every hash, so
nothing is copied across a change of measures. Both tables only ever gain rows: their last id and last recording
time (and the designations' count) stand for their content.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session

from kouan import __version__
from kouan.measures.models import RegionDesignation, RegionRisk
from kouan.screening.models import ScreeningResult
from kouan.screening.policy import arrival_moment
from kouan.travel.registry.history import StayRecord
from kouan.travel.registry.models import Traveller, Voyage

MEMO_VERSION = 1  # raise when what a result holds is computed differently
CHUNK = 900  # ids per IN list
HASHES = (ScreeningResult.inputs_sha256, ScreeningResult.stays_sha256)
CONTENT = (  # the JSON as text: pydantic reads it into the answer's models quicker than json.loads and validation
    ScreeningResult.level,
    *(cast(c, Text).label(c.key) for c in (ScreeningResult.reasons, ScreeningResult.actions)),
    *(cast(c, Text).label(c.key) for c in (ScreeningResult.findings, ScreeningResult.policy)),
)
PERSON = tuple(
    c.key for c in Traveller.__table__.columns if c.key not in ("id", "voyage_version_id", "seq", "listed_sha256")
)


def measures_stamp(session: Session) -> list[Any]:
    """What stands for the measures' content: both tables only gain rows (read from indexes: the risk table is
    large, a count of it would cost more than the copies save)."""
    parts = (
        func.max(RegionRisk.id),
        func.max(RegionRisk.recorded_at),
        func.count(RegionDesignation.id),
        func.max(RegionDesignation.id),
        func.max(RegionDesignation.recorded_at),
    )  # each its own subquery: SQLite reads a lone max() from the index, two of them by scanning the table
    return list(session.execute(select(*(select(part).scalar_subquery() for part in parts))).one())


def voyage_inputs(*, voyage: Voyage, as_of: date, arrival: date, classifier: str, stamp: list[Any]) -> str:
    """What every traveller of the voyage shares, as the prefix of each traveller's inputs."""
    schedule = [voyage.carrier, voyage.number, voyage.destination, arrival_moment(voyage), arrival]
    return _dumps([MEMO_VERSION, __version__, classifier, as_of, schedule, stamp])


def inputs_sha256(*, shared: str, traveller: Traveller, stays: Iterable[StayRecord]) -> tuple[str, str]:
    """The hashes of what decides the traveller's result, and of what the engine reads (its stays and what every
    traveller shares); ``repr`` of plain values: a miss only costs a screening."""
    person = [getattr(traveller, key) for key in PERSON]
    held = sorted(repr((s.region_code, s.place, s.stay_date, s.source, s.date_from, s.evidence)) for s in stays)
    engine = hashlib.sha256(f"stays{shared}{held!r}".encode()).hexdigest()
    return hashlib.sha256(f"{shared}{person!r}{held!r}".encode()).hexdigest(), engine


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))


@dataclass(frozen=True)
class Known:
    """Per traveller id: the hashes of its inputs (all of them, and those the engine reads), the stored result from
    the same inputs (copied whole), and for the others one from the same stays (its level, reasons and findings
    are taken; the entry policy, which reads the traveller's fields, is decided again)."""

    hashes: dict[int, tuple[str, str]]
    stored: dict[int, dict[str, Any]]
    same_stays: dict[int, dict[str, Any]]


def known_results(
    *,
    session: Session,
    voyage: Voyage,
    travellers: list[Traveller],
    held: Mapping[int, list[tuple[int, StayRecord]]],
    as_of: date,
    arrival: date,
    classifier: str,
    stamp: list[Any],
) -> Known:
    shared = voyage_inputs(voyage=voyage, as_of=as_of, arrival=arrival, classifier=classifier, stamp=stamp)
    hashes = {
        t.id: inputs_sha256(shared=shared, traveller=t, stays=[s for _, s in held.get(t.id, [])]) for t in travellers
    }
    rows = _candidates(session=session, voyage_id=voyage.id, as_of=as_of, classifier=classifier, hashes=hashes)
    whole = {t: _own_first(t, found) for t, (full, _) in hashes.items() if (found := rows.get(("all", full)))}
    stays = {t: found[0] for t, (_, engine) in hashes.items() if (found := rows.get(("stays", engine)))}
    stays = {t: row for t, row in stays.items() if t not in whole}
    loaded = _loaded(session=session, ids={r["id"] for r in [*whole.values(), *stays.values()]})
    return Known(
        hashes=hashes,
        stored={t: {**r, **loaded[r["id"]]} for t, r in whole.items()},
        same_stays={t: {**r, **loaded[r["id"]]} for t, r in stays.items()},
    )


def _candidates(
    *, session: Session, voyage_id: int, as_of: date, classifier: str, hashes: Mapping[int, tuple[str, str]]
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The voyage's stored results for the day and classifier whose hashes are wanted (ids and hashes only)."""
    wanted = {("all", full) for full, _ in hashes.values()} | {("stays", held) for _, held in hashes.values()}
    query = select(ScreeningResult.id, ScreeningResult.traveller_id, *HASHES).where(
        ScreeningResult.voyage_id == voyage_id,
        ScreeningResult.as_of == as_of,
        ScreeningResult.classifier == classifier,
        ScreeningResult.known_on.is_(None),
    )
    found: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in session.execute(query.order_by(ScreeningResult.id)).mappings():
        for key in (("all", row["inputs_sha256"]), ("stays", row["stays_sha256"])):
            if key in wanted:
                found[key].append(dict(row))
    return found


def _loaded(*, session: Session, ids: set[int]) -> dict[int, dict[str, Any]]:
    """The content of these stored results (JSON as text), by id."""
    ordered, loaded = sorted(ids), dict[int, dict[str, Any]]()
    for start in range(0, len(ordered), CHUNK):
        query = select(ScreeningResult.id, *CONTENT).where(ScreeningResult.id.in_(ordered[start : start + CHUNK]))
        loaded |= {row["id"]: dict(row) for row in session.execute(query).mappings()}
    return loaded


def _own_first(traveller_id: int, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return next((r for r in rows if r["traveller_id"] == traveller_id), rows[0])
