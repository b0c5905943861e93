"""A small in-memory token bucket per client key (IP): ``capacity`` requests, refilled over ``per`` seconds."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_KEYS = 10_000


@dataclass
class RateLimiter:
    capacity: int = 30
    per: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def _tokens(self, key: str, now: float) -> float:
        tokens, seen = self._buckets.get(key, (float(self.capacity), now))
        return min(float(self.capacity), tokens + (now - seen) * self.capacity / self.per)

    def acquire(self, key: str) -> float | None:
        """Takes a token for ``key``: None when allowed, else the seconds to wait before one is available."""
        now = self.clock()
        tokens = self._tokens(key, now)
        self._buckets.pop(key, None)  # re-inserted below: the dict's order is then least recently seen first
        if len(self._buckets) >= MAX_KEYS:
            del self._buckets[next(iter(self._buckets))]  # forget the quietest client, never everyone at once
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            return (1 - tokens) * self.per / self.capacity
        self._buckets[key] = (tokens - 1, now)
        return None
