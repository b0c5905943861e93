"""The webhook sender: posts signed webhooks (Standard Webhooks) to each agency's URL; 2xx is delivered, no answer,
408, 429 and 5xx are retried, any other answer is dead. Receivers deduplicate on ``webhook-id`` (the event id)."""

from __future__ import annotations

import http.client
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import SplitResult, urlsplit

from kouan.sharing.outbox.sending import Claimed, Outcome
from kouan.sharing.outbox.webhooks import signed_request

RETRYABLE = frozenset({408, 429})


def classify(status_code: int | None) -> str:
    """2xx delivered; no answer, 408, 429 and 5xx are retried; any other answer will not get better: dead."""
    if status_code is None or status_code in RETRYABLE or status_code >= 500:
        return "retry"
    return "delivered" if 200 <= status_code < 300 else "dead"


class WebhookSender:
    """Posts signed webhooks from a pool of threads, each with its own keep-alive connection per host. The standard
    library's client costs about a quarter of a millisecond of CPU per request here, httpx three to five times more."""

    def __init__(self, *, lanes: int, timeout: float) -> None:
        self.pool = ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="relay-send")
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


def _status(connection: http.client.HTTPConnection) -> int:
    """The answer's status; its body is read (at most 64 KiB) so the connection can be used again."""
    response = connection.getresponse()
    response.read(65536)
    if not response.isclosed():
        connection.close()
    return response.status
