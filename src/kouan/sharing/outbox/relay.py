"""The outbox relay: claims due events under a lease, posts them as signed webhooks outside any transaction, then
records the results in one short transaction. At-least-once: a relay killed at any point leaves its rows pending
with a lease that expires, and the next relay takes them; the receiver deduplicates on ``webhook-id``."""

from __future__ import annotations

import http.client
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.parse import SplitResult, urlsplit

from sqlalchemy import Table, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from kouan.db import UTCDateTime, unit_of_work, utcnow
from kouan.settings import get_settings
from kouan.sharing.agencies.models import Agency
from kouan.sharing.outbox.models import OutboxEvent, OutboxStatus
from kouan.sharing.outbox.webhooks import signed_request

PENDING, DELIVERED, DEAD = OutboxStatus.pending.value, OutboxStatus.delivered.value, OutboxStatus.dead.value
RETRYABLE = frozenset({408, 429})
IDLE_SWEEP = 50  # referrals moved to sent per transaction when nothing is due: a retry coming due waits ~0.2 s at most
EVENT: Table = OutboxEvent.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Claimed:
    """A leased event with what sending it needs, read in the claiming transaction."""

    id: int
    event_id: str
    referral_id: int | None
    type: str
    payload: dict[str, Any]
    attempts: int
    url: str | None
    secret: str | None


@dataclass(frozen=True)
class Outcome:
    event: Claimed
    verdict: str  # delivered | retry | dead | unsent (the lease ran out first: released, not an attempt)
    error: str | None = None


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


def classify(status_code: int | None) -> str:
    """2xx delivered; no answer, 408, 429 and 5xx are retried; any other answer will not get better: dead."""
    if status_code is None or status_code in RETRYABLE or status_code >= 500:
        return "retry"
    return "delivered" if 200 <= status_code < 300 else "dead"


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
        .join(Agency, Agency.id == OutboxEvent.agency_id)
        .where(OutboxEvent.status == PENDING, OutboxEvent.next_attempt_at <= now, free)
        .order_by(OutboxEvent.id)
        .limit(batch)
        .with_for_update(skip_locked=True, of=EVENT)  # PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises
    )


class Sender:
    """Posts signed webhooks from a pool of threads, each with its own keep-alive connection per host. The standard
    library's client costs about a quarter of a millisecond of CPU per request here, httpx three to five times more."""

    def __init__(self, *, lanes: int, timeout: float) -> None:
        self.pool = ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="relay-send")
        self.aside = ThreadPoolExecutor(max_workers=1, thread_name_prefix="relay-aside")
        self.timeout, self.local = timeout, threading.local()

    def send(self, events: list[Claimed], *, until: float = float("inf")) -> list[Outcome]:
        """Every event's outcome, in order; one event's failure never raises. Nothing is posted after ``until``
        (``time.monotonic()``, the end of the lease): another relay may have taken the rest by then."""
        return list(self.pool.map(lambda event: self.post(event, until=until), events))

    def post(self, event: Claimed, *, until: float = float("inf")) -> Outcome:
        if time.monotonic() > until:
            return Outcome(event, "unsent", "the lease ran out before it was sent")
        if not event.url or not event.secret:
            return Outcome(event, "dead", "the agency has no webhook")
        signed = signed_request(secret=event.secret, event_id=event.event_id, type=event.type, payload=event.payload)
        try:
            status = self._exchange(url=urlsplit(event.url), body=signed.body, headers=signed.headers)
        except Exception as error:  # any network failure (or a bad URL) is retried, never fatal
            return Outcome(event, "retry", f"{type(error).__name__}: {error}"[:200])
        verdict = classify(status)
        return Outcome(event, verdict, None if verdict == "delivered" else f"HTTP {status}")

    def _exchange(self, *, url: SplitResult, body: bytes, headers: dict[str, str]) -> int:
        """POST on this thread's connection; a kept-alive connection the server closed meanwhile is opened again
        once (the request may then arrive twice: receivers deduplicate)."""
        target = (url.path or "/") + (f"?{url.query}" if url.query else "")
        for fresh in (False, True):
            connection = self._connection(url, fresh=fresh)
            try:
                connection.request("POST", target, body=body, headers=headers)
                return _status(connection)
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                connection.close()
                if fresh:
                    raise
            except BaseException:
                connection.close()  # a timed-out or half-read connection is never used again
                raise
        raise AssertionError("unreachable")

    def _connection(self, url: SplitResult, *, fresh: bool) -> http.client.HTTPConnection:
        connections: dict[str, http.client.HTTPConnection] = self.local.__dict__.setdefault("connections", {})
        key = f"{url.scheme}://{url.netloc}"
        if fresh or key not in connections:
            kind = {"http": http.client.HTTPConnection, "https": http.client.HTTPSConnection}[url.scheme]
            connections[key] = kind(url.hostname or "", url.port, timeout=self.timeout)
        return connections[key]

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self.aside.shutdown(wait=True)


def _status(connection: http.client.HTTPConnection) -> int:
    """The answer's status; its body is read (at most 64 KiB) so the connection can be used again."""
    response = connection.getresponse()
    response.read(65536)
    if not response.isclosed():
        connection.close()
    return response.status


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


def cycle(*, relay: Relay, sender: Sender, rng: random.Random) -> list[Outcome]:
    """One round: claim (a short transaction), send (no transaction), settle (a short transaction). Referrals of
    earlier rounds are moved to sent meanwhile, on a side thread, while the requests are in flight."""
    policy, until = relay.policy, time.monotonic() + relay.policy.lease_seconds
    with unit_of_work(relay.url) as session:
        claimed = claim(
            session=session, owner=relay.owner, batch=relay.batch, lease_seconds=policy.lease_seconds, now=utcnow()
        )
    if not claimed:
        return []
    sweeping = sender.aside.submit(sweep_round, relay=relay, limit=relay.sweep)
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
) -> RunReport:
    """Deliver until stopped; one round with ``once``; until no event is pending (due or not) and ``on_delivered``
    has moved every delivered referral with ``until_empty``."""
    policy = policy or Policy.from_settings()
    relay = Relay(url, owner, on_delivered, batch, concurrency, policy, poll_seconds, sweep)
    sender = Sender(lanes=concurrency, timeout=relay.policy.timeout_seconds)
    try:
        return _loop(relay=relay, sender=sender, once=once, until_empty=until_empty, rng=rng or random.Random())
    finally:
        sender.close()


def _loop(*, relay: Relay, sender: Sender, once: bool, until_empty: bool, rng: random.Random) -> RunReport:
    report, started = RunReport(), time.perf_counter()
    while True:
        outcomes = cycle(relay=relay, sender=sender, rng=rng)
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
