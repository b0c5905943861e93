"""The crossings of arrived voyages as the history's rows, read from the operational store.

A voyage's crossings are the travellers of its current manifest (the latest passenger list and the latest crew
list, as screening sees them) among the versions up to the one it was claimed at: a version filed later is never
read. Each traveller is one crossing: ``crossing_id`` is the traveller id (unique across the store, and stable: a
later version's travellers are other rows), its day is the voyage's arrival day, its port the voyage's destination
(the installation's port when the voyage names none), and its level the answer at arrival: the last result with
``known_on`` NULL for that arrival day (else the last with ``known_on`` NULL). A traveller never screened is no
screened crossing and is left out. ``person_key`` and ``document_key`` are opaque 63-bit digests (names, birth
date and nationality; issuer and document number): the history holds no name or document number.

A departure (an exit voyage) is not screened: each of its travellers is a crossing with direction ``departure`` at
the voyage's origin, on the day and at the time of its scheduled departure, level low (no stay counted) known on
that day, and no stays.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, NamedTuple

import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan.history.schema import ARRIVAL, CROSSINGS_SCHEMA, DAY_SCHEMA, DEPARTURE, STAYS_SCHEMA
from kouan.measures.ranks import LEVEL_RANK, LOW
from kouan.screening.known_now import chunks
from kouan.screening.models import ScreeningResult
from kouan.screening.service import arrival_day
from kouan.travel.registry.models import EXIT, Stay, Traveller, Voyage, VoyageVersion

UNKNOWN_NATIONALITY = "XXX"  # ICAO 9303: unspecified nationality
_CROSSING_ROW = pa.schema([*CROSSINGS_SCHEMA, *DAY_SCHEMA])


class Unscreened(NamedTuple):
    """A departure's answer: not screened, so low (no stay counted), known on its day."""

    level: str
    level_rank: int
    as_of: date


@dataclass(frozen=True)
class Rows:
    """Crossings (the history's columns plus ``day``) and their stays, ready for :func:`kouan.history.store.append`."""

    crossings: pa.Table
    stays: pa.Table


def crossing_rows(*, session: Session, last_versions: dict[int, int], port: str) -> Rows:
    """The crossings of the voyages ``last_versions`` names (voyage id → last manifest version taken)."""
    voyages = _voyages(session=session, voyage_ids=sorted(last_versions))
    version_voyage = _current(session=session, last_versions=last_versions)
    travellers = _travellers(session=session, version_ids=sorted(version_voyage))
    days = {t.id: crossing_day(voyages[version_voyage[t.voyage_version_id]]) for t in travellers}
    answers = _answers(session=session, version_ids=sorted(version_voyage), days=days)
    leaving = {t.id for t in travellers if voyages[version_voyage[t.voyage_version_id]].direction == EXIT}
    answers |= {i: Unscreened(LOW, LEVEL_RANK[LOW], days[i]) for i in leaving}
    crossings = [
        _crossing(voyage=voyages[version_voyage[t.voyage_version_id]], traveller=t, answer=answers[t.id], port=port)
        for t in travellers
        if t.id in answers
    ]
    return Rows(
        crossings=pa.Table.from_pylist(crossings, schema=_CROSSING_ROW),
        stays=_stays(session=session, version_ids=sorted(version_voyage), crossing_ids=set(answers) - leaving),
    )


def crossing_day(voyage: Any) -> date:
    """The arrival day of an entry; the day of the scheduled departure (UTC) of an exit."""
    if voyage.direction != EXIT:
        return arrival_day(voyage)
    return voyage.scheduled_departure.date() if voyage.scheduled_departure else voyage.flight_date


def _voyages(*, session: Session, voyage_ids: list[int]) -> dict[int, Any]:
    columns = (Voyage.id, Voyage.direction, Voyage.origin, Voyage.destination, Voyage.scheduled_arrival,
               Voyage.scheduled_departure, Voyage.flight_date)  # fmt: skip
    return {r.id: r for ids in chunks(voyage_ids) for r in session.execute(select(*columns).where(Voyage.id.in_(ids)))}


def _current(*, session: Session, last_versions: dict[int, int]) -> dict[int, int]:
    """The current version ids (passenger and crew lists) up to each voyage's last version, mapped to the voyage."""
    latest: dict[tuple[int, str], int] = {}
    columns = (VoyageVersion.id, VoyageVersion.voyage_id, VoyageVersion.message_type, VoyageVersion.version)
    for ids in chunks(sorted(last_versions)):
        query = select(*columns).where(VoyageVersion.voyage_id.in_(ids)).order_by(VoyageVersion.version)
        for row in session.execute(query):
            if row.version <= last_versions[row.voyage_id]:
                latest[(row.voyage_id, row.message_type)] = row.id
    return {version_id: voyage_id for (voyage_id, _), version_id in latest.items()}


def _travellers(*, session: Session, version_ids: list[int]) -> list[Any]:
    columns = (
        Traveller.id, Traveller.voyage_version_id, Traveller.surname, Traveller.given_names, Traveller.birth_date,
        Traveller.nationality, Traveller.document_number, Traveller.document_issuer,
    )  # fmt: skip
    found: list[Any] = []
    for ids in chunks(version_ids):
        found += session.execute(select(*columns).where(Traveller.voyage_version_id.in_(ids)).order_by(Traveller.id))
    return found


def _answers(*, session: Session, version_ids: list[int], days: dict[int, date]) -> dict[int, Any]:
    """Each traveller's answer at arrival: the last ``known_on`` NULL result for its arrival day, else the last
    (selected through the versions: a few ids in the query, not one per traveller)."""
    columns = (ScreeningResult.traveller_id, ScreeningResult.level, ScreeningResult.level_rank, ScreeningResult.as_of)
    on_day: dict[int, Any] = {}
    other: dict[int, Any] = {}
    for ids in chunks(version_ids):
        query = select(*columns).join(Traveller, Traveller.id == ScreeningResult.traveller_id)
        query = query.where(Traveller.voyage_version_id.in_(ids), ScreeningResult.known_on.is_(None))
        for row in session.execute(query.order_by(ScreeningResult.screened_at, ScreeningResult.id)):
            (on_day if row.as_of == days[row.traveller_id] else other)[row.traveller_id] = row
    return {**other, **on_day}


def _crossing(*, voyage: Any, traveller: Any, answer: Any, port: str) -> dict[str, Any]:
    day, leaving = crossing_day(voyage), voyage.direction == EXIT
    nationality = traveller.nationality or UNKNOWN_NATIONALITY
    at = voyage.scheduled_departure if leaving else voyage.scheduled_arrival
    return {
        "crossing_id": traveller.id,
        "port": (voyage.origin if leaving else voyage.destination) or port,
        "direction": DEPARTURE if leaving else ARRIVAL,
        "person_key": opaque_key(nationality, traveller.surname, traveller.given_names, traveller.birth_date),
        "document_key": opaque_key(traveller.document_issuer or nationality, traveller.document_number)
        if traveller.document_number
        else opaque_key("traveller", traveller.id),
        "nationality": nationality,
        "arrival_time": at or datetime.combine(day, time(0), tzinfo=UTC),
        "level": answer.level,
        "level_rank": answer.level_rank,
        "known_on": answer.as_of,
        "day": day,
    }


def opaque_key(*parts: object) -> int:
    """A stable positive 63-bit digest of ``parts``."""
    digest = hashlib.blake2b("\x1f".join(str(p) for p in parts).encode(), digest_size=8, person=b"kouan-history")
    return int.from_bytes(digest.digest(), "big") >> 1


def _stays(*, session: Session, version_ids: list[int], crossing_ids: set[int]) -> pa.Table:
    """The registry stays of the crossings (``date_from`` or the stay date, the stay date, the source)."""
    columns = (Stay.traveller_id, Stay.region_code, Stay.date_from, Stay.stay_date, Stay.source)
    rows: list[Any] = []
    for ids in chunks(version_ids):
        query = select(*columns).join(Traveller, Traveller.id == Stay.traveller_id)
        query = query.where(Traveller.voyage_version_id.in_(ids)).order_by(Stay.traveller_id, Stay.id)
        rows += [r for r in session.execute(query) if r.traveller_id in crossing_ids]
    owner, region, first, last, source = (list(c) for c in zip(*rows, strict=True)) if rows else ([],) * 5
    first = [f or d for f, d in zip(first, last, strict=True)]
    return pa.Table.from_arrays(
        [pa.array(owner, pa.int64()), pa.array(region, pa.string()), pa.array(first, pa.date32()),
         pa.array(last, pa.date32()), pa.array(source, pa.string())],
        schema=STAYS_SCHEMA,
    )  # fmt: skip
