"""Purging personal data past its retention period while keeping aggregates.

What is about to go is first counted into :class:`DailyArrivals` (per arrival day, port and level), then removed:
travel data (voyages with their versions, travellers, stays and screening results; PNR pushes, crossings and
declarations) after ``travel`` days, the person in a referral ``referrals`` days after it closed (the shell stays),
delivered outbox payloads after ``outbox`` days and decided lawful requests after ``requests`` days. Only what is
removed now is counted, so purging again adds nothing. One audit event records the counts. Services never commit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from kouan.audit.service import record
from kouan.counter.models import CounterCheck
from kouan.referrals.models import Referral, ReferralStep
from kouan.referrals.requests.models import InfoRequest
from kouan.retention.models import DailyArrivals
from kouan.screening.service import arrival_day, latest_results
from kouan.sharing.outbox.models import OutboxEvent, OutboxStatus
from kouan.travel.journey.models import Crossing, Declaration, PnrBooking, PnrMessage, PnrPassenger, TravellerLink
from kouan.travel.registry.models import Voyage
from kouan.vessels.models import VesselCall

UNSCREENED = "unscreened"
Key = tuple[date, str, str]


@dataclass
class PurgeReport:
    now: str
    voyages: int = 0
    travellers: int = 0
    pnr_messages: int = 0
    crossings: int = 0
    declarations: int = 0
    vessel_calls: int = 0
    counter_checks: int = 0
    referrals: int = 0
    outbox_events: int = 0
    requests: int = 0

    def counts(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if key != "now"}


def purge(*, session: Session, now: datetime, retention: dict[str, int], actor: str = "system") -> PurgeReport:
    assert now.tzinfo is not None, "purge needs an aware (UTC) time"
    report = PurgeReport(now=now.isoformat())
    travel_cutoff = now.date() - timedelta(days=retention["travel"])
    _purge_travel(session=session, cutoff=travel_cutoff, report=report)
    _purge_sources(session=session, cutoff=travel_cutoff, now=now, report=report)
    report.referrals = _purge_referrals(session=session, before=now - timedelta(days=retention["referrals"]), now=now)
    report.outbox_events = _purge_outbox(session=session, before=now - timedelta(days=retention["outbox"]))
    report.requests = _purge_requests(session=session, before=now - timedelta(days=retention["requests"]))
    basis = "retention policy: " + ", ".join(f"{k} {v} days" for k, v in sorted(retention.items()))
    record(
        session=session,
        actor=actor,
        action="retention.purge",
        entity="retention",
        entity_id=now.date().isoformat(),
        basis=basis,
        after=report.counts(),
    )
    session.flush()
    return report


def _purge_travel(*, session: Session, cutoff: date, report: PurgeReport) -> None:
    """Voyages that flew before ``cutoff``: their travellers are counted by latest level, then all of it goes."""
    voyages = list(session.scalars(select(Voyage).where(Voyage.flight_date < cutoff).order_by(Voyage.id)).all())
    counts: Counter[Key] = Counter()
    for voyage in voyages:
        for _traveller, result in latest_results(session=session, voyage=voyage):
            counts[(arrival_day(voyage), voyage.destination or "", result.level if result else UNSCREENED)] += 1
    _add(session=session, counts=counts, column="travellers")
    for voyage in voyages:
        session.delete(voyage)  # versions, legs, travellers, stays; screening results and links by the database
    session.flush()
    session.expire_all()  # referrals now point at no traveller or voyage (SET NULL in the database)
    report.voyages, report.travellers = len(voyages), sum(counts.values())


def _purge_sources(*, session: Session, cutoff: date, now: datetime, report: PurgeReport) -> None:
    start = datetime.combine(cutoff, datetime.min.time(), tzinfo=now.tzinfo)
    pnr = or_(PnrMessage.flight_date < cutoff, PnrMessage.flight_date.is_(None) & (PnrMessage.received_at < start))
    filed = or_(
        Declaration.flight_date < cutoff, Declaration.flight_date.is_(None) & (Declaration.submitted_at < start)
    )
    report.pnr_messages = _delete_pnr(session=session, where=pnr)
    report.crossings = _delete(session=session, model=Crossing, where=Crossing.crossed_at < start, kind="crossing")
    report.declarations = _delete(session=session, model=Declaration, where=filed, kind="declaration")
    calls = delete(VesselCall).where(VesselCall.arrival_date < cutoff)  # their seafarers go with them
    report.vessel_calls = _count_deleted(session=session, statement=calls)
    report.counter_checks = _count_deleted(
        session=session, statement=delete(CounterCheck).where(CounterCheck.at < start)
    )
    session.flush()


def _count_deleted(*, session: Session, statement: Any) -> int:
    return int(session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]


def _delete(*, session: Session, model: Any, where: Any, kind: str) -> int:
    """Delete the rows and the links that pointed at them (a link holds no foreign key)."""
    ids = list(session.scalars(select(model.id).where(where)).all())
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        session.execute(delete(TravellerLink).where(TravellerLink.kind == kind, TravellerLink.target_id.in_(chunk)))
        session.execute(delete(model).where(model.id.in_(chunk)))
    return len(ids)


def _delete_pnr(*, session: Session, where: Any) -> int:
    """Delete the pushes (their bookings and passengers go with them) and the links to those passengers."""
    ids = list(session.scalars(select(PnrMessage.id).where(where)).all())
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        passengers = select(PnrPassenger.id).join(PnrBooking).where(PnrBooking.message_id.in_(chunk))
        session.execute(
            delete(TravellerLink).where(TravellerLink.kind == "pnr", TravellerLink.target_id.in_(passengers))
        )
        session.execute(delete(PnrMessage).where(PnrMessage.id.in_(chunk)))
    return len(ids)


def _purge_referrals(*, session: Session, before: datetime, now: datetime) -> int:
    """Closed before ``before`` and not purged yet: counted, then emptied of the person (the shell stays)."""
    query = select(Referral).where(
        Referral.closed_at.is_not(None), Referral.closed_at < before, Referral.purged_at.is_(None)
    )
    referrals = list(session.scalars(query).all())
    _add(session=session, counts=Counter((r.arrival_date, r.port, r.level) for r in referrals), column="referrals")
    for referral in referrals:
        referral.subject, referral.destination_address, referral.purged_at = {}, None, now
    ids = [r.id for r in referrals]
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):  # notes and test results name the person
        session.execute(update(ReferralStep).where(ReferralStep.referral_id.in_(chunk)).values(note=None, data=None))
    return len(referrals)


def _purge_outbox(*, session: Session, before: datetime) -> int:
    query = select(OutboxEvent).where(
        OutboxEvent.status == OutboxStatus.delivered.value, OutboxEvent.delivered_at < before
    )
    emptied = [event for event in session.scalars(query) if event.payload]
    for event in emptied:
        event.payload = {}
    return len(emptied)


def _purge_requests(*, session: Session, before: datetime) -> int:
    query = select(InfoRequest).where(InfoRequest.decided_at.is_not(None), InfoRequest.decided_at < before)
    emptied = [request for request in session.scalars(query) if request.subject or request.answer is not None]
    for request in emptied:
        request.subject, request.answer = {}, None
    return len(emptied)


def _add(*, session: Session, counts: Counter[Key], column: str) -> None:
    """Add the counts to the day's rows (made when missing), never replacing what earlier purges kept."""
    for (day, port, level), number in counts.items():
        query = select(DailyArrivals).where(
            DailyArrivals.day == day, DailyArrivals.port == port, DailyArrivals.level == level
        )
        row = session.scalar(query)
        if row is None:
            row = DailyArrivals(day=day, port=port, level=level, travellers=0, referrals=0)
            session.add(row)
        setattr(row, column, getattr(row, column) + number)
    session.flush()


def totals(*, session: Session) -> dict[Key, tuple[int, int]]:
    """Every aggregate row as (travellers, referrals), keyed by (day, port, level)."""
    rows = session.scalars(select(DailyArrivals)).all()
    return {(r.day, r.port, r.level): (r.travellers, r.referrals) for r in rows}
