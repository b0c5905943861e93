"""Listening on a port and serving an app on a thread: a taken port is a clear error, and no wait is endless.

A socket is bound before uvicorn is given it, so a port already in use is found at once (uvicorn alone, on a
thread, would exit that thread and leave whoever waits for ``started`` waiting forever).
"""

from __future__ import annotations

import errno
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

import uvicorn

START_TIMEOUT = 10.0  # seconds for a server to start once its socket is bound


def proxy_options(trusted_proxies: list[str]) -> dict[str, Any]:
    """uvicorn believes X-Forwarded-For only from these addresses; from nowhere when none is configured (its own
    default trusts 127.0.0.1, which let any local client choose the address the public rate limit counts)."""
    return {"proxy_headers": bool(trusted_proxies), "forwarded_allow_ips": ",".join(trusted_proxies) or None}


class CannotServe(Exception):
    """The server cannot listen or did not start; the message says where and why."""


def listen_socket(*, host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` (0: any free port) as uvicorn binds one; CannotServe when it cannot be."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise CannotServe(_bind_problem(host=host, port=port, error=error)) from None
    return sock


def _bind_problem(*, host: str, port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"port {host}:{port} is taken: another process listens there (stop it, or choose --port / KOUAN_PORT)"
    return f"cannot listen on {host}:{port}: {error.strerror or error}"


def check_free(*, host: str, port: int) -> None:
    """Raise CannotServe now if ``host:port`` cannot be listened on (for a server that binds it itself)."""
    listen_socket(host=host, port=port).close()


def bound_port(sock: socket.socket) -> int:
    return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Running:
    """A server serving from its own thread."""

    server: uvicorn.Server
    thread: threading.Thread

    def stop(self, *, timeout: float = START_TIMEOUT) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=timeout)


def serve_in_thread(
    app: Any, *, sock: socket.socket, timeout: float = START_TIMEOUT, trusted_proxies: list[str] | None = None
) -> Running:
    """Serve ``app`` on ``sock`` from a daemon thread; return once it accepts connections, or raise CannotServe
    when its start-up fails or takes longer than ``timeout`` seconds."""
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", **proxy_options(trusted_proxies or [])))
    host, port = sock.getsockname()[:2]
    thread = threading.Thread(target=_run, args=(server, sock), name=f"serve-{port}", daemon=True)
    thread.start()
    _wait_started(server=server, thread=thread, timeout=timeout, where=f"{host}:{port}")
    return Running(server=server, thread=thread)


def _run(server: uvicorn.Server, sock: socket.socket) -> None:
    try:
        server.run(sockets=[sock])
    except SystemExit:  # uvicorn's word for a failed start-up, which the waiting side reports
        sock.close()


def _wait_started(*, server: uvicorn.Server, thread: threading.Thread, timeout: float, where: str) -> None:
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            why = "stopped during start-up" if not thread.is_alive() else f"did not start within {timeout:g} s"
            raise CannotServe(f"the server on {where} {why}")
        time.sleep(0.02)
