from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kouan.app import create_app
from kouan.db import unit_of_work
from kouan.settings import Settings
from kouan.users.models import Role
from kouan.users.service import create_user


def token_for(url: str, *, username: str, role: Role) -> str:
    with unit_of_work(url) as session:
        return create_user(session=session, username=username, role=role)[1]


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=database_url, port_of_entry="PEK"))
    with TestClient(app) as client:
        yield client


@pytest.fixture
def officer(database_url: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(database_url, username='officer1', role=Role.officer)}"}
