"""On SQLite one transaction writes at a time, and FastAPI runs each request's database work on a pool of threads,
hopping between them. A request holding the writer lock may need another pool thread to finish while every pool
thread waits for that lock. So on SQLite the app lets a few requests in at a time (an asyncio queue, in order) and
the rest wait without holding a thread. PostgreSQL needs none of this."""

from __future__ import annotations

import asyncio
from typing import Any

ASGIApp = Any
UNQUEUED = ("/static", "/api/health")  # never touch the store: answered even while writers queue


class RequestQueue:
    def __init__(self, app: ASGIApp, *, at_once: int) -> None:
        self.app, self.at_once = app, at_once
        self.slots: asyncio.Semaphore | None = None  # made on the server's event loop

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNQUEUED):
            await self.app(scope, receive, send)
            return
        self.slots = self.slots or asyncio.Semaphore(self.at_once)
        async with self.slots:
            await self.app(scope, receive, send)
