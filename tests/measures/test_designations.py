"""Analysts' designations are bitemporal, every change is audited, and the audit chain shows tampering."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from kouan.audit.models import AuditEvent
from kouan.audit.service import events_for, verify_chain
from kouan.db import session_factory, utcnow
from kouan.measures.designations import UnknownRegion, designate, designation_in_force
from kouan.measures.models import DesignationCreate, RegionDesignation

ITALY_HIGH = DesignationCreate(
    region_code="ITA",
    level="high",
    valid_from=date(2020, 3, 10),
    reason="Lombardy outbreak",
    reference="NIA notice 2020-12",
)


@pytest.fixture
def clean(session: Session):
    yield session
    session.rollback()
    session.execute(delete(RegionDesignation))
    session.execute(delete(AuditEvent))
    session.commit()


def test_a_correction_never_overwrites_what_was_known_before(clean: Session) -> None:
    first = designate(session=clean, item=ITALY_HIGH, actor="analyst1")
    between = utcnow()
    clean.execute(
        update(RegionDesignation)
        .where(RegionDesignation.id == first.id)
        .values(recorded_at=between - timedelta(seconds=5))
    )
    designate(
        session=clean, item=ITALY_HIGH.model_copy(update={"level": "medium", "reason": "corrected"}), actor="analyst2"
    )
    known_then = designation_in_force(session=clean, region_code="ITA", on=date(2020, 3, 15), known_on=between)
    known_now = designation_in_force(session=clean, region_code="ITA", on=date(2020, 3, 15))
    assert (known_then.level, known_now.level) == ("high", "medium")  # type: ignore[union-attr]
    assert designation_in_force(session=clean, region_code="ITA", on=date(2020, 3, 9)) is None


def test_a_designation_with_an_end_is_not_in_force_from_that_day(clean: Session) -> None:
    designate(session=clean, item=ITALY_HIGH.model_copy(update={"valid_to": date(2020, 4, 1)}), actor="a")
    assert designation_in_force(session=clean, region_code="ITA", on=date(2020, 3, 31)) is not None
    assert designation_in_force(session=clean, region_code="ITA", on=date(2020, 4, 1)) is None


def test_an_unknown_region_is_refused(clean: Session) -> None:
    with pytest.raises(UnknownRegion):
        designate(session=clean, item=ITALY_HIGH.model_copy(update={"region_code": "XYZ"}), actor="a")


def test_every_change_is_audited_and_tampering_breaks_the_chain(clean: Session) -> None:
    designate(session=clean, item=ITALY_HIGH, actor="analyst1")
    designate(session=clean, item=ITALY_HIGH.model_copy(update={"region_code": "ESP"}), actor="analyst2")
    events = events_for(session=clean, entity="region_designation")
    assert [(e.actor, e.basis, e.after["region_code"]) for e in events] == [  # type: ignore[index]
        ("analyst2", "Lombardy outbreak", "ESP"),
        ("analyst1", "Lombardy outbreak", "ITA"),
    ]
    assert verify_chain(session=clean) is None
    clean.execute(update(AuditEvent).where(AuditEvent.id == events[1].id).values(actor="someone else"))
    broken = verify_chain(session=clean)
    assert broken is not None and broken.event_id == events[1].id


def test_audit_times_are_utc(clean: Session) -> None:
    event = designate(session=clean, item=ITALY_HIGH, actor="a")
    assert event.recorded_at.tzinfo is not None and event.recorded_at <= datetime.now(UTC)


def test_designate_from_the_command_line(store: str) -> None:
    import json

    from typer.testing import CliRunner

    from kouan.cli import app

    runner = CliRunner()
    try:
        args = [
            "measures",
            "designate",
            "--region",
            "ita",
            "--level",
            "high",
            "--from",
            "2020-03-10",
            "--reason",
            "outbreak",
            "--by",
            "analyst1",
        ]
        created = runner.invoke(app, args)
        assert created.exit_code == 0 and json.loads(created.stdout)["region_code"] == "ITA"
        wrong = runner.invoke(app, [*args[:4], "severe", *args[5:]])
        assert wrong.exit_code == 2 and "--level" in wrong.stderr
        listed = json.loads(runner.invoke(app, ["measures", "designations", "--region", "ITA"]).stdout)
        assert [(d["level"], d["recorded_by"]) for d in listed] == [("high", "analyst1")]
    finally:
        with session_factory(store)() as session:
            session.execute(delete(RegionDesignation))
            session.execute(delete(AuditEvent))
            session.commit()
