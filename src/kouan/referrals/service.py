"""Making referrals from a screened voyage, moving the loop, and telling the agencies. Services never commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan import errors
from kouan.audit.service import record
from kouan.db import utcnow
from kouan.referrals.lifecycle import ACTORS as EVENT_ACTORS
from kouan.referrals.lifecycle import IllegalMove, allowed_events, is_closed, next_state, sources
from kouan.referrals.models import Referral, ReferralStep
from kouan.referrals.routing import Division, destination_agency, known_division, port_agency, resolve_address
from kouan.referrals.subjects import declaration_for, destination_source, needs_referral, snapshot, subject_key
from kouan.screening.models import ScreeningResult
from kouan.screening.service import arrival_day, latest_results
from kouan.settings import get_settings
from kouan.sharing.agencies.models import Agency
from kouan.sharing.agencies.scope import scoped_referral
from kouan.sharing.agencies.service import routing_refs
from kouan.sharing.outbox.service import enqueue
from kouan.travel.registry.history import flight_number
from kouan.travel.registry.models import Traveller, Voyage
from kouan.users.units import unit_for_port


@dataclass(frozen=True)
class Actor:
    """Who moves the loop: an officer (``user:NAME``), an agency (``agency:CODE``) or the relay (``system``)."""

    name: str
    agency: Agency | None = None

    @classmethod
    def system(cls) -> Actor:
        return cls(name="system")


SYSTEM = Actor.system()


class NotPermitted(errors.NotPermitted):
    """The actor may not fire this event on this referral (HTTP 403)."""


class UnknownDivision(errors.Invalid):
    """A division (adcode) that no Chinese province, city or district has (HTTP 422 on ``field``)."""

    field = "division"


class ReferralClosed(IllegalMove):
    """The referral's loop is closed: where the traveller goes can no longer change (HTTP 409)."""


def refer_voyage(*, session: Session, voyage: Voyage, actor: Actor, port: str) -> list[Referral]:
    """A referral for every screened traveller who needs one and has none yet (safe to call again)."""
    made = []
    for traveller, result in latest_results(session=session, voyage=voyage):
        if needs_referral(result) and _existing(session=session, voyage=voyage, traveller=traveller) is None:
            made.append(_create(session=session, voyage=voyage, traveller=traveller, result=result, port=port))
    for referral in made:
        _step(session=session, referral=referral, event="create", before="created", actor=actor)
        _notify(session=session, referral=referral, type="referral.created")
    return made


def refer_traveller(
    *,
    session: Session,
    voyage: Voyage,
    traveller: Traveller,
    result: ScreeningResult | None,
    actor: Actor,
    port: str,
    note: str | None = None,
    level: str | None = None,
    reason: str | None = None,
) -> Referral:
    """One traveller referred by hand (at the counter: fever, symptoms; a close contact of a case); the existing
    referral when there is one. ``level`` and ``reason``, when given, lead the subject's level and reasons."""
    found = _existing(session=session, voyage=voyage, traveller=traveller)
    if found is not None:
        return found
    referral = _create(session=session, voyage=voyage, traveller=traveller, result=result, port=port)
    if level or reason:
        _lead_with(referral=referral, level=level, reason=reason)
    _step(session=session, referral=referral, event="create", before="created", actor=actor, note=note)
    _notify(session=session, referral=referral, type="referral.created")
    return referral


def _lead_with(*, referral: Referral, level: str | None, reason: str | None) -> None:
    subject = dict(referral.subject)
    subject["reasons"] = ([reason] if reason else []) + list(subject.get("reasons") or [])
    subject["level"] = referral.level = level or referral.level
    referral.subject = subject


def _existing(*, session: Session, voyage: Voyage, traveller: Traveller) -> Referral | None:
    key = subject_key(voyage=voyage, traveller=traveller)
    return session.scalar(select(Referral).where(Referral.subject_key == key))


def _create(
    *, session: Session, voyage: Voyage, traveller: Traveller, result: ScreeningResult | None, port: str
) -> Referral:
    declaration = declaration_for(session=session, traveller=traveller)
    subject = snapshot(traveller=traveller, result=result, declaration=declaration)
    unit = unit_for_port(session=session, port=port)
    referral = Referral(
        subject_key=subject_key(voyage=voyage, traveller=traveller),
        traveller_id=traveller.id,
        voyage_id=voyage.id,
        unit_id=unit.id if unit else None,
        port=port,
        flight=f"{voyage.carrier}{flight_number(carrier=voyage.carrier, number=voyage.number)}",
        arrival_date=arrival_day(voyage),
        level=subject["level"],
        subject=subject,
        destination_source=destination_source(traveller=traveller, declaration=declaration),
        state="created",
        state_since=utcnow(),
    )
    referral.due_at = due_at(state="created", since=referral.state_since)
    _route(session=session, referral=referral, address=subject["address"])
    session.add(referral)
    session.flush()
    return referral


def _route(*, session: Session, referral: Referral, address: str | None) -> None:
    refs = routing_refs(session=session)
    found = port_agency(port=referral.port, agencies=refs)
    referral.port_agency_id = found.id if found else None
    referral.destination_address = address
    where = resolve_address(address)
    referral.destination_division = where.adcode if isinstance(where, Division) else None
    target = destination_agency(division=where, agencies=refs) if isinstance(where, Division) else None
    referral.destination_agency_id = target.id if target else None


def due_at(*, state: str, since: datetime) -> datetime | None:
    minutes = get_settings().referral_deadlines.get(state)
    return None if minutes is None or is_closed(state) else since + timedelta(minutes=minutes)


def role_of(*, referral: Referral, actor: Actor) -> set[str]:
    if actor.agency is None:
        return {"system"} if actor.name == "system" else {"officer"}
    roles = set()
    if actor.agency.id == referral.port_agency_id:
        roles.add("port_agency")
    if actor.agency.id == referral.destination_agency_id:
        roles.add("destination_agency")
    return roles


def move(
    *,
    session: Session,
    referral: Referral,
    event: str,
    actor: Actor,
    note: str | None = None,
    data: dict[str, object] | None = None,
    idempotency_key: str | None = None,
) -> ReferralStep:
    """Fire ``event``: :class:`NotPermitted` when the actor may not, :class:`IllegalMove` when the loop does not allow
    it now. A repeated idempotency key returns the step it made the first time; a later acknowledgement by the other
    agency is recorded without moving the loop."""
    if idempotency_key and (done := _step_with_key(session=session, referral=referral, key=idempotency_key)):
        return done
    _check_actor(referral=referral, event=event, actor=actor)
    if event == "acknowledge" and _acknowledged_before(referral):
        return _step(session=session, referral=referral, event=event, before=referral.state, actor=actor, note=note)
    after = next_state(state=referral.state, event=event, has_destination=referral.destination_agency_id is not None)
    before = referral.state
    if after != before:
        _enter(referral=referral, state=after)
    step = _step(
        session=session,
        referral=referral,
        event=event,
        before=before,
        actor=actor,
        note=note,
        data=data,
        key=idempotency_key,
    )
    if event != "dispatch":  # receiving it is how the agencies learnt of it: nothing to tell them
        _notify(session=session, referral=referral, type="referral.updated", skip=actor.agency)
    return step


def _acknowledged_before(referral: Referral) -> bool:
    return referral.state not in ("created", "sent") and not is_closed(referral.state)


def _check_actor(*, referral: Referral, event: str, actor: Actor) -> None:
    allowed = EVENT_ACTORS.get(event)
    if allowed is None:
        raise IllegalMove(f"unknown event {event!r}")
    if not allowed & role_of(referral=referral, actor=actor):
        raise NotPermitted(f"{actor.name} may not {event} referral {referral.id}")


def _enter(*, referral: Referral, state: str) -> None:
    referral.state, referral.state_since = state, utcnow()
    referral.due_at = due_at(state=state, since=referral.state_since)
    referral.closed_at = referral.state_since if is_closed(state) else None


def _step_with_key(*, session: Session, referral: Referral, key: str) -> ReferralStep | None:
    query = select(ReferralStep).where(ReferralStep.referral_id == referral.id, ReferralStep.idempotency_key == key)
    return session.scalar(query)


def _step(
    *,
    session: Session,
    referral: Referral,
    event: str,
    before: str,
    actor: Actor,
    note: str | None = None,
    data: dict[str, object] | None = None,
    key: str | None = None,
) -> ReferralStep:
    step = ReferralStep(
        referral_id=referral.id,
        event=event,
        from_state=before,
        to_state=referral.state,
        actor=actor.name,
        note=note,
        data=data,
        idempotency_key=key,
        at=utcnow(),
    )
    session.add(step)
    after = {"event": event, "from": before, "to": referral.state}
    record(
        session=session,
        actor=actor.name,
        action=f"referral.{event}",
        entity="referral",
        entity_id=referral.id,
        basis=note,
        after=after,
    )
    return step


def dispatch_many(*, session: Session, referral_ids: Sequence[int]) -> int:
    """Delivered referrals (pushed by the relay, pulled from the feed) that the loop can still dispatch move through
    it; each gets its step, the batch one audit event (a relay's burst is thousands); how many moved."""
    query = select(Referral).where(Referral.id.in_(referral_ids), Referral.state.in_(sources("dispatch")))
    moved = [_dispatch(session=session, referral=referral) for referral in session.scalars(query).all()]
    if moved:
        ids = [referral.id for referral in moved]
        record(session=session, actor=SYSTEM.name, action="referral.dispatch", entity="referral",
               entity_id=f"{ids[0]}..{ids[-1]} ({len(ids)})", after={"referrals": ids, "to": "sent"})  # fmt: skip
    return len(moved)


def _dispatch(*, session: Session, referral: Referral) -> Referral:
    before, destination = referral.state, referral.destination_agency_id is not None
    _enter(referral=referral, state=next_state(state=before, event="dispatch", has_destination=destination))
    session.add(ReferralStep(referral_id=referral.id, event="dispatch", from_state=before, to_state=referral.state,
                             actor=SYSTEM.name, at=referral.state_since))  # fmt: skip
    return referral


def set_destination(
    *, session: Session, referral: Referral, actor: Actor, address: str | None, division: str | None
) -> Referral:
    """An officer states the destination of a referral (an address, or a division's adcode that wins over it).
    :class:`ReferralClosed` when its loop is closed, :class:`UnknownDivision` for an adcode no place has; either way
    nothing changes. The audit event holds the division and agencies before and after (codes and ids only)."""
    if is_closed(referral.state):
        raise ReferralClosed(f"referral {referral.id} is {referral.state}: its destination can no longer change")
    where = _division_named(division) if division else None
    before, known = _destination_facts(referral), referral.destination_agency_id
    if where is not None:
        referral.destination_address = address or referral.destination_address
        _route_division(session=session, referral=referral, division=where)
    else:
        _route(session=session, referral=referral, address=address)
    referral.destination_source = "officer"
    record(session=session, actor=actor.name, action="referral.destination", entity="referral", entity_id=referral.id,
           before=before, after=_destination_facts(referral))  # fmt: skip
    if referral.destination_agency_id and referral.destination_agency_id != known:
        _notify(session=session, referral=referral, type="referral.created", only=referral.destination_agency_id)
    return referral


def _division_named(adcode: str) -> Division:
    found = known_division(adcode)
    if found is None:
        raise UnknownDivision(f"no Chinese province, city or district has the adcode {adcode!r}")
    return found


def _destination_facts(referral: Referral) -> dict[str, object]:
    """Where a referral goes, as codes and ids (its address is personal data and stays out of the audit)."""
    return {
        "division": referral.destination_division,
        "source": referral.destination_source,
        "port_agency_id": referral.port_agency_id,
        "destination_agency_id": referral.destination_agency_id,
    }


def _route_division(*, session: Session, referral: Referral, division: Division) -> None:
    referral.destination_division = division.adcode
    target = destination_agency(division=division, agencies=routing_refs(session=session))
    referral.destination_agency_id = target.id if target else None


def referral_dict(referral: Referral) -> dict[str, object]:
    return {
        "id": referral.id,
        "state": referral.state,
        "state_since": referral.state_since.isoformat(),
        "due_at": referral.due_at.isoformat() if referral.due_at else None,
        "port": referral.port,
        "flight": referral.flight,
        "arrival_date": referral.arrival_date.isoformat(),
        "level": referral.level,
        "destination_address": referral.destination_address,
        "destination_division": referral.destination_division,
        "created_at": referral.created_at.isoformat() if referral.created_at else None,
        "closed_at": referral.closed_at.isoformat() if referral.closed_at else None,
        "subject": referral.subject,
    }


def _notify(
    *, session: Session, referral: Referral, type: str, skip: Agency | None = None, only: int | None = None
) -> None:
    """An outbox event, scoped to what each addressed agency may see, for every agency the referral goes to."""
    for agency_id in {referral.port_agency_id, referral.destination_agency_id} - {None}:
        agency = session.get(Agency, agency_id)
        if agency is None or (skip is not None and agency.id == skip.id) or (only and agency.id != only):
            continue
        payload = {"type": type, "referral": scoped_referral(referral_dict(referral), kind=agency.kind)}
        enqueue(session=session, agency=agency, type=type, payload=payload, referral_id=referral.id, port=referral.port)


def events_for(*, referral: Referral) -> list[str]:
    return allowed_events(state=referral.state, has_destination=referral.destination_agency_id is not None)


def is_overdue(referral: Referral, *, now: datetime | None = None) -> bool:
    return referral.due_at is not None and not is_closed(referral.state) and referral.due_at < (now or utcnow())
