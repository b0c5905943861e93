"""The outbox relay against a real receiver on loopback, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from typer.testing import CliRunner

from kouan.app import create_app
from kouan.cli import app as kouan_cli
from kouan.db import unit_of_work, utcnow
from kouan.referrals.delivery import sweep_delivered
from kouan.referrals.models import Referral
from kouan.settings import Settings
from kouan.sharing.agencies.models import Agency, AgencyCreate, AgencyKind
from kouan.sharing.agencies.service import create_agency, new_webhook_secret
from kouan.sharing.outbox import relay
from kouan.sharing.outbox.models import OutboxEvent
from kouan.sharing.outbox.receiver import Receiver, create_receiver_app
from kouan.sharing.outbox.relay import Policy, RunReport, claim, settle
from kouan.sharing.outbox.service import enqueue
from kouan.sharing.outbox.webhook_sender import WebhookSender
from kouan.sharing.outbox.webhooks import signed_request
from kouan.users.models import Role
from tests.api.conftest import token_for
from tests.support.live import live_server

QUICK = Policy(lease_seconds=30, max_attempts=3, backoff_seconds=0.0, timeout_seconds=5)


def run(**options: Any) -> RunReport:
    """The relay as kouan runs it: the referrals whose events were delivered move to sent."""
    return relay.run(on_delivered=sweep_delivered, **options)


@dataclass
class Hook:
    receiver: Receiver
    url: str


@pytest.fixture
def hook() -> Iterator[Hook]:
    receiver = Receiver(secret=new_webhook_secret())
    with live_server(create_receiver_app(secret=receiver.secret, receiver=receiver)) as base:
        yield Hook(receiver, f"{base}/hooks/kouan")


def status_app(code: int) -> Starlette:
    async def answer(_: Request) -> Response:
        return Response(status_code=code)

    return Starlette(routes=[Route("/{path:path}", answer, methods=["POST"])])


def add_agency(url: str, *, webhook: str, secret: str | None = None) -> int:
    with unit_of_work(url) as session:
        item = AgencyCreate(code="PEK-CIQ", name="北京海关卫生检疫", kind=AgencyKind.customs_quarantine, port="PEK")
        agency, _ = create_agency(session=session, item=item.model_copy(update={"webhook_url": webhook}))
        agency.webhook_secret = secret or agency.webhook_secret
        return agency.id


def add_referral(url: str, *, agency_id: int, key: str = "k1") -> tuple[int, str]:
    with unit_of_work(url) as session:
        referral = Referral(
            subject_key=key, port="PEK", flight="CA123", arrival_date=date(2020, 3, 15), level="high",
            subject={}, state="created", state_since=utcnow(),
        )  # fmt: skip
        session.add(referral)
        session.flush()
        agency = session.get(Agency, agency_id)
        assert agency is not None
        payload = {"referral": {"id": referral.id, "flight": "CA123"}}
        event = enqueue(
            session=session,
            agency=agency,
            type="referral.created",
            payload=payload,
            referral_id=referral.id,
            port=referral.port,
        )
        session.flush()
        return referral.id, event.event_id


def event_row(url: str, event_id: str) -> OutboxEvent:
    with unit_of_work(url) as session:
        event = session.query(OutboxEvent).filter_by(event_id=event_id).one()
        session.expunge(event)
        return event


def referral_state(url: str, referral_id: int) -> str:
    with unit_of_work(url) as session:
        referral = session.get(Referral, referral_id)
        assert referral is not None
        return referral.state


def test_delivery_is_signed_marks_delivered_and_sends_the_referral(database_url: str, hook: Hook) -> None:
    agency_id = add_agency(database_url, webhook=hook.url, secret=hook.receiver.secret)
    referral_id, event_id = add_referral(database_url, agency_id=agency_id)
    report = run(url=database_url, owner="relay-a", once=True, policy=QUICK)
    event = event_row(database_url, event_id)
    assert report.delivered == 1
    assert (event.status, event.attempts, event.lease_owner, event.last_error) == ("delivered", 1, None, None)
    assert event.delivered_at is not None
    assert referral_state(database_url, referral_id) == "sent"
    assert hook.receiver.stats.bad_signatures == 0
    assert hook.receiver.bodies[0]["id"] == event_id
    assert hook.receiver.bodies[0]["data"]["referral"]["flight"] == "CA123"


def test_a_5xx_is_retried_after_a_backoff_then_delivered(database_url: str, hook: Hook) -> None:
    hook.receiver.fail_first = 1.0
    agency_id = add_agency(database_url, webhook=hook.url, secret=hook.receiver.secret)
    referral_id, event_id = add_referral(database_url, agency_id=agency_id)
    before = utcnow()
    run(url=database_url, owner="relay-a", once=True, policy=Policy(backoff_seconds=60))
    event = event_row(database_url, event_id)
    assert (event.status, event.attempts, event.last_error, event.lease_owner) == ("pending", 1, "HTTP 503", None)
    assert before <= event.next_attempt_at <= utcnow() + timedelta(seconds=60)
    assert run(url=database_url, owner="relay-a", once=True, policy=QUICK).batches == 0  # not due yet
    with unit_of_work(database_url) as session:
        session.get(OutboxEvent, event.id).next_attempt_at = utcnow()  # type: ignore[union-attr]
    run(url=database_url, owner="relay-a", once=True, policy=QUICK)
    assert (event_row(database_url, event_id).status, event_row(database_url, event_id).attempts) == ("delivered", 2)
    assert referral_state(database_url, referral_id) == "sent"
    assert hook.receiver.stats.refused_on_purpose == 1 and hook.receiver.stats.unique_events == 1


def test_retries_exhausted_make_the_event_dead(database_url: str) -> None:
    with live_server(status_app(500)) as base:
        agency_id = add_agency(database_url, webhook=f"{base}/hook")
        referral_id, event_id = add_referral(database_url, agency_id=agency_id)
        for _ in range(QUICK.max_attempts):
            run(url=database_url, owner="relay-a", once=True, policy=QUICK)
    event = event_row(database_url, event_id)
    assert (event.status, event.attempts, event.last_error) == ("dead", 3, "HTTP 500")
    assert referral_state(database_url, referral_id) == "created"


@pytest.mark.parametrize("code", [400, 401, 404, 410])
def test_a_4xx_is_dead_at_once(database_url: str, code: int) -> None:
    with live_server(status_app(code)) as base:
        agency_id = add_agency(database_url, webhook=f"{base}/hook")
        _, event_id = add_referral(database_url, agency_id=agency_id)
        run(url=database_url, owner="relay-a", once=True, policy=QUICK)
    event = event_row(database_url, event_id)
    assert (event.status, event.attempts, event.last_error) == ("dead", 1, f"HTTP {code}")


def test_a_wrong_secret_is_refused_by_the_receiver_and_dead(database_url: str, hook: Hook) -> None:
    agency_id = add_agency(database_url, webhook=hook.url, secret=new_webhook_secret())
    _, event_id = add_referral(database_url, agency_id=agency_id)
    run(url=database_url, owner="relay-a", once=True, policy=QUICK)
    assert event_row(database_url, event_id).status == "dead"
    assert hook.receiver.stats.bad_signatures == 1 and hook.receiver.stats.unique_events == 0


def test_network_errors_are_retried(database_url: str) -> None:
    with live_server(status_app(204)) as base:
        pass  # the port is closed again: connections are refused
    agency_id = add_agency(database_url, webhook=f"{base}/hook")
    _, event_id = add_referral(database_url, agency_id=agency_id)
    run(url=database_url, owner="relay-a", once=True, policy=QUICK)
    event = event_row(database_url, event_id)
    assert (event.status, event.attempts) == ("pending", 1)
    assert event.last_error and event.last_error.startswith("ConnectionRefusedError")


def test_a_timeout_is_retried(database_url: str) -> None:
    async def slow(_: Request) -> Response:
        await asyncio.sleep(1)
        return Response(status_code=204)

    with live_server(Starlette(routes=[Route("/hook", slow, methods=["POST"])])) as base:
        agency_id = add_agency(database_url, webhook=f"{base}/hook")
        _, event_id = add_referral(database_url, agency_id=agency_id)
        run(url=database_url, owner="relay-a", once=True, policy=Policy(timeout_seconds=0.2))
    event = event_row(database_url, event_id)
    assert (event.status, event.attempts) == ("pending", 1)
    assert event.last_error and "timed out" in event.last_error


@pytest.fixture
def api(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=database_url, port_of_entry="PEK"))) as client:
        yield client


def test_a_dead_event_resent_through_the_api_is_delivered(database_url: str, hook: Hook, api: TestClient) -> None:
    with live_server(status_app(500)) as base:
        agency_id = add_agency(database_url, webhook=f"{base}/hook", secret=hook.receiver.secret)
        referral_id, event_id = add_referral(database_url, agency_id=agency_id)
        run(url=database_url, owner="relay-a", once=True, policy=Policy(max_attempts=1))
    officer = {"Authorization": f"Bearer {token_for(database_url, username='officer1', role=Role.officer)}"}
    dead = api.get("/api/outbox", params={"status": "dead"}, headers=officer).json()
    assert [row["event_id"] for row in dead] == [event_id]
    with unit_of_work(database_url) as session:
        session.get(Agency, agency_id).webhook_url = hook.url  # type: ignore[union-attr]  # the agency fixed it
    answer = api.post(f"/api/outbox/{event_id}/resend", headers=officer)
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["attempts"]) == ("pending", 0)
    run(url=database_url, owner="relay-a", once=True, policy=QUICK)
    assert event_row(database_url, event_id).status == "delivered"
    assert referral_state(database_url, referral_id) == "sent"
    assert api.post(f"/api/outbox/{event_id}/resend", headers=officer).status_code == 409


@pytest.mark.parametrize(
    ("method", "path", "code"),
    [
        ("post", "/api/outbox/evt_unknown/resend", 404),
        ("post", f"/api/outbox/{'x' * 300}/resend", 422),
        ("get", "/api/outbox?status=bogus", 422),
        ("get", "/api/outbox?limit=0", 422),
        ("get", "/api/outbox?limit=abc", 422),
        ("get", "/api/outbox?status=dead", 200),
    ],
)
def test_the_outbox_api_answers_bad_input_without_a_500(
    database_url: str, api: TestClient, method: str, path: str, code: int
) -> None:
    officer = {"Authorization": f"Bearer {token_for(database_url, username='officer1', role=Role.officer)}"}
    assert api.request(method.upper(), path, headers=officer).status_code == code
    assert api.request(method.upper(), path).status_code == 401


def test_an_analyst_reads_the_outbox_but_may_not_resend(database_url: str, api: TestClient) -> None:
    analyst = {"Authorization": f"Bearer {token_for(database_url, username='analyst1', role=Role.analyst)}"}
    assert api.get("/api/outbox", headers=analyst).status_code == 200
    assert api.post("/api/outbox/evt_x/resend", headers=analyst).status_code == 403


def test_a_lease_held_by_a_killed_relay_is_taken_only_after_it_expires(database_url: str, hook: Hook) -> None:
    agency_id = add_agency(database_url, webhook=hook.url, secret=hook.receiver.secret)
    _, event_id = add_referral(database_url, agency_id=agency_id)
    with unit_of_work(database_url) as session:  # relay "killed" claims, then dies before sending
        assert len(claim(session=session, owner="killed", batch=10, lease_seconds=1, now=utcnow())) == 1
    assert run(url=database_url, owner="relay-b", once=True, policy=QUICK).batches == 0
    assert event_row(database_url, event_id).lease_owner == "killed"
    time.sleep(1.1)
    assert run(url=database_url, owner="relay-b", once=True, policy=QUICK).delivered == 1
    assert event_row(database_url, event_id).status == "delivered"


def test_a_late_failure_from_a_relay_that_lost_its_lease_changes_nothing(database_url: str) -> None:
    with live_server(status_app(503)) as base:
        agency_id = add_agency(database_url, webhook=f"{base}/hook")
        _, event_id = add_referral(database_url, agency_id=agency_id)
        with unit_of_work(database_url) as session:
            claim(session=session, owner="slow", batch=10, lease_seconds=0, now=utcnow())
        run(url=database_url, owner="relay-b", once=True, policy=QUICK)  # took the expired lease
    assert (event_row(database_url, event_id).attempts, event_row(database_url, event_id).lease_owner) == (1, None)


def test_events_left_when_the_lease_ran_out_are_released_without_an_attempt(database_url: str, hook: Hook) -> None:
    agency_id = add_agency(database_url, webhook=hook.url, secret=hook.receiver.secret)
    _, event_id = add_referral(database_url, agency_id=agency_id)
    with unit_of_work(database_url) as session:
        claimed = claim(session=session, owner="slow", batch=10, lease_seconds=30, now=utcnow())
    sender = WebhookSender(lanes=2, timeout=5)
    outcomes = sender.send(claimed, until=time.monotonic() - 1)
    sender.close()
    with unit_of_work(database_url) as session:
        settle(session=session, owner="slow", outcomes=outcomes, now=utcnow(), policy=QUICK, rng=random.Random(1))
    event = event_row(database_url, event_id)
    assert [o.verdict for o in outcomes] == ["unsent"]
    assert (event.status, event.attempts, event.lease_owner) == ("pending", 0, None)
    assert hook.receiver.stats.deliveries == 0


def test_claims_skip_rows_another_relay_is_claiming(postgres_only: str, hook: Hook) -> None:
    """On PostgreSQL two relays claim side by side (SQLite's BEGIN IMMEDIATE makes the second one wait instead)."""
    database_url = postgres_only
    agency_id = add_agency(database_url, webhook=hook.url, secret=hook.receiver.secret)
    first = [add_referral(database_url, agency_id=agency_id, key=f"k{n}")[1] for n in range(3)]
    with unit_of_work(database_url) as a, unit_of_work(database_url) as b:
        taken_a = claim(session=a, owner="a", batch=2, lease_seconds=30, now=utcnow())
        taken_b = claim(session=b, owner="b", batch=10, lease_seconds=30, now=utcnow())
    assert [e.event_id for e in taken_a] == first[:2]
    assert [e.event_id for e in taken_b] == first[2:]


def test_the_receiver_applies_a_duplicate_once_and_refuses_a_bad_signature(hook: Hook) -> None:
    signed = signed_request(secret=hook.receiver.secret, event_id="evt_1", type="referral.created", payload={"n": 1})
    answers = [httpx.post(hook.url, content=signed.body, headers=signed.headers).status_code for _ in range(3)]
    tampered = httpx.post(hook.url, content=signed.body.replace(b'"n":1', b'"n":2'), headers=signed.headers)
    unsigned = httpx.post(hook.url, content=signed.body, headers={"webhook-id": "evt_2"})
    base = hook.url.rsplit("/hooks", 1)[0]
    stats = httpx.get(f"{base}/stats").json()
    assert answers == [204, 204, 204]
    assert (tampered.status_code, unsigned.status_code) == (401, 401)
    assert stats["deliveries"] == 3 and stats["unique_events"] == 1
    assert stats["duplicate_deliveries"] == 2 and stats["duplicate_effects"] == 0 and stats["bad_signatures"] == 2
    assert httpx.get(f"{base}/events").json() == ["evt_1"]
    assert httpx.get(f"{base}/elsewhere").status_code == 404


def test_the_receiver_calls_back_once_per_event_off_the_request_path() -> None:
    seen: list[str] = []
    receiver = Receiver(secret=new_webhook_secret(), on_event=lambda body: seen.append(body["id"]))
    with live_server(create_receiver_app(secret=receiver.secret, receiver=receiver)) as base:
        for event_id in ("evt_a", "evt_b", "evt_a"):
            signed = signed_request(secret=receiver.secret, event_id=event_id, type="t", payload={})
            httpx.post(f"{base}/hook", content=signed.body, headers=signed.headers)
        receiver.drain()
        receiver.close()
    assert seen == ["evt_a", "evt_b"]


def test_the_relay_commands_list_resend_and_run(store: str, hook: Hook) -> None:
    with live_server(status_app(500)) as base:
        agency_id = add_agency(store, webhook=f"{base}/hook", secret=hook.receiver.secret)
        _, event_id = add_referral(store, agency_id=agency_id)
        run(url=store, owner="relay-a", once=True, policy=Policy(max_attempts=1))
    with unit_of_work(store) as session:
        session.get(Agency, agency_id).webhook_url = hook.url  # type: ignore[union-attr]
    cli = CliRunner()
    assert [row["event_id"] for row in json.loads(cli.invoke(kouan_cli, ["relay", "dead"]).stdout)] == [event_id]
    assert cli.invoke(kouan_cli, ["relay", "resend", "evt_unknown"]).exit_code == 2
    assert json.loads(cli.invoke(kouan_cli, ["relay", "resend", event_id]).stdout)["status"] == "pending"
    assert cli.invoke(kouan_cli, ["relay", "resend", event_id]).exit_code == 2  # no longer dead
    ran = cli.invoke(kouan_cli, ["relay", "run", "--until-empty", "--poll", "0.05", "--owner", "cli"])
    assert (ran.exit_code, json.loads(ran.stdout)["delivered"]) == (0, 1)
    assert event_row(store, event_id).status == "delivered"


def test_a_receiver_without_its_secret_yet_refuses_instead_of_failing() -> None:
    signed = signed_request(secret=new_webhook_secret(), event_id="evt_1", type="t", payload={})
    assert Receiver(secret="").receive(body=signed.body, headers=signed.headers) == 401
