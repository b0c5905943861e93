"""A live server on a free loopback port and Debian's Chromium, for the browser tests."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from playwright.sync_api import Browser, sync_playwright

from kouan.serving import bound_port, listen_socket, serve_in_thread

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve ``app`` in a thread until the block ends (CannotServe if it does not start); yields its base URL."""
    sock = listen_socket(host="127.0.0.1", port=0)  # bound here and handed over: no other process can take it
    running = serve_in_thread(app, sock=sock)
    try:
        yield f"http://127.0.0.1:{bound_port(sock)}"
    finally:
        running.stop()


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def sign_in(page: Any, *, base: str, token: str) -> None:
    """Through the console's sign-in page with an officer's token."""
    page.goto(f"{base}/console")
    page.fill("#token", token)
    page.click("button[type=submit]")
