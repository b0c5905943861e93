"""The token bucket: capacity requests at once, refilled evenly over the period, per client key."""

from __future__ import annotations

import logging

from kouan.public.ratelimit import RateLimiter
from kouan.public.views import QueryStringFilter


def test_each_key_has_its_own_bucket_refilled_over_time() -> None:
    now = [100.0]
    limiter = RateLimiter(capacity=3, per=60.0, clock=lambda: now[0])
    assert [limiter.acquire("a") for _ in range(4)] == [None, None, None, 20.0]
    assert limiter.acquire("b") is None
    now[0] += 20.0
    assert limiter.acquire("a") is None
    assert limiter.acquire("a") == 20.0


def test_the_access_log_keeps_no_query_string_of_public_paths() -> None:
    args = ("1.2.3.4:5", "GET", "/api/public/measures?nationality=DEU", "1.1", 200)
    record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d', args, None)
    assert QueryStringFilter().filter(record)
    assert record.getMessage() == '1.2.3.4:5 - "GET /api/public/measures HTTP/1.1" 200'
