"""The loop end to end on loopback: the demo agencies run webhook receivers that acknowledge each new referral
through the agency API; the agencies without a webhook poll their feed and acknowledge the same way."""

from __future__ import annotations

import socket
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import httpx
import uvicorn
from sqlalchemy import func, select

from kouan.db import unit_of_work
from kouan.demo.organisation import Organisation, seed_organisation
from kouan.referrals.delivery import sweep_delivered
from kouan.referrals.models import Referral
from kouan.referrals.service import Actor, refer_voyage
from kouan.serving import bound_port, listen_socket, serve_in_thread
from kouan.sharing.outbox.receiver import Receiver, create_receiver_app
from kouan.sharing.outbox.relay import run as run_relay
from kouan.travel.registry.models import Voyage

PUSH = ("CUSTOMS-PEK", "BJ-CHAOYANG", "BJ-SHUNYI", "SH-HEALTH", "GD-HEALTH")  # the others pull their feed


@dataclass
class DemoLoop:
    api: str
    org: Organisation
    receivers: dict[str, Receiver] = field(default_factory=dict)
    acknowledged: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10))  # one pool: no setup per call


def acknowledge(*, loop: DemoLoop, code: str, event: dict[str, Any]) -> None:
    """What a demo agency does with a new referral: acknowledge it, with the event id as the idempotency key."""
    if event.get("type") != "referral.created":
        return
    referral = event["data"]["referral"]["id"]
    answer = loop.http.post(
        f"{loop.api}/api/agency/referrals/{referral}/events",
        json={"event": "acknowledge", "idempotency_key": event.get("id") or event.get("event_id")},
        headers={"Authorization": f"Bearer {loop.org.tokens[code]}"},
    )
    (loop.acknowledged if answer.status_code == 200 else loop.refused)[code] += 1


def _acknowledge_as(loop: DemoLoop, code: str, event: dict[str, Any]) -> None:
    acknowledge(loop=loop, code=code, event=event)


def start_receivers(*, loop: DemoLoop, host: str) -> dict[str, int]:
    """One acknowledging receiver per push agency on a free loopback port; each one's secret is set once its agency
    exists (nothing is sent to it before)."""
    ports = {}
    for code in PUSH:
        receiver = Receiver(secret="", on_event=partial(_acknowledge_as, loop, code))
        loop.receivers[code] = receiver
        sock = listen_socket(host=host, port=0)
        serve_in_thread(create_receiver_app(secret="", receiver=receiver), sock=sock)
        ports[code] = bound_port(sock)
    return ports


def seed_with_receivers(*, loop: DemoLoop, url: str, host: str, ports: dict[str, int]) -> None:
    webhooks = {code: f"http://{host}:{port}/webhook" for code, port in ports.items()}
    with unit_of_work(url) as session:
        loop.org = seed_organisation(session=session, webhooks=webhooks)
    for code, receiver in loop.receivers.items():
        receiver.secret = loop.org.agencies[code].webhook_secret or ""


def refer_all(*, url: str, port: str) -> int:
    with unit_of_work(url) as session:
        voyages = session.scalars(select(Voyage).order_by(Voyage.id)).all()
        return sum(
            len(refer_voyage(session=session, voyage=v, actor=Actor(name="demo"), port=v.destination or port))
            for v in voyages
        )


def poll_feeds(*, loop: DemoLoop) -> None:
    """The pull agencies read their whole feed once and acknowledge what is new."""
    for code in loop.org.tokens:
        if code in PUSH:
            continue
        for event in _feed(loop=loop, code=code):
            acknowledge(loop=loop, code=code, event={**event, "id": event["event_id"]})


def _feed(*, loop: DemoLoop, code: str) -> Iterator[dict[str, Any]]:
    cursor, headers = 0, {"Authorization": f"Bearer {loop.org.tokens[code]}"}
    while True:
        page = loop.http.get(
            f"{loop.api}/api/agency/feed", params={"after": cursor, "limit": 500}, headers=headers
        ).json()
        yield from page["events"]
        if not page["events"]:
            return
        cursor = page["next_cursor"]


def deliver(*, loop: DemoLoop, url: str) -> None:
    """Push until the outbox is empty, let the receivers finish acknowledging, then let the pull agencies poll."""
    run_relay(url=url, owner="demo-relay", on_delivered=sweep_delivered, until_empty=True, poll_seconds=0.2)
    for receiver in loop.receivers.values():
        receiver.drain()
    poll_feeds(loop=loop)


def states(*, url: str) -> dict[str, int]:
    with unit_of_work(url) as session:
        rows = session.execute(select(Referral.state, func.count()).group_by(Referral.state)).all()
    return {state: count for state, count in rows}


def keep_relaying(*, url: str) -> None:
    """While serving, a relay keeps pushing what officers and agencies do next."""
    threading.Thread(
        target=run_relay, kwargs={"url": url, "owner": "demo-relay", "on_delivered": sweep_delivered}, daemon=True
    ).start()


def run_demo_loop(*, url: str, host: str, api: socket.socket, port: str) -> tuple[DemoLoop, int, uvicorn.Server]:
    """Receivers up, agencies seeded, referrals made, the API up on ``api`` (a bound socket), everything delivered
    and acknowledged."""
    from kouan.app import create_app
    from kouan.settings import get_settings

    loop = DemoLoop(api="", org=Organisation())
    seed_with_receivers(loop=loop, url=url, host=host, ports=start_receivers(loop=loop, host=host))
    made = refer_all(url=url, port=port)
    server = serve_in_thread(create_app(get_settings()), sock=api).server
    loop.api = f"http://{host}:{bound_port(api)}"
    deliver(loop=loop, url=url)
    return loop, made, server
