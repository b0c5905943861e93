"""A real webhook receiver, as a partner agency would run one: it checks the Standard Webhooks signature (401 when it
does not hold), applies each event's effect once per ``webhook-id`` and counts what it saw. Used by the tests, the
delivery benchmark and the demo. ``fail_first`` answers 503 to a deterministic fraction of first attempts, to make
the relay retry. Run alone: ``KOUAN_RECEIVER_SECRET=whsec_… python -m kouan.sharing.outbox.receiver --port 8100``."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import queue
import threading
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from standardwebhooks.webhooks import WebhookVerificationError

from kouan.sharing.outbox.webhooks import verify

OnEvent = Callable[[dict[str, Any]], None]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass
class ReceiverStats:
    deliveries: int = 0  # requests with a valid signature, answered or refused
    unique_events: int = 0  # effects applied (once per webhook-id)
    duplicate_deliveries: int = 0  # valid requests for an event already applied
    duplicate_effects: int = 0  # effects applied more than once: must stay 0
    refused_on_purpose: int = 0  # first attempts answered 503 by ``fail_first``
    bad_signatures: int = 0
    callback_errors: int = 0


def fails_first(event_id: str, fraction: float) -> bool:
    """Deterministic: the same event id is always in or out of the failing fraction."""
    digest = hashlib.sha256(event_id.encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < fraction


@dataclass
class Receiver:
    secret: str
    fail_first: float = 0.0
    on_event: OnEvent | None = None
    stats: ReceiverStats = field(default_factory=ReceiverStats)
    effects: dict[str, int] = field(default_factory=dict)  # webhook-id → times its effect was applied
    bodies: list[dict[str, Any]] = field(default_factory=list)  # the unique events, in arrival order
    attempted: set[str] = field(default_factory=set)
    _work: queue.Queue[dict[str, Any] | None] = field(default_factory=queue.Queue)

    def __post_init__(self) -> None:
        if self.on_event is not None:
            threading.Thread(target=self._worker, name="receiver-on-event", daemon=True).start()

    def receive(self, *, body: bytes, headers: dict[str, str]) -> int:
        """The HTTP status to answer. No await inside: on one event loop, check-and-apply is atomic."""
        try:
            event = verify(secret=self.secret, body=body, headers=headers)
        except WebhookVerificationError:
            self.stats.bad_signatures += 1
            return 401
        self.stats.deliveries += 1
        event_id = headers.get("webhook-id", "")
        if self._refuse(event_id):
            return 503
        self._apply(event_id, event)
        return 204

    def _refuse(self, event_id: str) -> bool:
        first = event_id not in self.attempted
        self.attempted.add(event_id)
        if first and self.fail_first and fails_first(event_id, self.fail_first):
            self.stats.refused_on_purpose += 1
            return True
        return False

    def _apply(self, event_id: str, event: dict[str, Any]) -> None:
        if event_id in self.effects:
            self.stats.duplicate_deliveries += 1
            return
        times = self.effects[event_id] = self.effects.get(event_id, 0) + 1
        self.stats.unique_events = len(self.effects)
        self.stats.duplicate_effects += times > 1  # a broken dedupe would show here
        self.bodies.append(event)
        if self.on_event is not None:
            self._work.put(event)

    def _worker(self) -> None:
        while (event := self._work.get()) is not None:
            try:
                assert self.on_event is not None
                self.on_event(event)
            except Exception:  # a failing callback is counted, it never stops the receiver
                self.stats.callback_errors += 1
            finally:
                self._work.task_done()

    def drain(self) -> None:
        """Wait until every queued ``on_event`` call has run."""
        self._work.join()

    def close(self) -> None:
        if self.on_event is not None:
            self._work.put(None)


class ReceiverApp:
    """A bare ASGI app (no framework: it costs a quarter less CPU per request than Starlette, and on a small box the
    receiver shares the CPU with the relay it measures). ``POST`` any path: a webhook; ``GET /stats``: the counters;
    ``GET /events``: the applied event ids, in arrival order."""

    def __init__(self, receiver: Receiver) -> None:
        self.receiver = receiver

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return await _lifespan(receive, send)
        if scope["type"] != "http":
            return None
        if scope["method"] == "POST":
            body = await _body(receive)
            status = 400 if body is None else self.receiver.receive(body=body, headers=_headers(scope))
            return await _answer(send, status)
        if scope["method"] == "GET" and scope["path"] in ("/stats", "/events"):
            data = asdict(self.receiver.stats) if scope["path"] == "/stats" else list(self.receiver.effects)
            return await _answer(send, 200, json.dumps(data).encode())
        return await _answer(send, 404)


async def _body(receive: Receive) -> bytes | None:
    """The request body, or None when the sender went away (a killed relay: it will send again)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _headers(scope: dict[str, Any]) -> dict[str, str]:
    return {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}


async def _answer(send: Send, status: int, body: bytes = b"") -> None:
    headers = [(b"content-type", b"application/json")] if body else []
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _lifespan(receive: Receive, send: Send) -> None:
    while (await receive())["type"] != "lifespan.shutdown":
        await send({"type": "lifespan.startup.complete"})
    await send({"type": "lifespan.shutdown.complete"})


def create_receiver_app(
    *, secret: str, fail_first: float = 0.0, on_event: OnEvent | None = None, receiver: Receiver | None = None
) -> ReceiverApp:
    """The ASGI app around ``receiver`` (or a new one); its counters are ``app.receiver.stats``."""
    return ReceiverApp(receiver or Receiver(secret=secret, fail_first=fail_first, on_event=on_event))


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description="A webhook receiver that verifies signatures and counts events.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--fail-first", type=float, default=0.0, help="fraction of first attempts answered 503")
    args = parser.parse_args(argv)
    app = create_receiver_app(secret=os.environ["KOUAN_RECEIVER_SECRET"], fail_first=args.fail_first)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
