"""The token bucket: capacity requests at once, refilled evenly over the period, per client key."""

from __future__ import annotations

import logging

from kouan.public.ratelimit import MAX_KEYS, RateLimiter
from kouan.public.views import QueryStringFilter
from kouan.serving import proxy_options


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


def test_many_new_clients_do_not_refill_a_busy_clients_bucket() -> None:
    """Finding 11 of [L]: at 10,000 keys every bucket used to be cleared, so a flood of new keys reset the limit."""
    now = [0.0]
    limiter = RateLimiter(capacity=2, per=60.0, clock=lambda: now[0])
    assert [limiter.acquire("busy") for _ in range(2)] == [None, None]
    for index in range(MAX_KEYS - 1):
        limiter.acquire(f"new-{index}")
        if index % 1000 == 0:
            assert limiter.acquire("busy") is not None  # still limited; and seen again, so kept
    assert limiter.acquire("busy") is not None
    assert len(limiter._buckets) <= MAX_KEYS


def test_a_forwarded_for_header_is_believed_only_from_a_configured_proxy() -> None:
    """Finding 11 of [L]: uvicorn's default believed X-Forwarded-For from 127.0.0.1, so any local client (and any
    client of a server behind nothing) chose the address the public rate limit counts."""
    assert proxy_options([]) == {"proxy_headers": False, "forwarded_allow_ips": None}
    assert proxy_options(["10.0.0.5"]) == {"proxy_headers": True, "forwarded_allow_ips": "10.0.0.5"}
