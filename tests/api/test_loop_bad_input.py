"""Bad input to the loop's endpoints gets a clear 4xx naming the problem, never a 500, and changes nothing."""

from __future__ import annotations

import random

import pytest
from fastapi.testclient import TestClient

from kouan.db import unit_of_work
from kouan.users.models import Role
from kouan.users.service import create_user
from tests.support.garbage import mutate
from tests.support.loop import build_loop

BODIES = [
    b"", b"{", b"[]", b"null", b'{"event": 5}', b'{"event": "acknowledge", "data": "x"}',
    b'{"event": "' + b"a" * 40 + b'"}', b'{"event": "acknowledge", "note": ' + b'"n' * 3000 + b'"}',
    b'{"address": 12}', b'{"division": "11x"}', b'{"approve": "perhaps"}', b"\xff\xfe\x00",
]  # fmt: skip


@pytest.fixture
def world(database_url: str) -> dict[str, object]:
    with unit_of_work(database_url) as session:
        world = build_loop(session)
        user, token = create_user(session=session, username="pek", role=Role.officer)
        user.unit_id = world.org.units["BJ-PEK"].id
        analyst = create_user(session=session, username="an", role=Role.analyst)[1]
        return {
            "rossi": world.referrals["ROSSI"].id,
            "officer": {"Authorization": f"Bearer {token}"},
            "analyst": {"Authorization": f"Bearer {analyst}"},
            "customs": {"Authorization": f"Bearer {world.org.tokens['CUSTOMS-PEK']}"},
        }


def _targets(world: dict[str, object]) -> list[tuple[str, object]]:
    rossi = world["rossi"]
    return [
        (f"/api/agency/referrals/{rossi}/events", world["customs"]),
        (f"/api/referrals/{rossi}/events", world["officer"]),
        (f"/api/referrals/{rossi}/destination", world["officer"]),
        ("/api/agency/requests", world["customs"]),
        ("/api/requests/1/decision", world["analyst"]),
        ("/api/agencies", world["officer"]),
        ("/api/outbox/evt_nope/resend", world["officer"]),
    ]


def test_broken_bodies_are_refused_clearly_and_move_nothing(client: TestClient, world: dict[str, object]) -> None:
    rng = random.Random(7)
    bodies = BODIES + [mutate(rng, '{"event": "complete", "note": "ok"}').encode() for _ in range(20)]
    for path, headers in _targets(world):
        for body in bodies:
            answer = client.post(path, content=body, headers={**headers, "Content-Type": "application/json"})  # type: ignore[dict-item]
            assert 400 <= answer.status_code < 500, (path, body, answer.status_code)
            assert answer.json()["detail"], (path, body)
    state = client.get(f"/api/referrals/{world['rossi']}", headers=world["officer"]).json()["state"]  # type: ignore[arg-type]
    assert state == "created"


@pytest.mark.parametrize("path", ["/api/referrals/abc", "/api/referrals/-1", "/api/referrals/99999999999999999999"])
def test_odd_ids_are_404_or_422(client: TestClient, world: dict[str, object], path: str) -> None:
    assert client.get(path, headers=world["officer"]).status_code in (404, 422)  # type: ignore[arg-type]


@pytest.mark.parametrize("query", ["limit=0", "limit=abc", "offset=-1", "queue=all", "after=-5"])
def test_odd_queries_are_422(client: TestClient, world: dict[str, object], query: str) -> None:
    path = "/api/agency/feed" if query.startswith("after") else "/api/referrals"
    headers = world["customs"] if path == "/api/agency/feed" else world["officer"]
    assert client.get(f"{path}?{query}", headers=headers).status_code == 422  # type: ignore[arg-type]
