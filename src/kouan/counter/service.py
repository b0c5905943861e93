"""The counter: a scan finds the traveller (manifest, declaration, screening), the checks flag what matters, the
officer records a temperature and a decision; a referral or a refusal feeds the closed loop. Services never commit.

At exit (a departure lane) the traveller is looked up on the departures from the counter's port; the epidemic flags
(declaration card, temperature, risk level) are not raised, only the lists' and overstays'
(:mod:`kouan.counter.enforcement`, in both lanes), and the officer releases
(cleared to leave) or refuses (不准出境): referring and diverting are entry decisions."""

from __future__ import annotations

from contextlib import suppress
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from kouan import errors
from kouan.audit.service import record
from kouan.counter import lookup
from kouan.counter.checks import Flag, card_flags, health_flags, recommendation, record_flags
from kouan.counter.enforcement import enforcement_flags
from kouan.counter.identify import Identity, from_bcbp, from_code, from_mrz, same_name
from kouan.counter.models import CounterCheck
from kouan.counter.schemas import CounterView, DecisionIn, ScanIn, TemperatureIn
from kouan.db import utcnow
from kouan.referrals.lifecycle import IllegalMove
from kouan.referrals.service import Actor, move, refer_traveller
from kouan.screening.service import arrival_day, findings_for, latest_result
from kouan.travel.journey.schemas import CrossingCreate
from kouan.travel.journey.service import add_crossings
from kouan.travel.journey.stays import declared_stays
from kouan.travel.registry.history import flight_number
from kouan.travel.registry.models import Traveller, Voyage
from kouan.travel.registry.queries import current_travellers

EXIT = "exit"
EXIT_DECISIONS = ("release", "refuse")


class AlreadyDecided(errors.Conflict, ValueError):
    """The check has its decision (HTTP 409): a new scan starts a new check."""


class NotAtExit(errors.Invalid):
    """A decision that is not taken at exit (HTTP 422): only release and refuse are."""


def identify(*, scan: ScanIn, port: str, today: date) -> Identity:
    if scan.kind == "mrz":
        return from_mrz(scan.data)
    if scan.kind == "bcbp":
        return from_bcbp(scan.data, port=port, reference=scan.reference or today, leaving=scan.direction == EXIT)
    return from_code(scan.data)


def scan_in(*, session: Session, scan: ScanIn, port: str, officer: str, at: datetime | None = None) -> CounterCheck:
    """A new check from a scan made ``at`` (now) (``Unreadable`` when the scan cannot be read). The check is stored
    by one INSERT and returned detached (the scan's hot path); load it with ``session.get`` to change it."""
    at = at or utcnow()
    who = identify(scan=scan, port=port, today=at.date())
    card = _card_named(session=session, who=who)
    traveller = _traveller(session=session, who=_with_card(who, card), port=port, direction=scan.direction)
    if card is None and traveller is not None:  # a boarding pass names no document: the traveller's card
        card = lookup.card_for_traveller(session=session, traveller=traveller, tried=who.document_number)
    what = lookup.found(session=session, traveller=traveller, card=card)
    check = CounterCheck(
        officer=officer, port=port, scanned=scan.kind, direction=scan.direction,
        surname=traveller.surname if traveller else who.surname,
        given_names=traveller.given_names if traveller else who.given_names,
        document_number=(traveller.document_number if traveller else None) or _document(who, card),
        nationality=traveller.nationality if traveller else who.nationality,
        birth_date=traveller.birth_date if traveller else who.birth_date,
        sex=traveller.sex if traveller else who.sex,
        flight=_flight(who, card), traveller_id=traveller.id if traveller else None,
        declaration_id=card.id if card else None, symptoms=[], at=at,
    )  # fmt: skip
    check.flags = [f.as_dict() for f in _flags(session=session, check=check, what=what)]
    check.id = lookup.insert_check(session=session, check=check)
    lookup.remember(session=session, check_id=check.id, what=what)
    return check


def _with_card(who: Identity, card: Row[Any] | None) -> Identity:
    if card is None or not who.code:
        return who
    return Identity(surname=card.surname, given_names=card.given_names, document_number=card.document_number,
                    nationality=card.nationality, flight=card.flight, flight_date=card.flight_date)  # fmt: skip


def _document(who: Identity, card: Row[Any] | None) -> str | None:
    return who.document_number or (card.document_number if card else None)


def _flight(who: Identity, card: Row[Any] | None) -> str | None:
    if who.carrier and who.flight:
        return f"{who.carrier}{flight_number(carrier=who.carrier, number=who.flight)}"
    return card.flight if card else None


def _card_named(*, session: Session, who: Identity) -> Row[Any] | None:
    if who.code:
        return lookup.card_by_code(session=session, code=who.code)
    return lookup.card_by_document(session=session, number=who.document_number)


def _traveller(*, session: Session, who: Identity, port: str, direction: str) -> Row[Any] | None:
    if who.document_number:
        return lookup.traveller_by_document(session=session, number=who.document_number, port=port, direction=direction)
    if who.carrier and who.flight and who.flight_date:
        found = _by_flight(session=session, who=who, direction=direction)
        return lookup.traveller_by_id(session=session, traveller_id=found)
    return None


def _by_flight(*, session: Session, who: Identity, direction: str) -> int | None:
    number = flight_number(carrier=who.carrier, number=who.flight)
    day = who.flight_date
    query = select(Voyage).where(Voyage.carrier == who.carrier, Voyage.number.in_({number, who.flight}))
    query = query.where(Voyage.direction == direction)
    voyages = [v for v in session.scalars(query) if day and abs((v.flight_date - day).days) <= 1]
    for voyage in voyages:
        for traveller in current_travellers(session=session, voyage_id=voyage.id):
            if same_name(manifest=traveller.surname, scanned=who.surname) and same_name(
                manifest=traveller.given_names, scanned=(who.given_names or "").split(" MR")[0]
            ):
                return traveller.id
    return None


def found_for(*, session: Session, check: CounterCheck) -> lookup.Found:
    """What the check's traveller and card say (read once per unit of work)."""
    known = lookup.recalled(session=session, check_id=check.id)
    if known is not None:
        return known
    traveller = lookup.traveller_by_id(session=session, traveller_id=check.traveller_id)
    card = lookup.card_by_id(session=session, declaration_id=check.declaration_id)
    what = lookup.found(session=session, traveller=traveller, card=card)
    return lookup.remember(session=session, check_id=check.id, what=what)


def _flags(*, session: Session, check: CounterCheck, what: lookup.Found) -> list[Flag]:
    listed = enforcement_flags(session=session, check=check, traveller=what.traveller)
    if check.direction == EXIT:
        return record_flags(on_manifest=what.traveller is not None, level=None, undeclared=[]) + listed
    traveller, card, result = what.traveller, what.card, what.result
    said = list(card.symptoms or []) if card else []
    flags = record_flags(on_manifest=traveller is not None, level=result.level if result else None,
                         undeclared=_undeclared(what))  # fmt: skip
    flags += card_flags(declared=card is not None, fever_medicine=card.fever_medicine if card else None,
                        case_contact=card.case_contact if card else None)  # fmt: skip
    flags += health_flags(temperature=check.temperature, symptoms=sorted(set(check.symptoms or []) | set(said)))
    return listed + flags


def reflag(*, session: Session, check: CounterCheck) -> list[Flag]:
    flags = _flags(session=session, check=check, what=found_for(session=session, check=check))
    check.flags = [f.as_dict() for f in flags]
    return flags


def _undeclared(what: lookup.Found) -> list[str]:
    """Places the itinerary shows and the card leaves out (the card's own places count once)."""
    if what.traveller is None or what.card is None:
        return []
    stays = list(what.stays)
    if not any(s.source == "declaration" for s in stays):
        stays += declared_stays(places=what.card.places or [])
    return [f.text for f in findings_for(stays=stays, arrival=arrival_day(what.traveller))]


def record_temperature(*, session: Session, check: CounterCheck, body: TemperatureIn) -> CounterCheck:
    if check.decision:
        raise AlreadyDecided(f"check {check.id} is decided: {check.decision}")
    check.temperature, check.symptoms = body.temperature, sorted(set(body.symptoms))
    reflag(session=session, check=check)
    return check


def decide(
    *, session: Session, check: CounterCheck, body: DecisionIn, actor: str, at: datetime | None = None
) -> CounterCheck:
    """Record the officer's decision; a referral goes to the loop, a refusal closes a referral already open (a
    refusal at exit stops the traveller and stands on the check: the loop follows arrivals)."""
    if check.decision:
        raise AlreadyDecided(f"check {check.id} is decided: {check.decision}")
    if check.direction == EXIT and body.decision not in EXIT_DECISIONS:
        raise NotAtExit(f"at exit a check is released or refused (不准出境), not {body.decision}")
    check.decision, check.reason, check.decided_at = body.decision, body.reason, at or utcnow()
    traveller = session.get(Traveller, check.traveller_id) if check.traveller_id else None
    if traveller is not None and body.decision in ("refer", "refuse") and check.direction != EXIT:
        check.referral_id = _to_loop(session=session, check=check, traveller=traveller, actor=actor)
    if check.direction == EXIT and body.decision == "release":
        _record_exit(session=session, check=check)
    kinds = [flag["kind"] for flag in check.flags]
    record(session=session, actor=actor, action=f"counter.{body.decision}", entity="counter_check",
           entity_id=check.id, basis=body.reason, after={"decision": body.decision, "flags": kinds})  # fmt: skip
    return check


def _record_exit(*, session: Session, check: CounterCheck) -> None:
    """A traveller cleared to leave is an exit in the registry's own records (it closes their stay)."""
    if not check.surname or check.decided_at is None:
        return
    add_crossings(session=session, crossings=[CrossingCreate(
        direction="exit", port=check.port, crossed_at=check.decided_at, surname=check.surname,
        given_names=check.given_names or "", birth_date=check.birth_date, nationality=check.nationality,
        document_number=check.document_number, flight=check.flight[:10] if check.flight else None)])  # fmt: skip


def _to_loop(*, session: Session, check: CounterCheck, traveller: Traveller, actor: str) -> int:
    voyage = traveller.voyage_version.voyage
    result = latest_result(session=session, traveller_id=traveller.id)
    who = Actor(name=actor)
    referral = refer_traveller(session=session, voyage=voyage, traveller=traveller, result=result, actor=who,
                               port=check.port, note=check.reason)  # fmt: skip
    if check.decision == "refuse":
        with suppress(IllegalMove):  # past the port already: the refusal stands on the check itself
            move(session=session, referral=referral, event="refuse", actor=who, note=check.reason)
    return referral.id


def view(*, session: Session, check: CounterCheck) -> CounterView:
    what = found_for(session=session, check=check)
    traveller, card, result = what.traveller, what.card, what.result
    if check.direction == EXIT:  # no epidemic screening, card or policy at exit
        card, result = None, None
    decision = (result.policy or {}).get("decision") if result else None
    flags = [Flag(**f) for f in check.flags]
    return CounterView(
        check_id=check.id, scanned=check.scanned, direction=check.direction, at=check.at,
        traveller_id=check.traveller_id,
        surname=check.surname, given_names=check.given_names, document_number=check.document_number,
        nationality=traveller.nationality if traveller else (card.nationality if card else None),
        flight=check.flight or (_voyage_flight(traveller) if traveller else None),
        seat=traveller.seat if traveller else (card.seat if card else None),
        level=result.level if result else None, reasons=[r.get("text", "") for r in (result.reasons if result else [])],
        actions=list(result.actions) if result else [], policy_decision=decision, declaration=_card(card),
        temperature=check.temperature, flags=check.flags,
        recommendation=recommendation(flags=flags, policy_decision=decision),
        decision=check.decision, reason=check.reason, referral_id=check.referral_id,
    )  # fmt: skip


def _voyage_flight(traveller: Row[Any]) -> str:
    return f"{traveller.carrier}{flight_number(carrier=traveller.carrier, number=traveller.number)}"


def _card(card: Row[Any] | None) -> dict[str, object] | None:
    if card is None:
        return None
    return {"code": card.code, "places": card.places, "symptoms": card.symptoms, "fever_medicine": card.fever_medicine,
            "case_contact": card.case_contact, "address": card.address, "submitted_at": card.submitted_at}  # fmt: skip
