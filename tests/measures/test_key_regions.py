"""The key-region list, one contract three ways: `kouan measures list`, GET /api/measures/regions and the console's
measures page give every region at medium or above on a day as known on a day, with figure and designation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete
from typer.testing import CliRunner

from kouan.api.deps import COOKIE
from kouan.app import create_app
from kouan.cli import app
from kouan.db import unit_of_work
from kouan.measures.models import RegionDesignation
from kouan.settings import Settings
from kouan.users.models import Role
from kouan.users.service import create_user

FIELDS = {"region", "name", "level", "rate_14d", "source", "data_date", "designation"}


@pytest.fixture
def mongolia(database_url: str) -> Iterator[None]:
    """Mongolia (no case in early March 2020) designated high from 1 March, recorded on 3 March."""
    with unit_of_work(database_url) as session:
        session.add(
            RegionDesignation(region_code="MNG", level="high", valid_from=date(2020, 3, 1), reason="border",
                              recorded_at=datetime(2020, 3, 3, 8, tzinfo=UTC), recorded_by="analyst")
        )  # fmt: skip
    yield
    with unit_of_work(database_url) as session:
        session.execute(delete(RegionDesignation))


def _by_region(listed: dict[str, object]) -> dict[str, dict[str, object]]:
    return {r["region"]: r for r in listed["regions"]}  # type: ignore[attr-defined]


def test_the_cli_prints_one_object_with_every_region_at_medium_or_above(store: str, mongolia: None) -> None:
    result = CliRunner().invoke(app, ["measures", "list", "--on", "2020-03-05"])
    listed = json.loads(result.stdout)
    assert result.exit_code == 0 and set(listed) == {"on", "known_on", "regions"}
    assert (listed["on"], listed["known_on"]) == ("2020-03-05", "2020-03-05")
    regions = _by_region(listed)
    assert all(set(r) == FIELDS and r["level"] in ("medium", "high") for r in regions.values())
    assert regions["ITA"]["level"] == "medium" and regions["ITA"]["source"] == "jhu-csse"
    assert regions["MNG"]["level"] == "high" and regions["MNG"]["designation"]["level"] == "high"  # type: ignore[index]
    assert "DEU" not in regions  # 0.46 per 100,000: low


def test_known_on_a_day_before_the_designation_was_recorded_leaves_it_out(store: str, mongolia: None) -> None:
    result = CliRunner().invoke(app, ["measures", "list", "--on", "2020-03-05", "--known-on", "2020-03-02"])
    listed = json.loads(result.stdout)
    assert listed["known_on"] == "2020-03-02" and "MNG" not in _by_region(listed)
    assert _by_region(listed)["ITA"]["data_date"] == "2020-03-01"  # the latest figure published by 2 March


def _client(url: str, role: Role) -> TestClient:
    with unit_of_work(url) as session:
        _, token = create_user(session=session, username=f"regions-{role.value}", role=role)
    client = TestClient(create_app(Settings(database_url=url, port_of_entry="PEK")))
    client.cookies.set(COOKIE, token)
    return client


def test_the_api_gives_the_same_object_as_the_cli(database_url: str, store: str, mongolia: None) -> None:
    params = {"on": "2020-03-05", "known_on": "2020-03-04"}
    answer = _client(database_url, Role.officer).get("/api/measures/regions", params=params)
    printed = CliRunner().invoke(app, ["measures", "list", "--on", "2020-03-05", "--known-on", "2020-03-04"])
    assert answer.status_code == 200 and answer.json() == json.loads(printed.stdout)
    assert (
        TestClient(create_app(Settings(database_url=database_url)))
        .get("/api/measures/regions", params=params)
        .status_code
        == 401
    )


def test_the_console_page_shows_the_list_in_a_scrolling_table(database_url: str, mongolia: None) -> None:
    page = _client(database_url, Role.analyst).get("/console/measures", params={"on": "2020-03-05"})
    assert page.status_code == 200
    table = page.text.split('<table class="key-regions">')[1].split("</table>")[0]
    assert page.text.split('<table class="key-regions">')[0].rstrip().endswith('<div class="table-scroll">')
    assert 'data-region="MNG"' in table and "high from 2020-03-01" in table and 'data-region="DEU"' not in table
    assert "Level / 等级" in table and "Designation / 研判指定" in table
