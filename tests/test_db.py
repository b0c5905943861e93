"""The store keeps instants as UTC on both engines and enforces foreign keys on SQLite too."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from kouan.travel.models import Voyage, VoyageVersion

BEIJING = timezone(timedelta(hours=8))


def test_a_local_time_is_kept_as_the_same_instant_in_utc(session: Session) -> None:
    arrival = datetime(2020, 3, 21, 5, 30, tzinfo=BEIJING)
    session.add(Voyage(carrier="CA", number="940", flight_date=date(2020, 3, 20), scheduled_arrival=arrival))
    session.flush()
    session.expire_all()
    stored = session.scalar(select(Voyage.scheduled_arrival))
    assert stored == arrival and stored is not None
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored.hour == 21


def test_a_naive_time_is_refused(session: Session) -> None:
    session.add(Voyage(carrier="CA", number="941", flight_date=date(2020, 3, 20), created_at=datetime(2020, 3, 20)))
    with pytest.raises(StatementError):
        session.flush()


def test_foreign_keys_are_enforced(session: Session) -> None:
    orphan = VoyageVersion(
        voyage_id=987654, version=1, message_type="passengers", message_sha256="0" * 64, raw="", warnings=[]
    )
    session.add(orphan)
    with pytest.raises(IntegrityError):
        session.flush()


def test_now_is_utc() -> None:
    from kouan.db import utcnow

    assert utcnow().tzinfo == UTC
