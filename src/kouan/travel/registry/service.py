"""Filing carrier messages in the travel registry: voyages, versions, travellers and their stays."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kouan.db import ONE_STATEMENT
from kouan.formats.paxlst import paxlst_to_dict
from kouan.formats.records import Leg as LegRecord
from kouan.formats.records import PaxlstMessage, Person
from kouan.reference import airport
from kouan.travel.journey.service import relink_voyage
from kouan.travel.registry.carry import carry_over, listed_sha256, previous_keys
from kouan.travel.registry.history import (
    UnidentifiedVoyage,
    arriving_leg,
    departing_leg,
    flight_number,
    leg_date,
    manifest_stays,
)
from kouan.travel.registry.models import ENTRY, EXIT, Direction, Leg, Stay, Traveller, Voyage, VoyageVersion
from kouan.travel.registry.schemas import IngestResult, IngestWarning


def message_digest(message: PaxlstMessage) -> str:
    """Same content, same digest: a resent message with a new envelope or layout is the same message."""
    content = paxlst_to_dict(message)
    content.pop("warnings", None)
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def voyage_identity(
    *, message: PaxlstMessage, port: str, direction: Direction = ENTRY
) -> tuple[str, str, date, LegRecord]:
    """Carrier, number and date of the leg into our port (for an exit: of the leg leaving it), and that leg."""
    leg = departing_leg(message=message, port=port) if direction == EXIT else arriving_leg(message=message, port=port)
    carrier = leg.carrier or message.carrier or (leg.number or message.number or "")[:2]
    number = flight_number(carrier=carrier, number=leg.number or message.number)
    flight_date = leg_date(leg)
    if not carrier or not number or flight_date is None:
        raise UnidentifiedVoyage(f"the {'departing' if direction == EXIT else 'arriving'} leg has no carrier, "
                                 "flight number or date")  # fmt: skip
    return carrier, number, flight_date, leg


def ingest_paxlst(
    *, session: Session, message: PaxlstMessage, raw: str, port: str, direction: Direction = ENTRY
) -> IngestResult:
    """File a manifest for ``port``: an entry (arriving there) or an exit (a departure manifest, leaving from it)."""
    carrier, number, flight_date, leg = voyage_identity(message=message, port=port, direction=direction)
    voyage = _get_or_create_voyage(session=session, carrier=carrier, number=number, flight_date=flight_date)
    _note_route(voyage=voyage, message=message, leg=leg, direction=direction)
    digest = message_digest(message)
    existing = _version_with_digest(session=session, voyage_id=voyage.id, digest=digest)
    if existing is not None:
        return _result(version=existing, created=False, direction=direction)
    version, created = _add_version(session=session, voyage=voyage, message=message, raw=raw, digest=digest)
    if not created:
        return _result(version=version, created=False, direction=direction)
    changed = _add_travellers(session=session, version=version, message=message, port=port, stays=direction == ENTRY)
    relink_voyage(session=session, voyage=voyage, port=port, only=changed)
    return _result(version=version, created=True, direction=direction, count=len(message.travellers))


def _get_or_create_voyage(*, session: Session, carrier: str, number: str, flight_date: date) -> Voyage:
    query = select(Voyage).where(Voyage.carrier == carrier, Voyage.number == number, Voyage.flight_date == flight_date)
    found = session.scalar(query)
    if found is not None:
        return found
    try:
        with session.begin_nested():
            voyage = Voyage(carrier=carrier, number=number, flight_date=flight_date)
            session.add(voyage)
        return voyage
    except IntegrityError:  # another request filed the same voyage a moment ago
        return session.scalars(query).one()


def _note_route(*, voyage: Voyage, message: PaxlstMessage, leg: LegRecord, direction: Direction) -> None:
    voyage.direction = direction
    if direction == EXIT:
        _note_departure(voyage=voyage, message=message, leg=leg)
        return
    first = message.legs[0]
    voyage.origin = voyage.origin or first.origin
    voyage.destination = leg.destination
    if leg.arrival is not None and leg.destination:
        voyage.scheduled_arrival = as_utc(local=leg.arrival, airport_code=leg.destination)


def _note_departure(*, voyage: Voyage, message: PaxlstMessage, leg: LegRecord) -> None:
    """An exit leaves from our port (the leg's origin) for the message's last destination."""
    voyage.origin, voyage.destination, voyage.scheduled_arrival = leg.origin, message.legs[-1].destination, None
    if leg.departure is not None and leg.origin:
        voyage.scheduled_departure = as_utc(local=leg.departure, airport_code=leg.origin)


def as_utc(*, local: datetime, airport_code: str) -> datetime:
    """A carrier's local time at an airport, as UTC (taken as UTC when the airport's zone is unknown)."""
    found = airport(airport_code)
    zone = ZoneInfo(found.tz) if found and found.tz else ZoneInfo("UTC")
    return local.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))


def _version_with_digest(*, session: Session, voyage_id: int, digest: str) -> VoyageVersion | None:
    return session.scalar(
        select(VoyageVersion).where(VoyageVersion.voyage_id == voyage_id, VoyageVersion.message_sha256 == digest)
    )


def _add_version(
    *, session: Session, voyage: Voyage, message: PaxlstMessage, raw: str, digest: str
) -> tuple[VoyageVersion, bool]:
    """The new version and True; or, when a concurrent filing of this very message won, that one and False."""
    for _attempt in range(5):
        latest = session.scalar(select(func.max(VoyageVersion.version)).where(VoyageVersion.voyage_id == voyage.id))
        version = _new_version(voyage=voyage, number=(latest or 0) + 1, message=message, raw=raw, digest=digest)
        try:
            with session.begin_nested():
                session.add(version)
            return version, True
        except IntegrityError:  # a concurrent filing took this number, or filed this very message
            same = _version_with_digest(session=session, voyage_id=voyage.id, digest=digest)
            if same is not None:
                return same, False
    raise RuntimeError(f"could not number a new version of voyage {voyage.id}")


def _new_version(*, voyage: Voyage, number: int, message: PaxlstMessage, raw: str, digest: str) -> VoyageVersion:
    return VoyageVersion(
        voyage_id=voyage.id,
        version=number,
        message_type=message.message_type,
        message_sha256=digest,
        message_reference=message.reference,
        declared_count=message.declared_count,
        warnings=[{"segment": w.segment, "message": w.message} for w in message.warnings],
        raw=raw,
        legs=[_leg(seq=seq, leg=leg) for seq, leg in enumerate(message.legs, start=1)],
    )


def _leg(*, seq: int, leg: LegRecord) -> Leg:
    return Leg(
        seq=seq,
        carrier=leg.carrier,
        number=leg.number,
        origin=leg.origin,
        destination=leg.destination,
        departure_local=leg.departure,
        arrival_local=leg.arrival,
    )


def _add_travellers(
    *, session: Session, version: VoyageVersion, message: PaxlstMessage, port: str, stays: bool = True
) -> set[int]:
    """The travellers and their manifest stays (none for a departure: ``stays`` False), inserted in a few
    statements; those listed unchanged since the previous version carry its stays and links over
    (:mod:`kouan.travel.registry.carry`). Returns the ids of the others: the new or changed travellers, who need
    linking."""
    session.flush()  # the version's id
    rows = [_traveller(version=version, seq=seq, person=p) for seq, p in enumerate(message.travellers, start=1)]
    if not rows:
        return set()
    per_person = [_stay_rows(message=message, person=p, port=port) if stays else [] for p in message.travellers]
    for row, mine in zip(rows, per_person, strict=True):
        row["listed_sha256"] = listed_sha256(row, mine)
    session.execute(insert(Traveller), rows, execution_options=ONE_STATEMENT)
    listed = select(Traveller.id).where(Traveller.voyage_version_id == version.id).order_by(Traveller.seq)
    ids = session.scalars(listed).all()
    earlier = previous_keys(session=session, version=version)
    pairs = {new: old for new, row in zip(ids, rows, strict=True) if (old := _same(earlier, row["listed_sha256"]))}
    fresh = [{"traveller_id": i, **s} for i, mine in zip(ids, per_person, strict=True) if i not in pairs for s in mine]
    if fresh:
        session.execute(insert(Stay), fresh, execution_options=ONE_STATEMENT)
    carry_over(session=session, pairs=pairs)
    return set(ids) - set(pairs)


def _stay_rows(*, message: PaxlstMessage, person: Person, port: str) -> list[dict[str, Any]]:
    return [
        {"region_code": s.region_code, "place": s.place, "stay_date": s.stay_date, "source": s.source}
        for s in manifest_stays(message=message, person=person, port=port)
    ]


def _same(earlier: dict[str, list[int]], key: str) -> int | None:
    """The earlier traveller listed as this one (each matched once), or None."""
    matches = earlier.get(key) if earlier else None
    return matches.pop(0) if matches else None


def _traveller(*, version: VoyageVersion, seq: int, person: Person) -> dict[str, Any]:
    main = person.documents[0] if person.documents else None
    return dict(
        voyage_version_id=version.id,
        seq=seq,
        role=person.role,
        surname=person.surname,
        given_names=person.given_names,
        sex=person.sex,
        birth_date=person.birth_date,
        nationality=person.nationality,
        document_type=main.type if main else None,
        document_number=main.number if main else None,
        document_issuer=main.issuer if main else None,
        document_expiry=main.expiry if main else None,
        documents=[_document_dict(d) for d in person.documents],
        embarkation=person.embarkation,
        debarkation=person.debarkation,
        seat=person.seat,
        booking_ref=person.booking_ref,
        address=person.address,
    )


def _document_dict(document: object) -> dict[str, str | None]:
    fields = ("type", "number", "issuer", "expiry", "issued")
    return {name: _iso(getattr(document, name, None)) for name in fields}


def _iso(value: object) -> str | None:
    return value.isoformat() if isinstance(value, date) else (str(value) if value is not None else None)


def _result(*, version: VoyageVersion, created: bool, direction: Direction, count: int | None = None) -> IngestResult:
    return IngestResult(
        voyage_id=version.voyage_id,
        direction=direction,
        version=version.version,
        message_type=version.message_type,
        created=created,
        traveller_count=len(version.travellers) if count is None else count,
        warnings=[IngestWarning(**w) for w in version.warnings or []],
    )
