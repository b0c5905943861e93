"""The Kafka sender: each event is produced to one topic per agency kind (``<prefix><kind>``), keyed by its event id,
its value the same signed JSON body a webhook gets and the Standard Webhooks headers as Kafka headers. The producer
is idempotent (``enable.idempotence``, ``acks=all``); an event counts as delivered only once the broker acknowledged
it in the delivery callback, otherwise the relay retries it with its backoff and dead-letters it like a webhook.
Consumers deduplicate on the key: a message the broker took after its round gave up on it may arrive twice."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

from confluent_kafka import KafkaError, KafkaException, Message, Producer

from kouan.sharing.outbox.sending import Claimed, Outcome
from kouan.sharing.outbox.webhooks import signed_request

# Refusals that no retry will change: the message itself is wrong, or the relay may not write the topic.
FINAL = frozenset(
    {
        KafkaError.MSG_SIZE_TOO_LARGE,
        KafkaError.INVALID_MSG,
        KafkaError.INVALID_RECORD,
        KafkaError.TOPIC_AUTHORIZATION_FAILED,
        KafkaError.TOPIC_EXCEPTION,
        KafkaError._INVALID_ARG,
    }
)
Results = dict[int, Outcome]


def topic_for(*, prefix: str, kind: str) -> str:
    """One topic per agency kind, e.g. ``kouan.customs_quarantine``."""
    return f"{prefix}{kind}"


MESSAGE_TIMEOUT_FLOOR = 15.0  # seconds: an idempotent producer first registers with the broker (InitProducerId)


def producer_config(*, bootstrap: str, timeout: float) -> dict[str, Any]:
    """Idempotent, every in-sync replica acknowledges. A message is given at least :data:`MESSAGE_TIMEOUT_FLOOR`
    however short a round's ``timeout``: the producer's registration comes first, and under load it took over a
    second, so a message timeout equal to a short round expired every message of a fresh producer. A message
    still unanswered at the end of its round is reported for retry and may be acknowledged later: the event id
    is the key, so a consumer drops the second copy."""
    return {
        "bootstrap.servers": bootstrap,
        "enable.idempotence": True,
        "acks": "all",
        "message.timeout.ms": int(max(timeout, MESSAGE_TIMEOUT_FLOOR) * 1000),
        "linger.ms": 5,
        "client.id": "kouan-relay",
    }


def verdict_of(error: KafkaError | None) -> str:
    """``delivered`` when acknowledged; ``dead`` for a refusal that will not change; ``retry`` otherwise."""
    if error is None:
        return "delivered"
    return "dead" if error.code() in FINAL and not error.retriable() else "retry"


class KafkaSender:
    """Produces a round of events and waits (at most the timeout, never past the lease) for the broker's answers."""

    def __init__(self, *, bootstrap: str, prefix: str, timeout: float) -> None:
        self.config, self.prefix, self.timeout = producer_config(bootstrap=bootstrap, timeout=timeout), prefix, timeout
        self.producer = Producer(self.config)
        self.broken = False  # an idempotent producer's fatal error: a new producer is made for the next round

    def send(self, events: list[Claimed], *, until: float = float("inf")) -> list[Outcome]:
        results: Results = {}
        for event in events:
            self._produce(event, results=results, until=until)
        unanswered = self._wait(results=results, count=len(events), until=until)
        unanswered = unanswered or "Kafka: the broker did not acknowledge it in time"
        if self.broken:
            self._renew()
        return [results.get(event.id) or Outcome(event, "retry", unanswered) for event in events]

    def _wait(self, *, results: Results, count: int, until: float) -> str | None:
        """Until every message is answered, the timeout or the lease (polling: ``flush`` can hang once the producer
        hit a fatal error); a fatal error ends the wait and is reported."""
        deadline = min(until, time.monotonic() + self.timeout)
        while len(results) < count and not self.broken and time.monotonic() < deadline:
            try:
                self.producer.poll(max(0.0, min(0.05, deadline - time.monotonic())))
            except KafkaException as error:  # e.g. a restarted broker forgot the idempotent producer's id
                self.broken = True
                return f"Kafka fatal: {error}"[:200]
        return "Kafka fatal: the producer failed" if self.broken else None

    def _renew(self) -> None:
        """A producer after a fatal error accepts nothing more: its queue is dropped (those events are retried)."""
        with contextlib.suppress(KafkaException):
            self.producer.purge()
        self.producer, self.broken = Producer(self.config), False

    def _produce(self, event: Claimed, *, results: Results, until: float) -> None:
        if time.monotonic() > until:
            results[event.id] = Outcome(event, "unsent", "the lease ran out before it was sent")
            return
        if not event.secret:
            results[event.id] = Outcome(event, "dead", "the agency has no signing secret")
            return
        signed = signed_request(secret=event.secret, event_id=event.event_id, type=event.type, payload=event.payload)
        try:
            self.producer.produce(
                topic_for(prefix=self.prefix, kind=event.kind),
                key=event.event_id.encode(),
                value=signed.body,
                headers=list(signed.headers.items()),
                on_delivery=self._on_delivery(event, results),
            )
        except (BufferError, KafkaException) as error:  # a full local queue, a failed producer: tried again later
            self.broken = self.broken or bool(isinstance(error, KafkaException) and error.args[0].fatal())
            results[event.id] = Outcome(event, "retry", f"{type(error).__name__}: {error}"[:200])

    def _on_delivery(self, event: Claimed, results: Results) -> Callable[[KafkaError | None, Message], None]:
        def acknowledged(error: KafkaError | None, _: Message) -> None:
            self.broken = self.broken or bool(error is not None and error.fatal())
            text = None if error is None else f"Kafka {error.name()}: {error.str()}"[:200]
            results[event.id] = Outcome(event, verdict_of(error), text)

        return acknowledged

    def close(self) -> None:
        """Hands what is still queued to the broker for a moment; those events are pending again anyway."""
        if self.broken:
            return
        deadline = time.monotonic() + min(self.timeout, 5.0)
        with contextlib.suppress(KafkaException):  # a fatal error: nothing more can be sent
            while len(self.producer) and time.monotonic() < deadline:
                self.producer.poll(0.05)
            self.producer.purge()  # what is left would otherwise outlive the relay in librdkafka's own thread
