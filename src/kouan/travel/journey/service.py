"""Filing bookings (PNRGOV), crossings and declarations, and tying them to the travellers on a voyage.
Storing a push is :mod:`kouan.travel.journey.bookings`; relinking is here.

Whichever arrives first, the manifest or the booking, the links and the stays they bring are rebuilt for the
voyage when the other arrives: the journey does not depend on the order messages come in.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import Session

from kouan.db import ONE_STATEMENT
from kouan.formats.pnr_records import PnrgovMessage
from kouan.travel.declarations.codes import new_code
from kouan.travel.journey.bookings import FlightKey, current_bookings, declared_flight, file_pnrgov, voyage_for_flight
from kouan.travel.journey.linking import Link, PersonRecord, link_pnr_to_manifest, link_to_history
from kouan.travel.journey.models import Crossing, Declaration, PnrPassenger, TravellerLink
from kouan.travel.journey.schemas import CrossingCreate, DeclarationCreate, PnrIngestResult
from kouan.travel.journey.stays import ExitFact, declared_stays, exit_stays, pnr_stays
from kouan.travel.journey.targets import Targets, load_targets
from kouan.travel.registry.history import StayRecord
from kouan.travel.registry.models import Stay, Traveller, Voyage, VoyageVersion
from kouan.travel.registry.queries import current_travellers, current_travellers_split, current_version_ids
from kouan.travel.registry.schemas import IngestWarning

MANIFEST_SOURCES = ("manifest-embarkation", "manifest-leg")
EXIT_LOOKBACK_DAYS = 180
EARLIER_VOYAGE_DAYS = 30


def traveller_record(traveller: Traveller) -> PersonRecord:
    return PersonRecord(
        record_id=f"t{traveller.id}",
        source="manifest",
        surname=traveller.surname,
        given_names=traveller.given_names,
        birth_date=traveller.birth_date,
        nationality=traveller.nationality,
        document_number=traveller.document_number,
        sex=traveller.sex,
        booking_ref=traveller.booking_ref,
    )


def _record(
    *, prefix: str, row: PnrPassenger | Crossing | Declaration | Traveller, source: str, **extra: Any
) -> PersonRecord:
    return PersonRecord(
        record_id=f"{prefix}{row.id}",
        source=source,
        surname=row.surname,
        given_names=row.given_names,
        birth_date=row.birth_date,
        nationality=row.nationality,
        document_number=row.document_number,
        **extra,
    )


def _id(record_id: str) -> int:
    return int(record_id[1:])


def relink_voyage(*, session: Session, voyage: Voyage, port: str, only: set[int] | None = None) -> None:
    """Rebuild the links of the voyage's travellers to bookings, crossings and declarations, and the stays
    those bring (manifest stays are left as they are). ``only``: just these travellers (the others keep their
    links and stays, and the booking passengers they are linked to stay theirs). Stays run up to the voyage's own
    port when it is known (an installation works several), else up to ``port``."""
    port = voyage.our_port or port
    if only is None:
        travellers, taken = current_travellers(session=session, voyage_id=voyage.id), set[int]()
    else:
        travellers, others = current_travellers_split(session=session, voyage_id=voyage.id, ids=only)
        taken = _pnr_taken(session=session, ids=others)
    if not travellers:
        return
    records = [traveller_record(t) for t in travellers]
    links = _pnr_links(session=session, voyage=voyage, records=records, taken=taken)
    links += _crossing_links(session=session, voyage=voyage, travellers=travellers, records=records)
    links += _declaration_links(session=session, voyage=voyage, travellers=travellers, records=records)
    links += _earlier_voyage_links(session=session, voyage=voyage, travellers=travellers, records=records)
    _replace_links(session=session, travellers=travellers, links=links)
    mine = _by_traveller(links)
    targets = load_targets(session=session, wanted=_wanted(mine))
    kept = _manifest_dates(session=session, ids=[t.id for t in travellers])
    derived = [
        {"traveller_id": t.id, **_stay_values(s)}
        for t in travellers
        for s in _derived_stays(mine=mine.get(t.id, []), kept=kept.get(t.id, []), targets=targets, port=port)
    ]
    _replace_derived_stays(session=session, travellers=travellers, rows=derived)


Target = tuple[str, int]  # (kind, id of the linked record)


def _by_traveller(links: list[Linked]) -> dict[int, list[Target]]:
    """Each traveller's linked records, in the order of ``links``."""
    mine: dict[int, list[Target]] = defaultdict(list)
    for kind, link in links:
        traveller_id, target_id = ends(link)
        mine[traveller_id].append((kind, target_id))
    return mine


def _wanted(mine: dict[int, list[Target]]) -> dict[str, set[int]]:
    wanted: dict[str, set[int]] = defaultdict(set)
    for kind, target_id in (target for targets in mine.values() for target in targets):
        wanted[kind].add(target_id)
    return wanted


Linked = tuple[str, Link]  # (kind, link)


def _pnr_taken(*, session: Session, ids: list[int]) -> set[int]:
    """The booking passengers linked to these travellers."""
    query = select(TravellerLink.target_id).where(TravellerLink.kind == "pnr", TravellerLink.traveller_id.in_(ids))
    return set(session.scalars(query)) if ids else set()


def _pnr_links(*, session: Session, voyage: Voyage, records: list[PersonRecord], taken: set[int]) -> list[Linked]:
    bookings = current_bookings(session=session, voyage=voyage)
    passengers = [p for b in bookings for p in b.passengers if p.id not in taken]
    pnr = [_record(prefix="p", row=p, source="pnr", booking_ref=p.booking.booking_ref) for p in passengers]
    return [("pnr", link) for link in link_pnr_to_manifest(pnr=pnr, manifest=records)]


def _crossing_links(
    *, session: Session, voyage: Voyage, travellers: list[Traveller], records: list[PersonRecord]
) -> list[Linked]:
    since = datetime.combine(voyage.flight_date - timedelta(days=EXIT_LOOKBACK_DAYS), datetime.min.time())
    documents = {t.document_number for t in travellers if t.document_number}
    births = {t.birth_date for t in travellers if t.birth_date}
    candidates = session.scalars(
        select(Crossing).where(
            Crossing.crossed_at >= since.replace(tzinfo=UTC),
            or_(Crossing.document_number.in_(documents), Crossing.birth_date.in_(births)),
        )
    ).all()
    history = [_record(prefix="c", row=c, source="crossing", event_date=c.crossed_at.date()) for c in candidates]
    return [("crossing", link) for link in link_to_history(arrivals=records, history=history)]


def _declaration_links(
    *, session: Session, voyage: Voyage, travellers: list[Traveller], records: list[PersonRecord]
) -> list[Linked]:
    documents = {t.document_number for t in travellers if t.document_number}
    flight = f"{voyage.carrier}{voyage.number}"
    candidates = session.scalars(
        select(Declaration).where(
            or_(
                Declaration.document_number.in_(documents),
                (Declaration.flight == flight) & (Declaration.flight_date == voyage.flight_date),
            )
        )
    ).all()
    history = [_record(prefix="d", row=d, source="declaration") for d in candidates]
    best: dict[str, Link] = {}
    for link in link_to_history(arrivals=records, history=history):
        if link.left_id not in best or link.score > best[link.left_id].score:
            best[link.left_id] = link
    return [("declaration", link) for link in best.values()]


def _earlier_voyage_links(
    *, session: Session, voyage: Voyage, travellers: list[Traveller], records: list[PersonRecord]
) -> list[Linked]:
    """The same person on the current lists of other voyages of the last EARLIER_VOYAGE_DAYS days (read as plain
    rows: at a national day they are thousands a manifest)."""
    documents = {t.document_number for t in travellers if t.document_number}
    births = {t.birth_date for t in travellers if t.birth_date}
    person = (Traveller.id, Traveller.surname, Traveller.given_names, Traveller.birth_date, Traveller.nationality)
    candidates = session.execute(
        select(*person, Traveller.document_number, Traveller.voyage_version_id, VoyageVersion.voyage_id)
        .join(VoyageVersion, Traveller.voyage_version_id == VoyageVersion.id)
        .join(Voyage, VoyageVersion.voyage_id == Voyage.id)
        .where(
            Voyage.id != voyage.id,
            Voyage.flight_date >= voyage.flight_date - timedelta(days=EARLIER_VOYAGE_DAYS),
            Voyage.flight_date <= voyage.flight_date,
            or_(Traveller.document_number.in_(documents), Traveller.birth_date.in_(births)),
        )
    ).all()
    current = current_version_ids(session=session, voyage_ids={c.voyage_id for c in candidates})
    history = [  # unpacked, not read by name: three times quicker over thousands of rows
        PersonRecord(f"v{id_}", "manifest", surname, given_names, birth_date, nationality, document_number)
        for id_, surname, given_names, birth_date, nationality, document_number, version, _ in candidates
        if version in current
    ]
    return [("traveller", link) for link in link_to_history(arrivals=records, history=history)]


def ends(link: Link) -> tuple[int, int]:
    """(traveller id, id of the other record), whichever side the traveller is on."""
    if link.left_id.startswith("t"):
        return _id(link.left_id), _id(link.right_id)
    return _id(link.right_id), _id(link.left_id)


def _replace_links(*, session: Session, travellers: list[Traveller], links: list[Linked]) -> None:
    """The travellers' links, deleted and inserted in two statements."""
    session.execute(delete(TravellerLink).where(TravellerLink.traveller_id.in_([t.id for t in travellers])))
    rows = [_link_values(kind=kind, link=link) for kind, link in links]
    if rows:
        session.execute(insert(TravellerLink), rows, execution_options=ONE_STATEMENT)


def _link_values(*, kind: str, link: Link) -> dict[str, Any]:
    traveller_id, target_id = ends(link)
    evidence = json.loads(json.dumps(link.evidence, default=str))
    return dict(traveller_id=traveller_id, kind=kind, target_id=target_id, score=link.score, method=link.method,
                evidence=evidence)  # fmt: skip


def _replace_derived_stays(*, session: Session, travellers: list[Traveller], rows: list[dict[str, Any]]) -> None:
    """Every stay but the manifest's deleted and ``rows`` inserted, in bulk; the travellers' stays are read again
    when next asked for."""
    ids = [t.id for t in travellers]
    gone = delete(Stay).where(Stay.traveller_id.in_(ids), Stay.source.not_in(MANIFEST_SOURCES))
    session.execute(gone, execution_options={"synchronize_session": False})
    if rows:
        session.execute(insert(Stay), rows, execution_options=ONE_STATEMENT)
    for traveller in travellers:
        session.expire(traveller, ["stays"])


def _manifest_dates(*, session: Session, ids: list[int]) -> dict[int, list[date]]:
    """The days of each traveller's manifest stays (where their journey starts), read as plain rows."""
    query = select(Stay.traveller_id, Stay.stay_date).where(
        Stay.traveller_id.in_(ids), Stay.source.in_(MANIFEST_SOURCES)
    )
    found: dict[int, list[date]] = defaultdict(list)
    for traveller_id, day in session.execute(query):
        found[traveller_id].append(day)
    return found


def _derived_stays(*, mine: list[Target], kept: list[date], targets: Targets, port: str) -> list[StayRecord]:
    """The stays the traveller's links bring: bookings, declarations, earlier manifests, then exits."""
    derived = [s for kind, target in mine for s in _stays_from(kind=kind, target_id=target, targets=targets, port=port)]
    journey = kept + [s.stay_date for s in derived if s.source.startswith("pnr")]
    crossings = [c for kind, target in mine if kind == "crossing" and (c := targets.crossings.get(target))]
    return derived + _exit_stays(crossings=crossings, start=min(journey, default=None))


def _stays_from(*, kind: str, target_id: int, targets: Targets, port: str) -> list[StayRecord]:
    if kind == "pnr":
        passenger = targets.passengers.get(target_id)
        booking = passenger.booking if passenger else None
        return pnr_stays(itinerary=booking.itinerary, booking_ref=booking.booking_ref, port=port) if booking else []
    if kind == "declaration":
        declaration = targets.declarations.get(target_id)
        return declared_stays(places=declaration.places) if declaration else []
    if kind == "traveller":
        earlier = targets.earlier.get(target_id)
        return _earlier_manifest_stays(earlier) if earlier else []
    return []


def _earlier_manifest_stays(earlier: Traveller) -> list[StayRecord]:
    voyage = earlier.voyage_version.voyage
    evidence = f"earlier flight {voyage.carrier}{voyage.number} of {voyage.flight_date.isoformat()}"
    return [
        StayRecord(s.region_code, s.place, s.stay_date, "earlier-manifest", None, evidence)
        for s in earlier.stays
        if s.source in MANIFEST_SOURCES
    ]


def _exit_stays(*, crossings: list[Crossing], start: date | None) -> list[StayRecord]:
    if not crossings or start is None:
        return []
    crossings = sorted(crossings, key=lambda c: c.crossed_at)
    facts = [
        ExitFact(
            day=c.crossed_at.date(),
            port=c.port,
            country=c.country,
            entered_since=any(e.direction == "entry" and e.crossed_at > c.crossed_at for e in crossings),
        )
        for c in crossings
        if c.direction == "exit"
    ]
    return exit_stays(exits=facts, journey_start=start)


def _stay_values(stay: StayRecord) -> dict[str, Any]:
    return {
        "region_code": stay.region_code,
        "place": stay.place,
        "stay_date": stay.stay_date,
        "date_from": stay.date_from,
        "source": stay.source,
        "evidence": stay.evidence[:200] if stay.evidence else None,
    }


def ingest_pnrgov(*, session: Session, message: PnrgovMessage, raw: str, port: str) -> PnrIngestResult:
    """File a push and, when its flight's manifest is already here, link and restate the travellers' stays."""
    stored, created = file_pnrgov(session=session, message=message, raw=raw)
    voyage = voyage_for_flight(session=session, carrier=stored.carrier, number=stored.number, day=stored.flight_date)
    if created and voyage is not None:
        relink_voyage(session=session, voyage=voyage, port=port)
    return PnrIngestResult(
        message_id=stored.id,
        created=created,
        voyage_id=voyage.id if voyage else None,
        bookings=[b.booking_ref for b in stored.bookings],
        passenger_count=sum(len(b.passengers) for b in stored.bookings),
        warnings=[IngestWarning(**w) for w in stored.warnings or []],
    )


def add_crossings(*, session: Session, crossings: list[CrossingCreate]) -> int:
    """Our own exit/entry records; a record already held (same direction, port, time, document) is skipped."""
    added = 0
    for item in crossings:
        exists = session.scalar(
            select(Crossing.id).where(
                Crossing.direction == item.direction,
                Crossing.port == item.port,
                Crossing.crossed_at == item.crossed_at,
                Crossing.document_number == item.document_number,
            )
        )
        if exists is None:
            session.add(Crossing(**item.model_dump()))
            added += 1
    session.flush()
    return added


def add_declarations(
    *, session: Session, declarations: list[DeclarationCreate], port: str
) -> tuple[list[int], list[Voyage]]:
    """File declarations, each with a fresh e-declaration code and its port (its flight's, else ``port``), and
    relink the voyages they name, so their stays join those travellers' journeys."""
    rows = [
        Declaration(
            **d.model_dump(exclude={"places"}), places=[p.model_dump(mode="json") for p in d.places], code=new_code()
        )
        for d in declarations
    ]
    found = _declared_voyages(session=session, rows=rows)
    for row in rows:
        voyage = found.get(declared_flight(flight=row.flight, day=row.flight_date)) if row.flight else None
        row.port_of_entry = (voyage.our_port if voyage else None) or port
    session.add_all(rows)
    session.flush()
    voyages = list(dict.fromkeys(found.values()))
    for voyage in voyages:
        relink_voyage(session=session, voyage=voyage, port=port)
    return [r.id for r in rows], voyages


def _declared_voyages(*, session: Session, rows: list[Declaration]) -> dict[FlightKey, Voyage]:
    flights = {declared_flight(flight=d.flight, day=d.flight_date) for d in rows if d.flight}
    found = {(c, n, d): voyage_for_flight(session=session, carrier=c, number=n, day=d) for c, n, d in flights}
    return {flight: voyage for flight, voyage in found.items() if voyage is not None}
