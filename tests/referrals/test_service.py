"""Making referrals from a screened flight and moving the loop (on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan.audit.models import AuditEvent
from kouan.audit.service import verify_chain
from kouan.referrals.lifecycle import IllegalMove
from kouan.referrals.models import Referral, ReferralStep
from kouan.referrals.service import Actor, NotPermitted, ReferralClosed, UnknownDivision, move, set_destination
from kouan.sharing.outbox.models import OutboxEvent
from tests.support.loop import build_loop


def test_a_screened_flight_becomes_referrals_routed_to_port_and_destination(session: Session) -> None:
    world = build_loop(session)
    agencies = {a.id: code for code, a in world.org.agencies.items()}
    routed = {
        name: (agencies.get(r.port_agency_id or 0), agencies.get(r.destination_agency_id or 0))
        for name, r in world.referrals.items()
    }
    assert routed == {
        "ROSSI": ("CUSTOMS-PEK", "BJ-CHAOYANG"),
        "BIANCHI": ("CUSTOMS-PEK", "SH-HEALTH"),
        "VERDI": ("CUSTOMS-PEK", None),
        "NERI": ("CUSTOMS-PEK", None),
        "CONTI": ("CUSTOMS-PVG", "BJ-HEALTH"),
    }
    assert {r.state for r in world.referrals.values()} == {"created"}
    assert world.referrals["ROSSI"].unit_id == world.org.units["BJ-PEK"].id
    assert world.referrals["CONTI"].unit_id == world.org.units["SH-PVG"].id


def test_each_addressed_agency_gets_one_outbox_event_per_referral(session: Session) -> None:
    world = build_loop(session)
    rossi = world.referrals["ROSSI"]
    events = session.scalars(select(OutboxEvent).where(OutboxEvent.referral_id == rossi.id)).all()
    assert sorted(e.agency_id for e in events) == sorted([rossi.port_agency_id, rossi.destination_agency_id])
    assert {e.type for e in events} == {"referral.created"}


def test_referring_the_same_flight_again_makes_nothing_new(session: Session) -> None:
    from kouan.referrals.service import refer_voyage
    from kouan.travel.registry.models import Voyage

    world = build_loop(session)
    voyage = session.get(Voyage, world.referrals["ROSSI"].voyage_id)
    assert voyage is not None
    assert refer_voyage(session=session, voyage=voyage, actor=Actor(name="user:x"), port="PEK") == []
    assert session.scalar(select(Referral).where(Referral.id == world.referrals["ROSSI"].id)) is not None


def _agency(world, code: str) -> Actor:  # type: ignore[no-untyped-def]
    return Actor(name=f"agency:{code}", agency=world.org.agencies[code])


def test_the_whole_loop_from_created_to_completed(session: Session) -> None:
    world = build_loop(session)
    rossi = world.referrals["ROSSI"]
    officer = Actor(name="user:officer1")
    for event, actor in [
        ("dispatch", Actor.system()),
        ("acknowledge", _agency(world, "CUSTOMS-PEK")),
        ("hand_over", officer),
        ("accept", _agency(world, "CUSTOMS-PEK")),
        ("report_test", _agency(world, "CUSTOMS-PEK")),
        ("transfer", _agency(world, "CUSTOMS-PEK")),
        ("start_monitoring", _agency(world, "BJ-CHAOYANG")),
        ("complete", _agency(world, "BJ-CHAOYANG")),
    ]:
        move(session=session, referral=rossi, event=event, actor=actor)
    assert rossi.state == "completed" and rossi.closed_at is not None and rossi.due_at is None
    steps = session.scalars(select(ReferralStep).where(ReferralStep.referral_id == rossi.id)).all()
    assert [s.to_state for s in steps][-3:] == ["transferred", "monitoring", "completed"]
    assert verify_chain(session=session) is None


def test_an_illegal_move_is_refused_and_changes_nothing(session: Session) -> None:
    world = build_loop(session)
    rossi = world.referrals["ROSSI"]
    with pytest.raises(IllegalMove):
        move(session=session, referral=rossi, event="complete", actor=_agency(world, "BJ-CHAOYANG"))
    assert rossi.state == "created"


def test_an_agency_cannot_fire_another_agencys_event(session: Session) -> None:
    world = build_loop(session)
    rossi = world.referrals["ROSSI"]
    with pytest.raises(NotPermitted):
        move(session=session, referral=rossi, event="acknowledge", actor=_agency(world, "SH-HEALTH"))
    with pytest.raises(NotPermitted):
        move(session=session, referral=rossi, event="hand_over", actor=_agency(world, "CUSTOMS-PEK"))


def test_transfer_waits_for_a_resolved_destination(session: Session) -> None:
    world = build_loop(session)
    verdi, customs, officer = world.referrals["VERDI"], _agency(world, "CUSTOMS-PEK"), Actor(name="user:o")
    for event, actor in [("acknowledge", customs), ("hand_over", officer), ("accept", customs)]:
        move(session=session, referral=verdi, event=event, actor=actor)
    with pytest.raises(IllegalMove, match="destination"):
        move(session=session, referral=verdi, event="transfer", actor=customs)
    set_destination(session=session, referral=verdi, actor=officer, address="北京市朝阳区建国路1号", division=None)
    assert verdi.destination_agency_id == world.org.agencies["BJ-CHAOYANG"].id
    move(session=session, referral=verdi, event="transfer", actor=customs)
    assert verdi.state == "transferred"


def test_a_second_acknowledgement_is_recorded_without_moving_the_loop(session: Session) -> None:
    world = build_loop(session)
    rossi = world.referrals["ROSSI"]
    move(session=session, referral=rossi, event="acknowledge", actor=_agency(world, "CUSTOMS-PEK"))
    move(session=session, referral=rossi, event="hand_over", actor=Actor(name="user:o"))
    step = move(session=session, referral=rossi, event="acknowledge", actor=_agency(world, "BJ-CHAOYANG"))
    assert rossi.state == "handed_over" and step.from_state == step.to_state == "handed_over"


def test_a_repeated_idempotency_key_returns_the_first_step(session: Session) -> None:
    world = build_loop(session)
    rossi, customs = world.referrals["ROSSI"], _agency(world, "CUSTOMS-PEK")
    first = move(session=session, referral=rossi, event="acknowledge", actor=customs, idempotency_key="evt_1")
    again = move(session=session, referral=rossi, event="acknowledge", actor=customs, idempotency_key="evt_1")
    assert first.id == again.id


def _destination_events(session: Session, referral: Referral) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == "referral.destination",
                                     AuditEvent.entity_id == str(referral.id))  # fmt: skip
    return list(session.scalars(query.order_by(AuditEvent.id)).all())


@pytest.mark.parametrize("division", ["99", "9901", "110199", "1102"])
def test_a_division_no_place_has_is_refused_and_the_agency_kept(session: Session, division: str) -> None:
    world = build_loop(session)
    rossi, officer = world.referrals["ROSSI"], Actor(name="user:o")
    move(session=session, referral=rossi, event="acknowledge", actor=_agency(world, "CUSTOMS-PEK"))
    with pytest.raises(UnknownDivision, match=division) as refused:
        set_destination(session=session, referral=rossi, actor=officer, address="天津市和平区", division=division)
    assert refused.value.field == "division"
    assert (rossi.destination_division, rossi.destination_agency_id) == ("110105", world.org.agencies["BJ-CHAOYANG"].id)
    assert rossi.destination_address == "北京市朝阳区建国路88号" and rossi.destination_source != "officer"
    assert _destination_events(session, rossi) == []


def test_a_closed_referral_keeps_its_destination(session: Session) -> None:
    world = build_loop(session)
    neri, officer = world.referrals["NERI"], Actor(name="user:o")
    move(session=session, referral=neri, event="refuse", actor=officer)
    with pytest.raises(ReferralClosed, match="refused") as refused:
        set_destination(session=session, referral=neri, actor=officer, address=None, division="110113")
    assert isinstance(refused.value, IllegalMove)  # a move the loop does not allow now: 409 wherever it is mapped
    assert (neri.destination_division, neri.destination_agency_id) == (None, None)
    assert _destination_events(session, neri) == []


def test_the_audit_event_holds_the_destination_before_and_after_as_codes_only(session: Session) -> None:
    world = build_loop(session)
    rossi, officer = world.referrals["ROSSI"], Actor(name="user:o")
    move(session=session, referral=rossi, event="acknowledge", actor=_agency(world, "CUSTOMS-PEK"))
    set_destination(session=session, referral=rossi, actor=officer, address="北京市顺义区府前街1号", division="110113")
    assert rossi.destination_agency_id == world.org.agencies["BJ-SHUNYI"].id
    [event] = _destination_events(session, rossi)
    port = world.org.agencies["CUSTOMS-PEK"].id
    assert event.before == {"division": "110105", "source": "manifest", "port_agency_id": port,
                            "destination_agency_id": world.org.agencies["BJ-CHAOYANG"].id}  # fmt: skip
    assert event.after == {"division": "110113", "source": "officer", "port_agency_id": port,
                           "destination_agency_id": world.org.agencies["BJ-SHUNYI"].id}  # fmt: skip
    assert "顺义区府前街" not in str(event.before) + str(event.after) + str(event.basis)
    assert verify_chain(session=session) is None
