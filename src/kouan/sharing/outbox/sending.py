"""What the relay hands a sender and what it gets back: a leased event and its outcome. A sender (signed webhooks
over HTTP, or Kafka) delivers a round of events and answers one outcome per event; it never raises for one event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


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
    kind: str  # the agency's kind: Kafka's topic


@dataclass(frozen=True)
class Outcome:
    event: Claimed
    verdict: str  # delivered | retry | dead | unsent (the lease ran out first: released, not an attempt)
    error: str | None = None


class Sender(Protocol):
    """Delivers a round of events: every event's outcome, in order; nothing is sent after ``until``
    (``time.monotonic()``, the end of the lease), those are answered ``unsent``. An event is ``delivered`` only once
    the other side acknowledged it."""

    def send(self, events: list[Claimed], *, until: float = float("inf")) -> list[Outcome]: ...

    def close(self) -> None: ...
