"""The counter: a scan finds the traveller (manifest, declaration, screening), the checks flag what matters, the
officer records a temperature and a decision; a referral or a refusal feeds the closed loop. Services never commit."""

from __future__ import annotations

from contextlib import suppress
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from kouan.audit.service import record
from kouan.counter.checks import Flag, card_flags, health_flags, recommendation, record_flags
from kouan.counter.identify import Identity, from_bcbp, from_code, from_mrz, same_name
from kouan.counter.models import CounterCheck
from kouan.counter.schemas import CounterView, DecisionIn, ScanIn, TemperatureIn
from kouan.db import utcnow
from kouan.referrals.lifecycle import IllegalMove
from kouan.referrals.service import Actor, move, refer_traveller
from kouan.referrals.subjects import declaration_for
from kouan.screening.models import ScreeningResult
from kouan.screening.service import arrival_day, findings_for, stay_record
from kouan.travel.history import flight_number
from kouan.travel.journey import declared_stays
from kouan.travel.models import Traveller, Voyage, VoyageVersion
from kouan.travel.queries import current_travellers
from kouan.travel.sources import Declaration


class AlreadyDecided(ValueError):
    """The check has its decision (HTTP 409): a new scan starts a new check."""


def identify(*, scan: ScanIn, port: str, today: date) -> Identity:
    if scan.kind == "mrz":
        return from_mrz(scan.data)
    if scan.kind == "bcbp":
        return from_bcbp(scan.data, port=port, reference=scan.reference or today)
    return from_code(scan.data)


def scan_in(*, session: Session, scan: ScanIn, port: str, officer: str) -> CounterCheck:
    """A new check from a scan (``Unreadable`` when the scan cannot be read)."""
    who = identify(scan=scan, port=port, today=utcnow().date())
    declaration = _declaration(session=session, who=who)
    traveller = _traveller(session=session, who=_with_card(who, declaration), port=port)
    if declaration is None and traveller is not None:  # a boarding pass names no document: the traveller's card
        declaration = declaration_for(session=session, traveller=traveller) or _declaration(
            session=session, who=Identity(document_number=traveller.document_number)
        )
    check = CounterCheck(
        officer=officer, port=port, scanned=scan.kind, surname=traveller.surname if traveller else who.surname,
        given_names=traveller.given_names if traveller else who.given_names,
        document_number=(traveller.document_number if traveller else None) or _document(who, declaration),
        flight=_flight(who, declaration), traveller_id=traveller.id if traveller else None,
        declaration_id=declaration.id if declaration else None, symptoms=[], flags=[], at=utcnow(),
    )  # fmt: skip
    session.add(check)
    session.flush()
    reflag(session=session, check=check)
    return check


def _with_card(who: Identity, card: Declaration | None) -> Identity:
    if card is None or not who.code:
        return who
    return Identity(surname=card.surname, given_names=card.given_names, document_number=card.document_number,
                    nationality=card.nationality, flight=card.flight, flight_date=card.flight_date)  # fmt: skip


def _document(who: Identity, card: Declaration | None) -> str | None:
    return who.document_number or (card.document_number if card else None)


def _flight(who: Identity, card: Declaration | None) -> str | None:
    if who.carrier and who.flight:
        return f"{who.carrier}{flight_number(carrier=who.carrier, number=who.flight)}"
    return card.flight if card else None


def _declaration(*, session: Session, who: Identity) -> Declaration | None:
    if who.code:
        return session.scalar(select(Declaration).where(Declaration.code == who.code))
    if not who.document_number:
        return None
    query = select(Declaration).where(Declaration.document_number == who.document_number)
    return session.scalars(query.order_by(Declaration.submitted_at.desc(), Declaration.id.desc())).first()


def _traveller(*, session: Session, who: Identity, port: str) -> Traveller | None:
    if who.document_number:
        return _by_document(session=session, number=who.document_number, port=port)
    if who.carrier and who.flight and who.flight_date:
        return _by_flight(session=session, who=who)
    return None


def _by_document(*, session: Session, number: str, port: str) -> Traveller | None:
    """The person on the current manifest of the latest voyage into the port that carries this document (a version
    is current when no later version of the same list exists: as ``current_versions``, in one query)."""
    later = aliased(VoyageVersion)
    superseded = (
        select(later.id)
        .where(
            later.voyage_id == VoyageVersion.voyage_id,
            later.message_type == VoyageVersion.message_type,
            later.version > VoyageVersion.version,
        )
        .exists()
    )
    query = (
        select(Traveller)
        .join(VoyageVersion, Traveller.voyage_version_id == VoyageVersion.id)
        .join(Voyage, VoyageVersion.voyage_id == Voyage.id)
        .where(Traveller.document_number == number, Voyage.destination == port, ~superseded)
        .order_by(Voyage.flight_date.desc(), VoyageVersion.version.desc())
    )
    return session.scalars(query.limit(1)).first()


def _by_flight(*, session: Session, who: Identity) -> Traveller | None:
    number = flight_number(carrier=who.carrier, number=who.flight)
    day = who.flight_date
    query = select(Voyage).where(Voyage.carrier == who.carrier, Voyage.number.in_({number, who.flight}))
    voyages = [v for v in session.scalars(query) if day and abs((v.flight_date - day).days) <= 1]
    for voyage in voyages:
        for traveller in current_travellers(session=session, voyage_id=voyage.id):
            if same_name(manifest=traveller.surname, scanned=who.surname) and same_name(
                manifest=traveller.given_names, scanned=(who.given_names or "").split(" MR")[0]
            ):
                return traveller
    return None


def latest_result(*, session: Session, traveller_id: int | None) -> ScreeningResult | None:
    if traveller_id is None:
        return None
    query = select(ScreeningResult).where(ScreeningResult.traveller_id == traveller_id)
    return session.scalars(query.order_by(ScreeningResult.screened_at.desc(), ScreeningResult.id.desc())).first()


def reflag(*, session: Session, check: CounterCheck) -> list[Flag]:
    traveller = session.get(Traveller, check.traveller_id) if check.traveller_id else None
    card = session.get(Declaration, check.declaration_id) if check.declaration_id else None
    result = latest_result(session=session, traveller_id=check.traveller_id)
    said = list(card.symptoms or []) if card else []
    flags = record_flags(on_manifest=traveller is not None, level=result.level if result else None,
                         undeclared=_undeclared(traveller=traveller, card=card))  # fmt: skip
    flags += card_flags(declared=card is not None, fever_medicine=card.fever_medicine if card else None,
                        case_contact=card.case_contact if card else None)  # fmt: skip
    flags += health_flags(temperature=check.temperature, symptoms=sorted(set(check.symptoms or []) | set(said)))
    check.flags = [f.as_dict() for f in flags]
    return flags


def _undeclared(*, traveller: Traveller | None, card: Declaration | None) -> list[str]:
    """Places the itinerary shows and the card leaves out (the card's own places count once)."""
    if traveller is None or card is None:
        return []
    stays = [stay_record(s) for s in traveller.stays]
    if not any(s.source == "declaration" for s in stays):
        stays += declared_stays(places=card.places or [])
    voyage = traveller.voyage_version.voyage
    return [f.text for f in findings_for(stays=stays, arrival=arrival_day(voyage))]


def record_temperature(*, session: Session, check: CounterCheck, body: TemperatureIn) -> CounterCheck:
    if check.decision:
        raise AlreadyDecided(f"check {check.id} is decided: {check.decision}")
    check.temperature, check.symptoms = body.temperature, sorted(set(body.symptoms))
    reflag(session=session, check=check)
    return check


def decide(*, session: Session, check: CounterCheck, body: DecisionIn, actor: str) -> CounterCheck:
    """Record the officer's decision; a referral goes to the loop, a refusal closes a referral already open."""
    if check.decision:
        raise AlreadyDecided(f"check {check.id} is decided: {check.decision}")
    check.decision, check.reason, check.decided_at = body.decision, body.reason, utcnow()
    traveller = session.get(Traveller, check.traveller_id) if check.traveller_id else None
    if traveller is not None and body.decision in ("refer", "refuse"):
        check.referral_id = _to_loop(session=session, check=check, traveller=traveller, actor=actor)
    kinds = [flag["kind"] for flag in check.flags]
    record(session=session, actor=actor, action=f"counter.{body.decision}", entity="counter_check",
           entity_id=check.id, basis=body.reason, after={"decision": body.decision, "flags": kinds})  # fmt: skip
    return check


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
    traveller = session.get(Traveller, check.traveller_id) if check.traveller_id else None
    card = session.get(Declaration, check.declaration_id) if check.declaration_id else None
    result = latest_result(session=session, traveller_id=check.traveller_id)
    decision = (result.policy or {}).get("decision") if result else None
    flags = [Flag(**f) for f in check.flags]
    return CounterView(
        check_id=check.id, scanned=check.scanned, at=check.at, traveller_id=check.traveller_id,
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


def _voyage_flight(traveller: Traveller) -> str:
    voyage = traveller.voyage_version.voyage
    return f"{voyage.carrier}{flight_number(carrier=voyage.carrier, number=voyage.number)}"


def _card(card: Declaration | None) -> dict[str, object] | None:
    if card is None:
        return None
    return {"code": card.code, "places": card.places, "symptoms": card.symptoms, "fever_medicine": card.fever_medicine,
            "case_contact": card.case_contact, "address": card.address, "submitted_at": card.submitted_at}  # fmt: skip
