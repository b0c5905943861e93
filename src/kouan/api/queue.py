"""On SQLite one transaction writes at a time, and FastAPI runs each request's database work on a pool of threads,
hopping between them. A request holding the writer lock may need another pool thread to finish while every pool
thread waits for that lock. So on SQLite the app lets a few requests in at a time (an asyncio queue, in order) and
the rest wait without holding a thread. PostgreSQL needs none of this.

Reads (GET, HEAD) queue apart from writes, with more room: most read a snapshot that never waits for the writer, so
an officer's page is not held up behind carriers' uploads; the few that write (an agency's audited reads) can hold
at most ``reads + writes`` pool threads, well under the pool's 40."""

from __future__ import annotations

import asyncio
from typing import Any

ASGIApp = Any
UNQUEUED = ("/static", "/api/health")  # never touch the store: answered even while writers queue


READS = ("GET", "HEAD")


class RequestQueue:
    def __init__(self, app: ASGIApp, *, at_once: int, reads_at_once: int) -> None:
        self.app, self.at_once, self.reads_at_once = app, at_once, reads_at_once
        self.slots: dict[bool, asyncio.Semaphore] = {}  # made on the server's event loop

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNQUEUED):
            await self.app(scope, receive, send)
            return
        async with self._slots(reading=scope["method"] in READS):
            await self.app(scope, receive, send)

    def _slots(self, *, reading: bool) -> asyncio.Semaphore:
        if reading not in self.slots:
            self.slots[reading] = asyncio.Semaphore(self.reads_at_once if reading else self.at_once)
        return self.slots[reading]
