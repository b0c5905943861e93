"""The loop end to end on loopback, on both stores: two screened flights become referrals, the relay pushes them to
the agencies' webhook receivers (signed), the receivers acknowledge through the agency API, the pull agencies read
their feed and acknowledge too. Nothing is left unacknowledged and no effect is applied twice."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kouan.app import create_app
from kouan.db import unit_of_work
from kouan.demo.loop import PUSH, DemoLoop, deliver, start_receivers
from kouan.demo.organisation import Organisation
from kouan.referrals.models import Referral, ReferralStep
from kouan.settings import Settings, get_settings
from kouan.sharing.outbox.models import OutboxEvent
from tests.support.live import live_server
from tests.support.loop import build_loop

HOST = "127.0.0.1"


@pytest.fixture
def settled(database_url: str, monkeypatch: pytest.MonkeyPatch) -> DemoLoop:
    monkeypatch.setenv("KOUAN_DATABASE_URL", database_url)
    monkeypatch.setenv("KOUAN_RELAY_BACKOFF_SECONDS", "0.05")
    get_settings.cache_clear()
    loop = DemoLoop(api="", org=Organisation())
    ports = start_receivers(loop=loop, host=HOST)
    with unit_of_work(database_url) as session:
        loop.org = build_loop(session, webhooks={c: f"http://{HOST}:{p}/hook" for c, p in ports.items()}).org
    for code, receiver in loop.receivers.items():
        receiver.secret = loop.org.agencies[code].webhook_secret or ""
    with live_server(create_app(Settings(database_url=database_url))) as api:
        loop.api = api
        deliver(loop=loop, url=database_url)
    yield loop
    get_settings.cache_clear()


def test_every_referral_is_pushed_or_pulled_and_acknowledged(settled: DemoLoop, database_url: str) -> None:
    with unit_of_work(database_url) as session:
        states = {r.subject["surname"]: r.state for r in session.scalars(select(Referral))}
        acks = session.scalars(select(ReferralStep.actor).where(ReferralStep.event == "acknowledge")).all()
    assert states == dict.fromkeys(["ROSSI", "BIANCHI", "VERDI", "NERI", "CONTI"], "acknowledged")
    assert sorted(acks).count("agency:CUSTOMS-PEK") == 4 and "agency:BJ-HEALTH" in acks  # BJ-HEALTH pulls


def test_receivers_saw_signed_events_once_each(settled: DemoLoop) -> None:
    customs = settled.receivers["CUSTOMS-PEK"]
    created = [e for e in customs.bodies if e["type"] == "referral.created"]
    assert {e["data"]["referral"]["subject"]["surname"] for e in created} == {"ROSSI", "BIANCHI", "VERDI", "NERI"}
    assert all(r.stats.bad_signatures == 0 and r.stats.duplicate_effects == 0 for r in settled.receivers.values())
    assert settled.refused == {} and set(settled.acknowledged) <= set(PUSH) | {"BJ-HEALTH", "CUSTOMS-PVG"}


def test_delivered_events_are_marked_and_none_is_dead(settled: DemoLoop, database_url: str) -> None:
    with unit_of_work(database_url) as session:
        statuses = {
            e.status for e in session.scalars(select(OutboxEvent).where(OutboxEvent.type == "referral.created"))
        }
    assert statuses <= {"delivered", "pull"} and "delivered" in statuses
