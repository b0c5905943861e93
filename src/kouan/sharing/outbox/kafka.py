"""The Kafka sender: each event is produced to one topic per agency kind (``<prefix><kind>``), keyed by its event id,
its value the same signed JSON body a webhook gets and the Standard Webhooks headers as Kafka headers. The producer
is idempotent (``enable.idempotence``, ``acks=all``); an event counts as delivered only once the broker acknowledged
it in the delivery callback, otherwise the relay retries it with its backoff and dead-letters it like a webhook.
Consumers deduplicate on the key: a message the broker took after its round gave up on it may arrive twice."""

from __future__ import annotations

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


def producer_config(*, bootstrap: str, timeout: float) -> dict[str, Any]:
    """Idempotent, every in-sync replica acknowledges; a message not acknowledged within ``timeout`` fails."""
    return {
        "bootstrap.servers": bootstrap,
        "enable.idempotence": True,
        "acks": "all",
        "message.timeout.ms": max(1, int(timeout * 1000)),
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
        self.producer.flush(max(0.0, min(until, time.monotonic() + self.timeout) - time.monotonic()))
        if self.broken:
            self.producer, self.broken = Producer(self.config), False
        late = "the broker did not acknowledge it in time"
        return [results.get(event.id) or Outcome(event, "retry", late) for event in events]

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
        except (BufferError, KafkaException) as error:  # a full local queue, a bad topic name: tried again later
            results[event.id] = Outcome(event, "retry", f"{type(error).__name__}: {error}"[:200])
        self.producer.poll(0)

    def _on_delivery(self, event: Claimed, results: Results) -> Callable[[KafkaError | None, Message], None]:
        def acknowledged(error: KafkaError | None, _: Message) -> None:
            self.broken = self.broken or bool(error is not None and error.fatal())
            text = None if error is None else f"Kafka {error.name()}: {error.str()}"[:200]
            results[event.id] = Outcome(event, verdict_of(error), text)

        return acknowledged

    def close(self) -> None:
        """Hands what is still queued to the broker for a moment; those events are pending again anyway."""
        self.producer.flush(min(self.timeout, 5.0))
