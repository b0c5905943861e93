"""A traveller's screening result keyed by everything that decides it, so an unchanged traveller is not screened again.

A re-sent manifest lists most travellers as before; each is a new traveller row with a copy of the stays it had
(:mod:`kouan.travel.registry.carry`). Its result is decided by its own fields (the entry policy reads nationality,
role, documents, destination), its stays, the voyage's arrival (screen day, policy moment, route), the day screened
for, the classifier and the measures (risk figures, designations). The hash of those is stored with each result
(``inputs_sha256``); a traveller whose hash equals that of a result already stored on the voyage for the same day
and classifier takes a copy of that result, and only the others go through the engine.

The measures are taken as a whole: any risk figure imported or designation recorded since changes every hash, so
nothing is copied across a change of measures. Both tables only ever gain rows; their count, last id and last
recording time stand for their content.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kouan import __version__
from kouan.measures.models import RegionDesignation, RegionRisk
from kouan.screening.models import ScreeningResult
from kouan.screening.policy import arrival_moment
from kouan.travel.registry.history import StayRecord
from kouan.travel.registry.models import Traveller, Voyage

MEMO_VERSION = 1  # raise when what a result holds is computed differently
CHUNK = 900  # hashes per IN list
STORED = (
    ScreeningResult.inputs_sha256,
    ScreeningResult.level,
    ScreeningResult.reasons,
    ScreeningResult.actions,
    ScreeningResult.findings,
    ScreeningResult.policy,
)
PERSON = tuple(c.key for c in Traveller.__table__.columns if c.key not in ("id", "voyage_version_id", "seq"))


def measures_stamp(session: Session) -> list[Any]:
    """What stands for the measures' content: both tables only gain rows."""
    risk = session.execute(select(func.count(), func.max(RegionRisk.id), func.max(RegionRisk.imported_at))).one()
    designated = select(func.count(), func.max(RegionDesignation.id), func.max(RegionDesignation.recorded_at))
    return [*risk, *session.execute(designated).one()]


def voyage_inputs(*, voyage: Voyage, as_of: date, arrival: date, classifier: str, stamp: list[Any]) -> str:
    """What every traveller of the voyage shares, as the prefix of each traveller's inputs."""
    schedule = [voyage.carrier, voyage.number, voyage.destination, arrival_moment(voyage), arrival]
    return _dumps([MEMO_VERSION, __version__, classifier, as_of, schedule, stamp])


def inputs_sha256(*, shared: str, traveller: Traveller, stays: Iterable[StayRecord]) -> str:
    """The hash of what decides the traveller's result (``repr`` of plain values: a miss only costs a screening)."""
    person = [getattr(traveller, key) for key in PERSON]
    held = sorted(repr((s.region_code, s.place, s.stay_date, s.source, s.date_from, s.evidence)) for s in stays)
    return hashlib.sha256(f"{shared}{person!r}{held!r}".encode()).hexdigest()


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))


@dataclass(frozen=True)
class Known:
    """Each traveller's inputs hash, and the stored results (by traveller id) that can be copied."""

    hashes: dict[int, str]
    stored: dict[int, dict[str, Any]]


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
    stored = stored_results(session=session, voyage_id=voyage.id, as_of=as_of, classifier=classifier, hashes=hashes)
    return Known(hashes=hashes, stored=stored)


def stored_results(
    *, session: Session, voyage_id: int, as_of: date, classifier: str, hashes: Mapping[int, str]
) -> dict[int, dict[str, Any]]:
    """Per traveller id, a result stored on the voyage for the same day and classifier from the same inputs."""
    wanted = sorted(set(hashes.values()))
    by_hash: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), CHUNK):
        query = select(*STORED).where(
            ScreeningResult.voyage_id == voyage_id,
            ScreeningResult.as_of == as_of,
            ScreeningResult.classifier == classifier,
            ScreeningResult.known_on.is_(None),
            ScreeningResult.inputs_sha256.in_(wanted[start : start + CHUNK]),
        )
        by_hash |= {row["inputs_sha256"]: dict(row) for row in session.execute(query).mappings()}
    return {traveller: by_hash[h] for traveller, h in hashes.items() if h in by_hash}
