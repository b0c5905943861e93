"""Filing and screening a vessel's call: the declaration and crew list parsed, each port of call's region risk as
known when the ship left it, the vessel and each seafarer screened, the call kept, and the early warning published
to the port's customs health quarantine and maritime authority before arrival. Services never commit."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan import errors
from kouan.audit.service import record
from kouan.db import utcnow
from kouan.formats.fal import FalList, fal_to_dict, parse_fal
from kouan.formats.mdh import MaritimeDeclaration, mdh_to_dict
from kouan.formats.records import FormatError
from kouan.measures.classifiers import LEVEL_RANK, classifier_by_name
from kouan.measures.levels import LevelInForce, level_in_force
from kouan.reference import region_name
from kouan.settings import get_settings
from kouan.sharing.agencies.models import Agency
from kouan.sharing.agencies.scope import scoped_vessel
from kouan.sharing.outbox.service import enqueue
from kouan.users.units import in_ports
from kouan.vessels.models import CallRead, Seafarer, SeafarerRead, VesselCall
from kouan.vessels.rules import CrewResult, LevelOf, RegionLevel, VesselResult, screen_call
from kouan.watchlist.hits.checks import Subject, Where, check

WARNED_KINDS = ("customs_quarantine", "maritime_authority")


class UnusableCall(errors.Invalid):
    """The declaration does not say which ship or which port (HTTP 422)."""


def level_of(*, session: Session, classifier: str | None = None) -> LevelOf:
    """A region's level on a day, as known on that day (:func:`kouan.measures.levels.level_in_force`): the rate's
    level or an analyst's designation, whichever is stricter, the same level the screening of travellers uses."""
    rates = classifier_by_name(classifier or get_settings().classifier)

    def known(region: str, day: date) -> RegionLevel:
        found = level_in_force(session=session, region=region, on=day, known_on=day, classifier=rates)
        return RegionLevel(level=found.level, text=_text(found, figure_level=rates.classify(found.rate_14d)))

    return known


def _text(found: LevelInForce, *, figure_level: str) -> str:
    name, designated = region_name(found.region), found.designation
    if designated is not None and found.level != figure_level:
        return f"{name} designated {designated.level} from {designated.valid_from}: {designated.reason}"
    if found.rate_14d is None:
        return f"no 14-day rate known for {name}: {found.level}"
    return f"{name} 14-day rate {found.rate_14d:.1f} per 100k on {found.data_date} (JHU CSSE): {found.level}"


def screen(*, session: Session, mdh: MaritimeDeclaration, crew: FalList | None, arrival: date,
           earlier_ports: list[str] | None = None) -> VesselResult:  # fmt: skip
    return screen_call(mdh=mdh, crew=crew, arrival=arrival, level_of=level_of(session=session),
                       earlier_ports=earlier_ports or [])  # fmt: skip


def arrival_of(*, mdh: MaritimeDeclaration, eta: datetime | None) -> date:
    """The ETA's day, else the day after the declaration (it is sent before arrival), else today."""
    if eta is not None:
        return eta.astimezone(UTC).date()
    return mdh.ship.declaration_date or utcnow().date()


def port_of(*, mdh: MaritimeDeclaration, port: str | None) -> str:
    place = mdh.ship.submitted_at_port
    chosen = port or (place.locode if place else None)
    if not chosen or len(chosen) != 5:
        raise UnusableCall("the port of arrival is unknown: give `port` (UN/LOCODE) or `submitted_at_port`")
    return chosen.upper()


def file_call(*, session: Session, mdh: MaritimeDeclaration, crew: FalList | None, eta: datetime | None,
              port: str | None, actor: str) -> VesselCall:  # fmt: skip
    """Screen and keep the call (replacing an earlier declaration for the same call), then warn the port."""
    if not mdh.ship.imo:
        raise UnusableCall("the declaration has no valid IMO number")
    where, arrival = port_of(mdh=mdh, port=port), arrival_of(mdh=mdh, eta=eta)
    earlier = earlier_ports(session=session, imo=mdh.ship.imo, before=arrival)
    result = screen(session=session, mdh=mdh, crew=crew, arrival=arrival, earlier_ports=earlier)
    call = _replace(session=session, imo=mdh.ship.imo, port=where, arrival=arrival)
    _fill(call=call, mdh=mdh, crew=crew, eta=eta, result=result)
    session.flush()
    _check_crew(session=session, call=call, crew=crew, on=arrival)
    warn(session=session, call=call)
    record(session=session, actor=actor, action="vessel.screen", entity="vessel_call", entity_id=call.id,
           after={"imo": call.imo, "port": call.port, "level": call.level})  # fmt: skip
    return call


def _check_crew(*, session: Session, call: VesselCall, crew: FalList | None, on: date) -> None:
    """The crew list's seafarers checked against the lists in force on the day of arrival (hits wait for review)."""
    if crew is None:
        return
    subjects = [Subject(surname=p.surname, given_names=p.given_names, birth_date=p.birth_date,
                        nationality=p.nationality, document_number=p.document_number, sex=p.sex)
                for p in crew.persons]  # fmt: skip
    where = Where(direction="entry", port=call.port, vessel_call_id=call.id)
    check(session=session, where=where, subjects=subjects, on=on)


def crew_list(given: str | dict[str, Any] | None) -> FalList | None:
    """A FAL Form 5 (CSV text, JSON text or a JSON object) with seafarers on it; ``FormatError`` otherwise."""
    if given is None:
        return None
    crew = parse_fal(given if isinstance(given, str) else json.dumps(given))
    if crew.form != 5:
        raise FormatError(position="crew_list", message="a crew list (FAL Form 5) is needed, not a passenger list")
    if not crew.persons:
        raise FormatError(position="crew_list", message="no seafarer is listed")
    return crew


def earlier_ports(*, session: Session, imo: str, before: date) -> list[str]:
    """The ports of call the ship declared at its latest earlier call (to compare with this declaration)."""
    query = select(VesselCall.ports_of_call).where(VesselCall.imo == imo, VesselCall.arrival_date < before)
    found = session.scalars(query.order_by(VesselCall.arrival_date.desc()).limit(1)).first()
    return list(found or [])


def _replace(*, session: Session, imo: str, port: str, arrival: date) -> VesselCall:
    query = select(VesselCall).where(VesselCall.imo == imo, VesselCall.port == port, VesselCall.arrival_date == arrival)
    found = session.scalar(query)
    if found is not None:
        found.seafarers = []
        return found
    call = VesselCall(imo=imo, port=port, arrival_date=arrival)
    session.add(call)
    return call


def _fill(*, call: VesselCall, mdh: MaritimeDeclaration, crew: FalList | None, eta: datetime | None,
          result: VesselResult) -> None:  # fmt: skip
    ship = mdh.ship
    call.name, call.flag, call.eta = ship.name or (crew.ship.name if crew else None) or call.imo, ship.flag, eta
    call.arriving_from = ship.arriving_from.as_written if ship.arriving_from else None
    call.ports_of_call = [p.port.locode for p in mdh.ports_of_call if p.port and p.port.locode]
    call.declaration, call.crew_list = mdh_to_dict(mdh), fal_to_dict(crew) if crew else None
    call.warnings = [{"at": w.segment, "message": w.message} for w in (*mdh.warnings, *(crew.warnings if crew else ()))]
    call.level, call.actions, call.as_of = result.level, list(result.actions), result.arrival
    call.reasons = [{"kind": r.kind, "text": r.text} for r in result.reasons]
    call.discrepancies = [{"kind": r.kind, "text": r.text} for r in result.discrepancies]
    call.received_at, call.warned_at = utcnow(), None
    call.seafarers = [_seafarer(one, crew=crew) for one in result.crew]


def _seafarer(result: CrewResult, *, crew: FalList | None) -> Seafarer:
    person = crew.persons[result.index] if crew and result.index < len(crew.persons) else None
    return Seafarer(seq=result.index, surname=result.surname, given_names=result.given_names,
                    nationality=person.nationality if person else None, rank=person.rank if person else None,
                    document_number=person.document_number if person else None, joined_at=result.joined_at,
                    joined_on=result.joined_on, level=result.level,
                    reasons=[{"kind": r.kind, "text": r.text} for r in result.reasons],
                    actions=list(result.actions))  # fmt: skip


def warn(*, session: Session, call: VesselCall) -> int:
    """The early warning to the port's customs health quarantine and maritime authority, each scoped to its kind."""
    query = select(Agency).where(Agency.active.is_(True), Agency.port == call.port, Agency.kind.in_(WARNED_KINDS))
    agencies = list(session.scalars(query))
    for agency in agencies:
        payload = {"type": "vessel.screened", "vessel": scoped_vessel(warning(call), kind=agency.kind)}
        enqueue(session=session, agency=agency, type="vessel.screened", payload=payload)
    call.warned_at = utcnow() if agencies else None
    return len(agencies)


def warning(call: VesselCall) -> dict[str, Any]:
    return {
        "call_id": call.id, "imo": call.imo, "name": call.name, "flag": call.flag, "port": call.port,
        "eta": call.eta.isoformat() if call.eta else None, "arrival_date": call.arrival_date.isoformat(),
        "level": call.level, "reasons": call.reasons, "actions": call.actions, "crew_count": len(call.seafarers),
        "discrepancies": call.discrepancies,
        "crew": [{"surname": s.surname, "given_names": s.given_names, "rank": s.rank, "level": s.level,
                  "reasons": [r["text"] for r in s.reasons]} for s in call.seafarers],
    }  # fmt: skip


def calls(
    *, session: Session, port: str | None = None, ports: frozenset[str] | None = None, since: date | None = None
) -> list[VesselCall]:
    """Calls into ``ports`` (None: every port) by ETA (the earliest first), the highest level first within a day."""
    query = select(VesselCall).where(in_ports(VesselCall.port, ports))
    if port:
        query = query.where(VesselCall.port == port.upper())
    if since:
        query = query.where(VesselCall.arrival_date >= since)
    found = list(session.scalars(query))
    return sorted(found, key=lambda c: (c.arrival_date, -LEVEL_RANK.get(c.level, 0), c.eta or datetime.max.replace(
        tzinfo=UTC), c.id))  # fmt: skip


def call_read(call: VesselCall) -> CallRead:
    crew = [SeafarerRead(seq=s.seq, surname=s.surname, given_names=s.given_names, nationality=s.nationality,
                         rank=s.rank, joined_at=s.joined_at, joined_on=s.joined_on, level=s.level, reasons=s.reasons,
                         actions=s.actions) for s in call.seafarers]  # fmt: skip
    return CallRead(id=call.id, imo=call.imo, name=call.name, flag=call.flag, port=call.port, eta=call.eta,
                    arrival_date=call.arrival_date, arriving_from=call.arriving_from, level=call.level,
                    reasons=call.reasons, actions=call.actions, discrepancies=call.discrepancies,
                    warnings=call.warnings, as_of=call.as_of, received_at=call.received_at,
                    warned_at=call.warned_at, crew=crew)  # fmt: skip
