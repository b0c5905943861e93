"""An app with the public router included, and a limiter that never gets in the way unless a test wants it to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kouan.app import create_app
from kouan.public.ratelimit import RateLimiter
from kouan.public.views import get_limiter, router
from kouan.settings import Settings


def public_app(url: str, limiter: RateLimiter | None = None) -> FastAPI:
    app = create_app(Settings(database_url=url))
    if not any(getattr(route, "path", "") == "/api/public/measures" for route in app.routes):
        app.include_router(router)
    chosen = limiter or RateLimiter(capacity=10_000)
    app.dependency_overrides[get_limiter] = lambda: chosen
    return app


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(public_app(database_url)) as client:
        yield client


@pytest.fixture
def sqlite_client(sqlite_url: str) -> Iterator[TestClient]:
    with TestClient(public_app(sqlite_url)) as client:
        yield client
