"""Serving on a thread: a taken port is named at once, and a server that fails or stalls in start-up is reported
instead of waited for."""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from kouan.serving import CannotServe, bound_port, check_free, listen_socket, serve_in_thread


@pytest.fixture
def held() -> Iterator[int]:
    """A loopback port another socket listens on."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield int(holder.getsockname()[1])


def app_starting(*, fails: bool = False, seconds: float = 0.0) -> Starlette:
    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        time.sleep(seconds)  # blocks start-up, as a slow database connection would
        if fails:
            raise RuntimeError("no database")
        yield

    return Starlette(routes=[Route("/", lambda _: PlainTextResponse("up"))], lifespan=lifespan)


def test_a_taken_port_is_named(held: int) -> None:
    for attempt in (listen_socket, check_free):
        with pytest.raises(CannotServe, match=rf"^port 127\.0\.0\.1:{held} is taken: another process listens"):
            attempt(host="127.0.0.1", port=held)


def test_port_zero_serves_on_a_free_port_until_stopped() -> None:
    sock = listen_socket(host="127.0.0.1", port=0)
    running = serve_in_thread(app_starting(), sock=sock)
    assert httpx.get(f"http://127.0.0.1:{bound_port(sock)}/").text == "up"
    running.stop()
    assert not running.thread.is_alive()


def test_a_failed_start_up_is_reported_not_waited_for() -> None:
    sock = listen_socket(host="127.0.0.1", port=0)
    with pytest.raises(CannotServe, match=rf"^the server on 127\.0\.0\.1:{bound_port(sock)} stopped during start-up"):
        serve_in_thread(app_starting(fails=True), sock=sock, timeout=30)


def test_a_start_up_longer_than_the_timeout_is_reported() -> None:
    sock = listen_socket(host="127.0.0.1", port=0)
    with pytest.raises(CannotServe, match=r"did not start within 0\.2 s"):
        serve_in_thread(app_starting(seconds=1.0), sock=sock, timeout=0.2)
