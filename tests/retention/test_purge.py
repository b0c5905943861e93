"""The purge (on SQLite and PostgreSQL): personal data past its retention period goes, counts per day, port and
level stay, open loops and recent data are untouched, the audit chain holds, and a second purge changes nothing."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from kouan.audit.models import AuditEvent
from kouan.audit.service import verify_chain
from kouan.cli import app
from kouan.counter.models import CounterCheck
from kouan.db import unit_of_work
from kouan.formats.paxlst import parse_paxlst
from kouan.formats.pnrgov import parse_pnrgov
from kouan.referrals.models import Referral, ReferralStep
from kouan.referrals.requests.models import InfoRequest
from kouan.referrals.requests.service import create_request, decide
from kouan.referrals.service import Actor, move, refer_voyage
from kouan.retention.service import purge, totals
from kouan.screening.models import ScreeningResult
from kouan.screening.service import arrival_day, latest_results, screen_voyage
from kouan.sharing.agencies.models import AgencyCreate, AgencyKind
from kouan.sharing.agencies.service import create_agency
from kouan.sharing.outbox.models import OutboxEvent, OutboxStatus
from kouan.travel.journey.models import Crossing, Declaration, PnrMessage, PnrPassenger, TravellerLink
from kouan.travel.journey.schemas import CrossingCreate, DeclarationCreate
from kouan.travel.journey.service import add_crossings, add_declarations, ingest_pnrgov
from kouan.travel.registry.models import Stay, Traveller, Voyage
from kouan.travel.registry.queries import get_voyage
from kouan.travel.registry.service import ingest_paxlst
from kouan.vessels.models import Seafarer, VesselCall
from tests.support.messages import document_number, passenger_list, pnr_push

NOW = datetime(2020, 6, 1, tzinfo=UTC)
RETENTION = {"travel": 60, "referrals": 30, "outbox": 30, "requests": 30}  # travel before 2020-04-02 goes
OLD, RECENT = "2003201830", "2005151830"


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def voyage(session: Session, *, names: list[str], departs: str, number: str = "CA940", screen: bool = True) -> Voyage:
    raw = passenger_list(names=names, legs=[("FCO", "PEK", departs)], number=number)
    found = get_voyage(
        session=session,
        voyage_id=ingest_paxlst(session=session, message=parse_paxlst(raw), raw=raw, port="PEK").voyage_id,
    )
    assert found is not None
    if screen:
        screen_voyage(session=session, voyage=found)
        refer_voyage(session=session, voyage=found, actor=Actor.system(), port="PEK")
    return found


def sources(session: Session) -> None:
    """A PNR push, a crossing and a declaration from March (old) and from May (recent)."""
    for departs in ("2003191030", "2005191030"):
        raw = pnr_push(
            booking_ref=f"B{departs[:6]}", people=["ROSSI:MARIO"], legs=[("CA", "940", "FCO", "PEK", departs)]
        )
        ingest_pnrgov(session=session, message=parse_pnrgov(raw), raw=raw, port="PEK")
    crossing = {
        "direction": "exit",
        "port": "PEK",
        "surname": "ROSSI",
        "document_number": document_number("ROSSI:MARIO"),
    }
    crossings = [CrossingCreate(**crossing, crossed_at=at(day)) for day in ("2020-02-20", "2020-05-25")]
    add_crossings(session=session, crossings=crossings)
    filed = [
        DeclarationCreate(surname="ROSSI", flight="CA940", flight_date=day, phone="+39 06 1234")
        for day in (date(2020, 3, 20), date(2020, 5, 15))
    ]
    add_declarations(session=session, declarations=filed, port="PEK")


def requests(session: Session) -> list[InfoRequest]:
    """Decided in April (old), decided in late May (recent), and still waiting."""
    agency = create_agency(
        session=session, item=AgencyCreate(code="BJ-HC", name="BJ", kind=AgencyKind.health_commission)
    )[0]
    made = [
        create_request(
            session=session, agency=agency, subject={"document_number": "X1"}, legal_basis="law", purpose="p"
        )
        for _ in range(3)
    ]
    decide(session=session, request=made[0], actor="user:a", approve=True, note=None, now=at("2020-04-01"))
    decide(session=session, request=made[1], actor="user:a", approve=False, note=None, now=at("2020-05-30"))
    return made


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    create_agency(
        session=session, item=AgencyCreate(code="PEK-CIQ", name="PEK", kind=AgencyKind.customs_quarantine, port="PEK")
    )
    old = voyage(session, names=["ROSSI:MARIO", "BIANCHI:LUCA", "VERDI:ANNA"], departs=OLD)
    unscreened = voyage(session, names=["NERI:PAOLO", "GALLI:SARA"], departs="2003191830", number="CA938", screen=False)
    recent = voyage(session, names=["ROSSI:MARIO"], departs=RECENT)
    sources(session)
    closed, open_ = session.scalars(select(Referral).where(Referral.voyage_id == old.id).order_by(Referral.id)).all()[
        :2
    ]
    move(session=session, referral=closed, event="refuse", actor=Actor(name="user:officer1"), note="ROSSI refused")
    closed.closed_at, closed.destination_address = at("2020-03-25"), "Chaoyang, Beijing"  # closed in March
    events = session.scalars(select(OutboxEvent).order_by(OutboxEvent.id)).all()
    for event, delivered in zip(events, ("2020-04-01", "2020-05-30"), strict=False):
        event.status, event.delivered_at = OutboxStatus.delivered.value, at(delivered)
    made = requests(session)
    session.flush()
    return {
        "old": [old.id, unscreened.id],
        "recent": recent.id,
        "closed": closed,
        "open": open_,
        "events": events,
        "requests": made,
        "expected": expected(session, [old, unscreened], closed),
    }


def expected(session: Session, voyages: list[Voyage], closed: Referral) -> dict[Any, tuple[int, int]]:
    """What the aggregates must hold, counted from the registry before the purge."""
    travellers = Counter(
        (arrival_day(v), v.destination, r.level if r else "unscreened")
        for v in voyages
        for _, r in latest_results(session=session, voyage=v)
    )
    referrals = Counter({(closed.arrival_date, closed.port, closed.level): 1})
    return {key: (travellers[key], referrals[key]) for key in travellers | referrals}


def count(session: Session, model: Any, *where: Any) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_purge_removes_exactly_what_is_past_retention(session: Session, world: dict[str, Any]) -> None:
    recent_travellers = count(session, Traveller) - 5
    report = purge(session=session, now=NOW, retention=RETENTION)
    assert report.counts() == {
        "voyages": 2,
        "travellers": 5,
        "pnr_messages": 1,
        "crossings": 1,
        "declarations": 1,
        "vessel_calls": 0,
        "counter_checks": 0,
        "referrals": 1,
        "outbox_events": 1,
        "requests": 1,
    }
    assert totals(session=session) == world["expected"]
    assert {"unscreened"} < {level for _, _, level in world["expected"]}
    assert session.scalars(select(Voyage.id)).all() == [world["recent"]]
    assert count(session, Traveller) == recent_travellers and count(session, Stay) > 0
    assert count(session, ScreeningResult, ScreeningResult.voyage_id.in_(world["old"])) == 0
    assert [m.flight_date for m in session.scalars(select(PnrMessage))] == [date(2020, 5, 19)]
    assert [c.crossed_at.date() for c in session.scalars(select(Crossing))] == [date(2020, 5, 25)]
    assert [d.flight_date for d in session.scalars(select(Declaration))] == [date(2020, 5, 15)]
    assert not dangling_links(session)


def dangling_links(session: Session) -> list[str]:
    targets = {"crossing": Crossing, "declaration": Declaration, "pnr": PnrPassenger}
    links = [link for link in session.scalars(select(TravellerLink)) if link.kind in targets]
    return [link.kind for link in links if session.get(targets[link.kind], link.target_id) is None]


def test_links_from_kept_travellers_to_removed_records_go_too(session: Session) -> None:
    rossi = {"surname": "ROSSI", "given_names": "MARIO", "birth_date": date(1970, 1, 1), "nationality": "ITA"}
    exit_ = CrossingCreate(
        direction="exit",
        port="PEK",
        crossed_at=at("2020-05-05"),
        country="ITA",
        **rossi,
        document_number=document_number("ROSSI:MARIO"),
    )
    add_crossings(session=session, crossings=[exit_])
    kept = voyage(session, names=["ROSSI:MARIO"], departs=RECENT, screen=False)
    assert [link.kind for link in session.scalars(select(TravellerLink))] == ["crossing"]
    report = purge(session=session, now=NOW, retention=RETENTION | {"travel": 22})  # before 2020-05-10 goes
    assert (report.voyages, report.crossings) == (0, 1)
    assert session.scalars(select(Voyage.id)).all() == [kept.id]
    assert count(session, TravellerLink) == 0 and not dangling_links(session)


def test_a_closed_referral_keeps_its_shell_and_an_open_one_is_untouched(
    session: Session, world: dict[str, Any]
) -> None:
    closed, open_ = world["closed"], world["open"]
    open_subject, shell = (
        dict(open_.subject),
        (closed.state, closed.level, closed.port, closed.flight, closed.arrival_date),
    )
    purge(session=session, now=NOW, retention=RETENTION)
    session.refresh(closed)
    session.refresh(open_)
    assert closed.subject == {} and closed.destination_address is None and closed.purged_at == NOW
    assert (closed.state, closed.level, closed.port, closed.flight, closed.arrival_date) == shell
    assert closed.closed_at == at("2020-03-25") and closed.state == "refused"
    steps = session.scalars(select(ReferralStep).where(ReferralStep.referral_id == closed.id)).all()
    assert [s.event for s in steps] == ["create", "refuse"] and all(s.note is None for s in steps)
    assert open_.subject == open_subject and open_.subject["surname"] and open_.purged_at is None
    recent = session.scalars(select(Referral).where(Referral.voyage_id == world["recent"])).all()
    assert recent and all(r.subject.get("document_number") for r in recent)


def test_payloads_and_requests_past_retention_are_emptied(session: Session, world: dict[str, Any]) -> None:
    purge(session=session, now=NOW, retention=RETENTION)
    events = world["events"]
    for event in events:
        session.refresh(event)
    assert events[0].payload == {} and events[1].payload and all(e.payload for e in events[2:])
    old, recent, waiting = world["requests"]
    for request in world["requests"]:
        session.refresh(request)
    assert old.subject == {} and old.answer is None and old.status == "approved"
    assert recent.subject == {"document_number": "X1"} and waiting.subject == {"document_number": "X1"}


def test_purge_is_audited_and_purging_again_changes_nothing(session: Session, world: dict[str, Any]) -> None:
    first = purge(session=session, now=NOW, retention=RETENTION)
    kept = totals(session=session)
    again = purge(session=session, now=NOW, retention=RETENTION)
    assert set(again.counts().values()) == {0}
    assert totals(session=session) == kept == world["expected"]
    audits = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "retention.purge").order_by(AuditEvent.id)
    ).all()
    assert [a.after for a in audits] == [first.counts(), again.counts()]
    assert "travel 60 days" in (audits[0].basis or "")
    assert verify_chain(session=session) is None


def test_the_cli_purges_as_of_a_day_and_prints_the_counts(store: str) -> None:
    with unit_of_work(store) as session:
        voyage(session, names=["ROSSI:MARIO", "BIANCHI:LUCA"], departs=OLD)
    result = CliRunner().invoke(app, ["purge", "--now", "2020-12-01"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["now"].startswith("2020-12-01") and report["voyages"] == 1 and report["travellers"] == 2
    with unit_of_work(store) as session:
        assert count(session, Voyage) == 0 and sum(t for t, _ in totals(session=session).values()) == 2
    assert CliRunner().invoke(app, ["purge", "--now", "2020-13-01"]).exit_code == 2


def test_vessel_calls_and_counter_checks_past_retention_go_with_their_people(session: Session) -> None:
    for day in ("2020-03-20", "2020-05-20"):
        call = VesselCall(imo="9321483", name="JIN HAI FORTUNE", port="CNMAA", arrival_date=date.fromisoformat(day),
                          declaration={}, level="low", as_of=date.fromisoformat(day))  # fmt: skip
        call.seafarers = [Seafarer(seq=0, surname="SANTOS", given_names="MARK", level="low")]
        session.add(call)
        session.add(CounterCheck(officer="user:o", port="PEK", scanned="mrz", surname="ROSSI", at=at(day)))
    session.flush()
    report = purge(session=session, now=NOW, retention=RETENTION)
    assert (report.vessel_calls, report.counter_checks) == (1, 1)
    assert [c.arrival_date for c in session.scalars(select(VesselCall))] == [date(2020, 5, 20)]
    assert count(session, Seafarer) == 1 and count(session, CounterCheck) == 1
