"""Schemathesis against a live server's own OpenAPI, as an officer, an agency and nobody: no answer is a server error,
and every answer matches the schema the server declares for it (findings 9 and 12 of [L])."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.schemas import BaseSchema
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from kouan.app import create_app
from kouan.db import unit_of_work
from kouan.settings import Settings
from kouan.users.models import Role
from kouan.users.service import create_user
from tests.conftest import _migrated_with_risk
from tests.support.live import live_server
from tests.support.loop import build_loop

EXAMPLES = 80  # per operation (each sent as 3 principals): ~50 operations stay within a minute or two
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture(scope="module")
def principals(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, dict[str, str]]]]:
    url = _migrated_with_risk(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'kouan.sqlite3'}")
    with unit_of_work(url) as session:
        world = build_loop(session)
        officer = create_user(session=session, username="fuzz-officer", role=Role.officer)[1]
        agency = world.org.tokens["CUSTOMS-PEK"]
    headers = {"officer": {"Authorization": f"Bearer {officer}"}, "agency": {"Authorization": f"Bearer {agency}"}}
    with live_server(create_app(Settings(database_url=url, port_of_entry="PEK"))) as base:
        yield base, {**headers, "nobody": {}}


OPERATIONS = [(path, method) for path, ops in create_app(Settings()).openapi()["paths"].items() for method in ops]


@pytest.fixture(scope="module")
def api(principals: tuple[str, dict[str, dict[str, str]]]) -> BaseSchema:
    base, _ = principals
    return schemathesis.openapi.from_url(f"{base}/openapi.json")


@pytest.mark.fuzz
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_no_server_error_and_every_answer_as_declared(api: BaseSchema, principals, path: str, method: str) -> None:  # type: ignore[no-untyped-def]
    base, headers = principals

    @given(case=api[path][method].as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def each(case) -> None:  # type: ignore[no-untyped-def]
        for who in ("officer", "agency", "nobody"):  # each generated request, sent as each of them
            case.call_and_validate(base_url=base, headers=headers[who], checks=CHECKS)

    each()
