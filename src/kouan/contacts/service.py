"""Tracing close contacts on a voyage: the current manifest's people and seats, the layout of the aircraft (or one
inferred from the seats), the rule in force on arrival (or the one named), the finding kept as a trace, and the index
cases and close contacts referred into the closed loop. Services never commit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan import errors
from kouan.audit.service import record
from kouan.contacts.finder import Contact as Found
from kouan.contacts.finder import ContactFinding, Occupant, UnknownIndex, find_contacts, index_by_seat
from kouan.contacts.layouts import layout_for
from kouan.contacts.models import Contact, ContactRead, ContactTrace, TraceIn, TraceRead
from kouan.contacts.rules import ContactRule, default_rule, rule_named
from kouan.contacts.seats import seat_or_none
from kouan.referrals.service import Actor, refer_traveller
from kouan.screening.service import arrival_day, latest_result
from kouan.travel.registry.models import EXIT, Traveller, Voyage
from kouan.travel.registry.queries import current_travellers

CLOSE_LEVEL = "high"  # a case's close contacts were quarantined under the 2020 measures, whatever their own route


def occupant(traveller: Traveller) -> Occupant:
    return Occupant(key=str(traveller.id), surname=traveller.surname, given_names=traveller.given_names,
                    role=traveller.role, seat=seat_or_none(traveller.seat),
                    booking_ref=traveller.booking_ref)  # fmt: skip


def rule_for(*, voyage: Voyage, name: str | None) -> ContactRule:
    """The named rule, which must be in force on arrival; else the aircraft rule in force then."""
    day = arrival_day(voyage)
    return rule_named(name, on=day) if name else default_rule(on=day)


def index_keys(*, occupants: list[Occupant], body: TraceIn) -> list[str]:
    keys = {o.key for o in occupants}
    unknown = [i for i in body.traveller_ids if str(i) not in keys]
    if unknown:
        raise UnknownIndex(f"traveller {unknown[0]} is not on this voyage's current manifest")
    chosen = [str(i) for i in body.traveller_ids] + index_by_seat(occupants, body.seats)
    if not chosen:
        raise UnknownIndex("name at least one index case, by traveller id or by seat")
    return list(dict.fromkeys(chosen))


class DepartureNotTraced(errors.Invalid):
    """Contacts are traced on arriving flights: a departure (exit voyage) is refused (HTTP 422)."""


def trace_contacts(*, session: Session, voyage: Voyage, body: TraceIn, actor: Actor, port: str) -> ContactTrace:
    """Find the close contacts of the index cases and keep them (``UnknownIndex``, ``UnknownRule`` or
    ``NotInForce`` when the request cannot be met; ``DepartureNotTraced`` for an exit voyage)."""
    if voyage.direction == EXIT:
        raise DepartureNotTraced(f"voyage {voyage.id} is a departure: contacts are traced on arriving flights only")
    travellers = {str(t.id): t for t in current_travellers(session=session, voyage_id=voyage.id)}
    occupants = [occupant(t) for t in travellers.values()]
    rule = rule_for(voyage=voyage, name=body.rule)
    layout = layout_for(voyage.aircraft, carrier=voyage.carrier)
    finding = find_contacts(occupants=occupants, index_keys=index_keys(occupants=occupants, body=body), rule=rule,
                            layout=layout)  # fmt: skip
    trace = _kept(voyage=voyage, finding=finding, layout=layout.aircraft if layout else "inferred", actor=actor)
    session.add(trace)
    session.flush()
    if body.refer:
        _refer(session=session, voyage=voyage, trace=trace, travellers=travellers, actor=actor, port=port)
    record(session=session, actor=actor.name, action="contacts.trace", entity="contact_trace", entity_id=trace.id,
           after={"voyage_id": voyage.id, "rule": trace.rule, "close": len(trace.contacts)})  # fmt: skip
    return trace


def _kept(*, voyage: Voyage, finding: ContactFinding, layout: str, actor: Actor) -> ContactTrace:
    index = [{"traveller_id": int(o.key), "seat": str(o.seat) if o.seat else None} for o in finding.index]
    trace = ContactTrace(voyage_id=voyage.id, rule=finding.rule.name, applied=finding.applied[:300],
                         rule_date=arrival_day(voyage), layout=layout, index_cases=index,
                         general_count=len(finding.general), notes=list(finding.notes),
                         found_by=actor.name)  # fmt: skip
    trace.contacts = [_contact(found) for found in finding.close]
    return trace


def _contact(found: Found) -> Contact:
    who = found.occupant
    return Contact(traveller_id=int(who.key), index_traveller_id=int(found.index_key),
                   seat=str(who.seat) if who.seat else None, role=who.role, rule=found.rule[:80],
                   rows_from_index=found.rows_from_index, reason=found.reason[:300])  # fmt: skip


def _refer(*, session: Session, voyage: Voyage, trace: ContactTrace, travellers: dict[str, Traveller], actor: Actor,
           port: str) -> None:  # fmt: skip
    """Index cases first, then their close contacts, each with why; a person already referred keeps that referral."""
    for case in trace.index_cases:
        traveller = travellers[str(case["traveller_id"])]
        reason = f"Index case in seat {case['seat'] or '?'} / 病例 (contact trace {trace.id})"
        _referral(session=session, voyage=voyage, traveller=traveller, actor=actor, port=port, reason=reason)
    for contact in trace.contacts:
        traveller = travellers[str(contact.traveller_id)]
        reason = f"Close contact / 密切接触者: {contact.reason} ({contact.rule})"
        contact.referral_id = _referral(session=session, voyage=voyage, traveller=traveller, actor=actor, port=port,
                                        reason=reason)  # fmt: skip


def _referral(*, session: Session, voyage: Voyage, traveller: Traveller, actor: Actor, port: str, reason: str) -> int:
    result = latest_result(session=session, traveller_id=traveller.id)
    referral = refer_traveller(session=session, voyage=voyage, traveller=traveller, result=result, actor=actor,
                               port=port, note=reason, level=CLOSE_LEVEL, reason=reason)  # fmt: skip
    return referral.id


def traces_of(*, session: Session, voyage_id: int) -> list[ContactTrace]:
    query = select(ContactTrace).where(ContactTrace.voyage_id == voyage_id)
    return list(session.scalars(query.order_by(ContactTrace.found_at.desc(), ContactTrace.id.desc())))


def trace_read(*, session: Session, trace: ContactTrace) -> TraceRead:
    people = {t.id: t for t in current_travellers(session=session, voyage_id=trace.voyage_id)}
    close = [_contact_read(contact, people.get(contact.traveller_id or 0)) for contact in trace.contacts]
    return TraceRead(id=trace.id, voyage_id=trace.voyage_id, rule=trace.rule, applied=trace.applied,
                     rule_date=trace.rule_date, layout=trace.layout, index_cases=trace.index_cases, close=close,
                     general_count=trace.general_count, notes=trace.notes, found_by=trace.found_by,
                     found_at=trace.found_at)  # fmt: skip


def _contact_read(contact: Contact, traveller: Traveller | None) -> ContactRead:
    return ContactRead(traveller_id=contact.traveller_id, surname=traveller.surname if traveller else None,
                       given_names=traveller.given_names if traveller else None, seat=contact.seat,
                       role=contact.role, rule=contact.rule, rows_from_index=contact.rows_from_index,
                       reason=contact.reason, index_traveller_id=contact.index_traveller_id,
                       referral_id=contact.referral_id)  # fmt: skip
