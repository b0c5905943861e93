"""A delivered referral moves to sent through the loop's machine, in bulk (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kouan.audit.models import AuditEvent
from kouan.audit.service import verify_chain
from kouan.referrals.delivery import mark_sent, sweep_delivered
from kouan.referrals.models import Referral, ReferralStep
from kouan.referrals.service import Actor, move
from kouan.settings import get_settings
from kouan.sharing.outbox.models import OutboxEvent
from tests.support.loop import LoopWorld, build_loop


def _deliver(session: Session, *referrals: Referral) -> None:
    delivered = update(OutboxEvent).where(OutboxEvent.referral_id.in_([r.id for r in referrals]))
    session.execute(delivered.values(status="delivered"))


def _steps(session: Session, referral: Referral) -> list[tuple[str, str, str, str]]:
    query = select(ReferralStep).where(ReferralStep.referral_id == referral.id).order_by(ReferralStep.id)
    return [(s.event, s.from_state, s.to_state, s.actor) for s in session.scalars(query)]


def _acknowledged(session: Session, world: LoopWorld, name: str) -> Referral:
    referral = world.referrals[name]
    customs = Actor(name="agency:CUSTOMS-PEK", agency=world.org.agencies["CUSTOMS-PEK"])
    move(session=session, referral=referral, event="acknowledge", actor=customs)
    return referral


def test_the_sweep_sends_only_delivered_referrals_the_loop_can_still_dispatch(session: Session) -> None:
    world = build_loop(session)
    rossi, verdi = world.referrals["ROSSI"], world.referrals["VERDI"]
    bianchi = _acknowledged(session, world, "BIANCHI")
    _deliver(session, rossi, bianchi)
    assert sweep_delivered(session=session, limit=100) == 1
    assert (rossi.state, bianchi.state, verdi.state) == ("sent", "acknowledged", "created")
    assert _steps(session, rossi)[-1] == ("dispatch", "created", "sent", "system")
    assert rossi.due_at == rossi.state_since + timedelta(minutes=get_settings().referral_deadlines["sent"])
    assert sweep_delivered(session=session, limit=100) == 0


def test_a_swept_batch_has_a_step_each_and_one_audit_event_on_the_chain(session: Session) -> None:
    world = build_loop(session)
    _deliver(session, *world.referrals.values())
    ids = sorted(r.id for r in world.referrals.values())
    assert sweep_delivered(session=session, limit=2) == 2
    assert sweep_delivered(session=session, limit=100) == len(ids) - 2
    dispatched = session.scalars(select(ReferralStep.referral_id).where(ReferralStep.event == "dispatch")).all()
    assert sorted(dispatched) == ids
    audits = session.scalars(select(AuditEvent).where(AuditEvent.action == "referral.dispatch")).all()
    assert [a.after for a in audits] == [{"referrals": ids[:2], "to": "sent"}, {"referrals": ids[2:], "to": "sent"}]
    assert verify_chain(session=session) is None


def test_a_pulled_referral_is_sent_and_one_already_acknowledged_is_left_alone(session: Session) -> None:
    world = build_loop(session)
    rossi, bianchi = world.referrals["ROSSI"], _acknowledged(session, world, "BIANCHI")
    assert mark_sent(session=session, referral_ids=[rossi.id, bianchi.id]) == 1
    assert mark_sent(session=session, referral_ids=[]) == 0
    assert (rossi.state, bianchi.state) == ("sent", "acknowledged")
    assert [step[0] for step in _steps(session, bianchi)] == ["create", "acknowledge"]
