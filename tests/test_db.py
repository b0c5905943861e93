"""The store keeps instants as UTC on both engines and enforces foreign keys on SQLite too."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from kouan.db import WriterBusy, unit_of_work
from kouan.travel.registry.models import Voyage, VoyageVersion

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


def test_on_sqlite_a_transaction_that_will_not_wait_is_told_the_writer_is_busy(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'busy.sqlite3'}"
    with unit_of_work(url) as holder:
        holder.execute(text("CREATE TABLE t (x INTEGER)"))
        with pytest.raises(WriterBusy), unit_of_work(url, wait=False) as eager:
            eager.execute(text("SELECT 1"))
    with unit_of_work(url, wait=False) as eager:  # free again
        assert eager.execute(text("SELECT count(*) FROM t")).scalar_one() == 0


def test_on_sqlite_a_writer_holds_the_lock_file_other_processes_queue_on(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    probe = (
        "import fcntl, os, sys\n"
        f"fd = os.open({str(tmp_path / 'shared.sqlite3-writer.lock')!r}, os.O_RDWR | os.O_CREAT)\n"
        "try:\n    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept BlockingIOError:\n    sys.exit(3)\n"
    )
    with unit_of_work(url) as session:
        session.execute(text("CREATE TABLE t (x INTEGER)"))
        assert subprocess.run([sys.executable, "-c", probe], timeout=30).returncode == 3  # held while writing
    assert subprocess.run([sys.executable, "-c", probe], timeout=30).returncode == 0  # released at commit
