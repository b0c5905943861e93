"""The outbox relay: claims due events under a lease, sends them outside any transaction (signed webhooks, or Kafka
when ``KOUAN_DELIVERY=kafka``), then records the results in one short transaction. At-least-once: a relay killed at
any point leaves its rows pending with a lease that expires, and the next relay takes them; receivers deduplicate on
the event id (``webhook-id``, the Kafka message's key)."""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Table, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from kouan.db import UTCDateTime, unit_of_work, utcnow
from kouan.settings import get_settings
from kouan.sharing.agencies.models import Agency
from kouan.sharing.outbox.kafka import KafkaSender
from kouan.sharing.outbox.models import OutboxEvent, OutboxStatus
from kouan.sharing.outbox.sending import Claimed, Outcome, Sender
from kouan.sharing.outbox.webhook_sender import WebhookSender

PENDING, DELIVERED, DEAD = OutboxStatus.pending.value, OutboxStatus.delivered.value, OutboxStatus.dead.value
IDLE_SWEEP = 50  # referrals moved to sent per transaction when nothing is due: a retry coming due waits ~0.2 s at most
EVENT: Table = OutboxEvent.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Policy:
    lease_seconds: float = 30.0
    max_attempts: int = 8
    backoff_seconds: float = 2.0
    timeout_seconds: float = 10.0

    @classmethod
    def from_settings(cls) -> Policy:
        settings = get_settings()
        return cls(settings.relay_lease_seconds, settings.relay_max_attempts, settings.relay_backoff_seconds)


@dataclass
class RunReport:
    batches: int = 0
    delivered: int = 0
    retried: int = 0
    dead: int = 0
    seconds: float = 0.0
    verdicts: dict[str, int] = field(default_factory=dict)


class Sweep(Protocol):
    """What the relay is given to act on deliveries (the referrals package's sweep, which moves the referrals whose
    events were delivered to sent): up to ``limit`` of them in the given transaction; how many it moved."""

    def __call__(self, *, session: Session, limit: int) -> int: ...


def claim(*, session: Session, owner: str, batch: int, lease_seconds: float, now: datetime) -> list[Claimed]:
    """Lease up to ``batch`` due events, oldest first; rows another relay is claiming right now are skipped."""
    rows = session.execute(_due(batch=batch, now=now)).all()
    if rows:
        until = now + timedelta(seconds=lease_seconds)
        lease = update(OutboxEvent).where(OutboxEvent.id.in_([row.id for row in rows]))
        session.execute(
            lease.values(lease_owner=owner, lease_until=until), execution_options={"synchronize_session": False}
        )
    return [Claimed(**row._asdict()) for row in rows]


def _due(*, batch: int, now: datetime) -> Any:
    free = or_(OutboxEvent.lease_until.is_(None), OutboxEvent.lease_until <= now)
    columns = (OutboxEvent.id, OutboxEvent.event_id, OutboxEvent.referral_id, OutboxEvent.type, OutboxEvent.payload)
    return (
        select(*columns, OutboxEvent.attempts, Agency.webhook_url.label("url"), Agency.webhook_secret.label("secret"))
        .add_columns(Agency.kind)
        .join(Agency, Agency.id == OutboxEvent.agency_id)
        .where(OutboxEvent.status == PENDING, OutboxEvent.next_attempt_at <= now, free)
        .order_by(OutboxEvent.id)
        .limit(batch)
        .with_for_update(skip_locked=True, of=EVENT)  # PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises
    )


def settle(
    *, session: Session, owner: str, outcomes: list[Outcome], now: datetime, policy: Policy, rng: random.Random
) -> None:
    """Record a round's results. The referrals follow in :func:`sweep_round`, so that this transaction stays short."""
    _mark_delivered(session=session, events=[o.event for o in outcomes if o.verdict == "delivered"], now=now)
    failed = [_failure(outcome=o, now=now, policy=policy, rng=rng) for o in outcomes if o.verdict != "delivered"]
    if failed:
        session.execute(_failure_update(owner=owner), failed)


def _mark_delivered(*, session: Session, events: list[Claimed], now: datetime) -> None:
    if not events:
        return
    done = update(EVENT).where(EVENT.c.id.in_([event.id for event in events]), EVENT.c.status == PENDING)
    values = {"status": DELIVERED, "delivered_at": now, "lease_owner": None, "lease_until": None, "last_error": None}
    session.execute(done.values(attempts=EVENT.c.attempts + 1, **values))


def _failure(*, outcome: Outcome, now: datetime, policy: Policy, rng: random.Random) -> dict[str, Any]:
    attempts = outcome.event.attempts + (outcome.verdict != "unsent")
    dead = outcome.verdict == "dead" or attempts >= policy.max_attempts
    delay = 0.0 if dead or outcome.verdict == "unsent" else rng.uniform(0, policy.backoff_seconds * 2 ** (attempts - 1))
    due = now + timedelta(seconds=delay)
    status = DEAD if dead else PENDING
    return {"row": outcome.event.id, "new_status": status, "tries": attempts, "due": due, "error": outcome.error}


def _failure_update(*, owner: str) -> Any:
    """Only while this relay still holds the lease: once it expired, the relay that took the row decides."""
    mine = (EVENT.c.id == bindparam("row"), EVENT.c.lease_owner == owner, EVENT.c.status == PENDING)
    return (
        update(EVENT)
        .where(*mine)
        .values(
            status=bindparam("new_status"),
            attempts=bindparam("tries"),
            next_attempt_at=bindparam("due", type_=UTCDateTime()),
            last_error=bindparam("error"),
            lease_owner=None,
            lease_until=None,
        )
    )


def pending_count(*, session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(EVENT).where(EVENT.c.status == PENDING)) or 0)


@dataclass(frozen=True)
class Relay:
    """Where and how one relay process works: ``on_delivered`` moves up to ``sweep`` delivered referrals on in each
    busy round, all of them whenever nothing is due (so a burst is delivered first and its referrals follow)."""

    url: str
    owner: str
    on_delivered: Sweep
    batch: int = 200
    concurrency: int = 16
    policy: Policy = field(default_factory=Policy)
    poll_seconds: float = 1.0
    sweep: int = 500


def cycle(*, relay: Relay, sender: Sender, aside: ThreadPoolExecutor, rng: random.Random) -> list[Outcome]:
    """One round: claim (a short transaction), send (no transaction), settle (a short transaction). Referrals of
    earlier rounds are moved to sent meanwhile, on a side thread, while the requests are in flight."""
    policy, until = relay.policy, time.monotonic() + relay.policy.lease_seconds
    with unit_of_work(relay.url) as session:
        claimed = claim(
            session=session, owner=relay.owner, batch=relay.batch, lease_seconds=policy.lease_seconds, now=utcnow()
        )
    if not claimed:
        return []
    sweeping = aside.submit(sweep_round, relay=relay, limit=relay.sweep)
    outcomes = sender.send(claimed, until=until)
    sweeping.result()
    with unit_of_work(relay.url) as session:
        settle(session=session, owner=relay.owner, outcomes=outcomes, now=utcnow(), policy=policy, rng=rng)
    return outcomes


def sweep_round(*, relay: Relay, limit: int) -> int:
    with unit_of_work(relay.url) as session:
        return relay.on_delivered(session=session, limit=limit)


def run(
    *,
    url: str,
    owner: str,
    on_delivered: Sweep,
    once: bool = False,
    until_empty: bool = False,
    batch: int = 200,
    concurrency: int = 16,
    policy: Policy | None = None,
    poll_seconds: float = 1.0,
    sweep: int = 500,
    rng: random.Random | None = None,
    sender: Sender | None = None,
) -> RunReport:
    """Deliver until stopped; one round with ``once``; until no event is pending (due or not) and ``on_delivered``
    has moved every delivered referral with ``until_empty``. The sender is the configured one unless given (a
    given sender is not closed)."""
    policy = policy or Policy.from_settings()
    relay = Relay(url, owner, on_delivered, batch, concurrency, policy, poll_seconds, sweep)
    chosen = sender or configured_sender(lanes=concurrency, timeout=policy.timeout_seconds)
    aside = ThreadPoolExecutor(max_workers=1, thread_name_prefix="relay-aside")
    try:
        return _loop(relay=relay, sender=chosen, aside=aside, once=once, until_empty=until_empty, rng=rng)
    finally:
        aside.shutdown(wait=True)
        if sender is None:
            chosen.close()


def configured_sender(*, lanes: int, timeout: float) -> Sender:
    """``KOUAN_DELIVERY``: signed webhooks (the default) or Kafka, one topic per agency kind."""
    settings = get_settings()
    if settings.delivery == "kafka":
        return KafkaSender(bootstrap=settings.kafka_bootstrap, prefix=settings.kafka_topic_prefix, timeout=timeout)
    return WebhookSender(lanes=lanes, timeout=timeout)


def _loop(
    *, relay: Relay, sender: Sender, aside: ThreadPoolExecutor, once: bool, until_empty: bool, rng: random.Random | None
) -> RunReport:
    report, started, rng = RunReport(), time.perf_counter(), rng or random.Random()
    while True:
        outcomes = cycle(relay=relay, sender=sender, aside=aside, rng=rng)
        _count(report, outcomes)
        swept = sweep_round(relay=relay, limit=relay.batch if once else IDLE_SWEEP) if once or not outcomes else 0
        if once or (not outcomes and not swept and until_empty and _empty(relay.url)):
            break
        if not outcomes and not swept:
            time.sleep(relay.poll_seconds)
    report.seconds = time.perf_counter() - started
    return report


def _empty(url: str) -> bool:
    with unit_of_work(url) as session:
        return pending_count(session=session) == 0


def _count(report: RunReport, outcomes: list[Outcome]) -> None:
    if not outcomes:
        return
    report.batches += 1
    for outcome in outcomes:
        report.verdicts[outcome.verdict] = report.verdicts.get(outcome.verdict, 0) + 1
    report.delivered = report.verdicts.get("delivered", 0)
    report.retried = report.verdicts.get("retry", 0)
    report.dead = report.verdicts.get("dead", 0)
