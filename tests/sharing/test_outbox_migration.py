"""Outbox events written before they carried a port get their referral's port from the migration, and the outbox an
officer lists and re-sends from stays that of the officer's ports (both stores)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient

from kouan.app import create_app
from kouan.db import UTCDateTime, get_engine, unit_of_work
from kouan.migrate import alembic_config, upgrade
from kouan.settings import Settings
from kouan.users.models import Role, UnitLevel
from kouan.users.service import create_user
from kouan.users.units import create_unit
from tests.support.old_stores import store_at

BEFORE_PORT = "a1d7c3e95b02"
AT = datetime(2020, 3, 15, 8, 0, tzinfo=UTC)
AGENCIES = {  # code → kind, port: the health commission works a division, so only its referral tells the port
    "CUSTOMS-PEK": ("customs_quarantine", "PEK"),
    "HEALTH-SH": ("health_commission", None),
    "MSA-MAA": ("maritime_authority", "CNMAA"),
}
EVENTS = {  # event id → agency, the port of its referral (None: no referral, a vessel's early warning)
    "evt_pek": ("CUSTOMS-PEK", "PEK"),
    "evt_pvg": ("HEALTH-SH", "PVG"),
    "evt_maa": ("MSA-MAA", None),
}
OFFICERS = {"officer-pek": "PEK", "officer-pvg": "PVG", "officer-maa": "CNMAA"}
meta = sa.MetaData()
AGENCY = sa.Table(
    "agency", meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("code", sa.String),
    sa.Column("name", sa.String), sa.Column("kind", sa.String), sa.Column("port", sa.String),
    sa.Column("division", sa.String), sa.Column("active", sa.Boolean), sa.Column("created_at", UTCDateTime()),
)  # fmt: skip
REFERRAL = sa.Table(
    "referral", meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("subject_key", sa.String),
    sa.Column("port", sa.String), sa.Column("flight", sa.String), sa.Column("arrival_date", sa.Date),
    sa.Column("level", sa.String), sa.Column("subject", sa.JSON), sa.Column("state", sa.String),
    sa.Column("state_since", UTCDateTime()), sa.Column("created_at", UTCDateTime()),
)  # fmt: skip
OUTBOX = sa.Table(
    "outbox_event", meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("event_id", sa.String),
    sa.Column("agency_id", sa.Integer), sa.Column("referral_id", sa.Integer), sa.Column("type", sa.String),
    sa.Column("payload", sa.JSON), sa.Column("status", sa.String), sa.Column("attempts", sa.Integer),
    sa.Column("next_attempt_at", UTCDateTime()), sa.Column("created_at", UTCDateTime()),
)  # fmt: skip


@pytest.fixture(params=["sqlite", "postgres"])
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new store at the schema before events carried a port, with events written then."""
    url = store_at(request, tmp_path=tmp_path, revision=BEFORE_PORT, prefix="outbox")
    _write_old_events(url)
    yield url
    get_engine(url).dispose()


def _write_old_events(url: str) -> None:
    with get_engine(url).begin() as connection:
        agencies = {
            code: _agency(connection, code=code, kind=kind, port=port) for code, (kind, port) in AGENCIES.items()
        }
        for event_id, (agency, port) in EVENTS.items():
            referral = _referral(connection, port=port) if port else None
            connection.execute(OUTBOX.insert().values(
                event_id=event_id, agency_id=agencies[agency], referral_id=referral, type="referral.created",
                payload={}, status="dead", attempts=8, next_attempt_at=AT, created_at=AT,
            ))  # fmt: skip


def _agency(connection: sa.Connection, *, code: str, kind: str, port: str | None) -> int:
    values = {"code": code, "name": code, "kind": kind, "port": port, "active": True, "created_at": AT}
    division = None if port else "31"
    return int(connection.execute(AGENCY.insert().values(division=division, **values)).inserted_primary_key[0])


def _referral(connection: sa.Connection, *, port: str) -> int:
    values = {"subject_key": f"k-{port}", "port": port, "flight": "CA940", "arrival_date": date(2020, 3, 15),
              "level": "high", "subject": {}, "state": "sent", "state_since": AT, "created_at": AT}  # fmt: skip
    return int(connection.execute(REFERRAL.insert().values(**values)).inserted_primary_key[0])


def _ports(url: str) -> dict[str, str | None]:
    with get_engine(url).connect() as connection:
        rows = connection.execute(sa.text("SELECT event_id, port FROM outbox_event"))
        return {event_id: port for event_id, port in rows}


def _officers(url: str) -> dict[str, dict[str, str]]:
    """A station per port with an officer, and a national analyst: each principal's Authorization header."""
    headers = {}
    with unit_of_work(url) as session:
        for name, port in OFFICERS.items():
            unit = create_unit(session=session, code=f"S-{port}", name=port, level=UnitLevel.station, port=port)
            user, token = create_user(session=session, username=name, role=Role.officer)
            user.unit_id = unit.id
            headers[name] = {"Authorization": f"Bearer {token}"}
        analyst = create_user(session=session, username="analyst", role=Role.analyst)[1]
        headers["analyst"] = {"Authorization": f"Bearer {analyst}"}
    return headers


def test_an_old_event_gets_its_referrals_port_and_one_about_no_referral_keeps_none(old_store: str) -> None:
    upgrade(old_store)
    assert _ports(old_store) == {"evt_pek": "PEK", "evt_pvg": "PVG", "evt_maa": None}


def test_the_outbox_and_resend_stay_scoped_to_the_officers_ports_after_the_upgrade(old_store: str) -> None:
    upgrade(old_store)
    headers = _officers(old_store)
    seen = {"officer-pek": {"evt_pek"}, "officer-pvg": {"evt_pvg"}, "officer-maa": {"evt_maa"}, "analyst": set(EVENTS)}
    with TestClient(create_app(Settings(database_url=old_store))) as client:
        for name, expected in seen.items():
            listed = client.get("/api/outbox?status=dead", headers=headers[name])
            assert listed.status_code == 200, listed.text
            assert {event["event_id"] for event in listed.json()} == expected, name
        assert client.post("/api/outbox/evt_pvg/resend", headers=headers["officer-pek"]).status_code == 404
        resent = client.post("/api/outbox/evt_pvg/resend", headers=headers["officer-pvg"])
        assert resent.status_code == 200, resent.text
        assert resent.json()["status"] == "pending"


def test_downgrading_drops_the_port_and_keeps_the_events(old_store: str) -> None:
    upgrade(old_store)
    command.downgrade(alembic_config(old_store), BEFORE_PORT)
    with get_engine(old_store).connect() as connection:
        assert "port" not in {column["name"] for column in sa.inspect(connection).get_columns("outbox_event")}
        assert set(connection.execute(sa.text("SELECT event_id FROM outbox_event")).scalars()) == set(EVENTS)
