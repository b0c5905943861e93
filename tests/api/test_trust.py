"""Findings 1-4 of [L]: a 2xx goes out only after the commit, no request's database work blocks the event loop,
and every body has a size limit checked before it is read and before anyone is signed in."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from kouan.api.deps import db_session
from kouan.app import create_app
from kouan.db import get_engine, unit_of_work
from kouan.settings import Settings
from kouan.travel.registry.models import Voyage
from kouan.users.models import Role
from tests.api.conftest import token_for
from tests.support.messages import passenger_list


class Timeline:
    """What happened, in order: the store's commits and the responses' first bytes."""

    def __init__(self, app: Any, url: str) -> None:
        self.app, self.events = app, []  # type: ignore[var-annotated]
        event.listen(get_engine(url), "commit", lambda _connection: self.events.append("commit"))

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        async def recorded(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                self.events.append(f"response {message['status']}")
            await send(message)

        await self.app(scope, receive, recorded)


def _client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://kouan.test", timeout=60)


def _settings(url: str, **overrides: Any) -> Settings:
    return Settings(database_url=url, port_of_entry="PEK", **overrides)


def test_a_manifest_is_committed_before_its_201_is_sent(database_url: str) -> None:
    headers = {"Authorization": f"Bearer {token_for(database_url, username='o1', role=Role.officer)}"}
    timeline = Timeline(create_app(_settings(database_url)), database_url)
    body = passenger_list(names=["ROSSI:MARIO"])

    async def post() -> int:
        async with _client(timeline) as client:
            return (await client.post("/api/voyages/paxlst", content=body, headers=headers)).status_code

    assert asyncio.run(post()) == 201
    assert timeline.events.index("commit") < timeline.events.index("response 201")


def test_a_failed_commit_is_never_answered_2xx(database_url: str) -> None:
    headers = {"Authorization": f"Bearer {token_for(database_url, username='o1', role=Role.officer)}"}
    app = create_app(_settings(database_url))

    def disk_full(_session: Session) -> None:
        raise OSError("no space left on device")

    event.listen(Session, "before_commit", disk_full)
    try:
        answer = asyncio.run(
            _post(app, path="/api/voyages/paxlst", body=passenger_list(names=["ROSSI:MARIO"]), headers=headers)
        )
    finally:
        event.remove(Session, "before_commit", disk_full)
    assert answer.status_code >= 500
    with unit_of_work(database_url) as session:
        assert session.scalar(select(func.count()).select_from(Voyage)) == 0


async def _post(app: Any, *, path: str, body: bytes | str, headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://kouan.test", timeout=60) as client:
        return await client.post(path, content=body, headers=headers)


SMALL = {"max_body_bytes": 2_000, "max_message_bytes": 20_000, "max_upload_bytes": 50_000}


@pytest.mark.parametrize(
    ("path", "content_type", "size"),
    [
        ("/api/counter/scans", "application/json", 3_000),
        ("/api/vessels/calls", "application/json", 3_000),
        ("/api/declarations/cards", "application/json", 3_000),
        ("/api/voyages/paxlst", "text/plain", 30_000),
        ("/api/pnrgov", "text/plain", 30_000),
        ("/console/vessels", "multipart/form-data; boundary=x", 60_000),
        ("/declare", "application/x-www-form-urlencoded", 3_000),
    ],
)
def test_a_body_over_its_limit_is_413_before_sign_in(
    database_url: str, path: str, content_type: str, size: int
) -> None:
    app = create_app(_settings(database_url, **SMALL))
    body = PREFIX.get(content_type, b"") + b"[" * size  # no token: the size alone decides
    declared = asyncio.run(_post(app, path=path, body=body, headers={"Content-Type": content_type}))
    streamed = asyncio.run(_post(app, path=path, body=_chunks(body), headers={"Content-Type": content_type}))
    assert declared.status_code == 413 and "larger than this server accepts" in declared.json()["detail"]
    assert streamed.status_code in (413, *NOT_SIGNED_IN), streamed.text  # 401 when nothing was read at all


NOT_SIGNED_IN = (401, 303)
PREFIX = {
    "multipart/form-data; boundary=x": b'--x\r\nContent-Disposition: form-data; name="mdh"; filename="m.json"\r\n\r\n'
}  # the API, the console (sent to its sign-in page)


async def _chunks(body: bytes) -> Any:
    for start in range(0, len(body), 1_000):
        yield body[start : start + 1_000]


def test_a_body_within_its_limit_is_read(database_url: str) -> None:
    app = create_app(_settings(database_url, **SMALL))
    body = b'{"imo": "' + b"9" * 1_500 + b'"}'
    answer = asyncio.run(_post(app, path="/api/vessels/calls", body=body, headers={"Content-Type": "application/json"}))
    assert answer.status_code == 401


def test_a_validation_error_does_not_echo_what_was_sent(client, officer: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    answer = client.post("/api/counter/scans", json={"mrz": ["SECRET-NAME"] * 3}, headers=officer)
    assert answer.status_code == 422
    assert "SECRET-NAME" not in answer.text


def test_pages_are_kept_out_of_frames_caches_and_sniffing(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/login")
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ["/login", "/console/referrals/1/events", "/console/counter"])
def test_a_console_form_posted_from_another_site_is_refused(client, path: str) -> None:  # type: ignore[no-untyped-def]
    headers = {"Origin": "https://evil.example", "Cookie": "kouan_token=a-signed-in-officer"}
    answer = client.post(path, data={"token": "x"}, headers=headers)
    same_site = client.post("/login", data={"token": "x"}, headers={"Origin": "http://testserver"})
    assert answer.status_code == 403 and "another site" in answer.json()["detail"]
    assert same_site.status_code == 401  # reached the sign-in, which refused the token


def test_a_manifest_over_the_traveller_limit_is_413_naming_it(database_url: str) -> None:
    headers = {"Authorization": f"Bearer {token_for(database_url, username='o1', role=Role.officer)}"}
    app = create_app(_settings(database_url, max_message_travellers=3))
    body = passenger_list(names=["A:X", "B:X", "C:X", "D:X"])
    answer = asyncio.run(_post(app, path="/api/voyages/paxlst", body=body, headers=headers))
    assert answer.status_code == 413 and "lists 4 travellers" in answer.json()["detail"]
    with unit_of_work(database_url) as session:
        assert session.scalar(select(func.count()).select_from(Voyage)) == 0


def _session_scopes(dependant: Any) -> list[str | None]:
    own = [dependant.scope] if dependant.call is db_session else []
    return own + [scope for sub in dependant.dependencies for scope in _session_scopes(sub)]


def _api_routes(routes: list[Any]) -> Any:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # FastAPI keeps an included router as it was given
            yield from _api_routes(route.original_router.routes)


def test_every_route_commits_before_it_answers() -> None:
    """Every endpoint that opens the request transaction opens it function-scoped (committed before the response):
    a plain ``Depends(db_session)`` would commit after the response had gone out."""
    routes = list(_api_routes(create_app(Settings()).routes))
    scopes = {f"{sorted(r.methods)} {r.path}": _session_scopes(r.dependant) for r in routes}
    assert sum(1 for found in scopes.values() if found) > 40
    assert {route: found for route, found in scopes.items() if set(found) - {"function"}} == {}
