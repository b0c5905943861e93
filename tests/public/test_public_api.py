"""GET /api/public/measures: the same rules officers enforce, answered in Chinese or English, storing nothing."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kouan.db import get_engine, unit_of_work
from kouan.measures.designations import publish_foreign_measure
from kouan.measures.models import ForeignMeasureCreate
from kouan.models import metadata
from kouan.public.ratelimit import RateLimiter
from tests.public.conftest import public_app
from tests.support.live import live_server

GERMAN = {"nationality": "DEU", "origin": "FRA", "arrival": "PEK", "date": "2020-03-29", "visa_type": "L"}
CHINESE = {"nationality": "CHN", "origin": "FCO", "arrival": "PEK", "date": "2020-03-24"}
API = "/api/public/measures"


def test_a_german_l_visa_holder_is_refused_entry_citing_r3(client: TestClient) -> None:
    answer = client.get(API, params={**GERMAN, "lang": "en"}).json()
    assert answer["decision"] == "refuse_entry"
    r3 = next(rule for rule in answer["rules"] if rule["id"] == "R3")
    assert "国家移民管理局 NIA" in r3["source"]
    assert r3["text"].startswith("Entry by foreigners")
    assert answer["origin_risk"]["region_code"] == "DEU"
    assert answer["origin_risk"]["source"] == "JHU CSSE"


def test_a_chinese_national_from_rome_is_diverted_and_italy_is_high(client: TestClient) -> None:
    answer = client.get(API, params=CHINESE).json()
    assert answer["decision"] == "divert"
    assert "TSN" in next(rule for rule in answer["rules"] if rule["id"] == "R2.2")["divert_to"]
    risk = answer["origin_risk"]
    assert (risk["region_code"], risk["level"], risk["source"]) == ("ITA", "high", "JHU CSSE")
    assert risk["rate_14d"] >= 10
    assert date.fromisoformat(risk["data_date"]) <= date(2020, 3, 24)


@pytest.mark.parametrize(
    ("extra", "headers", "r1_starts", "label"),
    [
        ({"lang": "en"}, {}, "Everyone entering", "Entry refused"),
        ({"lang": "zh"}, {"Accept-Language": "en-US,en;q=0.9"}, "出入境人员", "拒绝入境"),
        ({}, {"Accept-Language": "en-GB,en;q=0.8,zh;q=0.5"}, "Everyone entering", "Entry refused"),
        ({}, {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}, "出入境人员", "拒绝入境"),
        ({}, {"Accept-Language": "fr-FR"}, "出入境人员", "拒绝入境"),
        ({}, {}, "出入境人员", "拒绝入境"),
    ],
)
def test_the_language_comes_from_lang_else_accept_language_else_chinese(
    sqlite_client: TestClient, extra: dict[str, str], headers: dict[str, str], r1_starts: str, label: str
) -> None:
    answer = sqlite_client.get(API, params={**GERMAN, **extra}, headers=headers).json()
    assert answer["rules"][0]["text"].startswith(r1_starts)
    assert answer["decision_label"] == label


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"nationality": "XYZ"}, "nationality"),
        ({"nationality": ""}, "nationality"),
        ({"origin": "ZZZ"}, "origin"),
        ({"arrival": "P3K"}, "arrival"),
        ({"date": "2020-13-01"}, "date"),
        ({"date": "yesterday"}, "date"),
        ({"visa_type": "H1B"}, "visa_type"),
        ({"visa_issued": "26/03/2020"}, "visa_issued"),
        ({"residence_permit": "maybe"}, "residence_permit"),
        ({"final_destination": "<script>"}, "final_destination"),
    ],
)
def test_bad_input_is_422_naming_the_field(sqlite_client: TestClient, change: dict[str, str], field: str) -> None:
    response = sqlite_client.get(API, params={**GERMAN, **change, "lang": "en"})
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["query", field]]


def test_missing_fields_are_each_named_in_the_chosen_language(sqlite_client: TestClient) -> None:
    response = sqlite_client.get(API, params={"lang": "zh"})
    detail = response.json()["detail"]
    assert [error["loc"][1] for error in detail] == ["nationality", "origin", "arrival", "date"]
    assert detail[0]["msg"] == "此项为必填项。"


def test_an_arrival_outside_the_mainland_is_not_answered_as_allowed(sqlite_client: TestClient) -> None:
    answer = sqlite_client.get(API, params={**CHINESE, "arrival": "HKG", "lang": "en"}).json()
    assert (answer["covered"], answer["decision"], answer["rules"]) == (False, "not_covered", [])
    assert "mainland China" in answer["notes"][0]


def test_foreign_measures_of_the_origin_country_are_shown(database_url: str, client: TestClient) -> None:
    measure = ForeignMeasureCreate(
        country="IT",
        title="Entry ban for non-residents",
        title_zh="禁止非居民入境",
        text="Only residents may enter Italy.",
        text_zh="仅居民可入境意大利。",
        source="Italian Ministry of Health, 2020-03-17",
        valid_from=date(2020, 3, 17),
    )
    with unit_of_work(database_url) as session:
        publish_foreign_measure(session=session, item=measure, actor="analyst")
    answer = client.get(API, params={**CHINESE, "lang": "zh"}).json()
    assert [(m["country"], m["title"]) for m in answer["foreign_measures"]] == [("ITA", "禁止非居民入境")]


def _row_counts(url: str) -> dict[str, int]:
    with get_engine(url).connect() as connection:
        return {t.name: connection.scalar(select(func.count()).select_from(t)) or 0 for t in metadata.sorted_tables}


def test_a_query_stores_nothing(database_url: str, client: TestClient) -> None:
    before = _row_counts(database_url)
    assert client.get(API, params=GERMAN).status_code == 200
    assert client.get("/public", params=CHINESE).status_code == 200
    assert _row_counts(database_url) == before


def test_too_many_requests_are_429_with_retry_after_until_a_token_is_back(sqlite_url: str) -> None:
    now = [0.0]
    limiter = RateLimiter(capacity=2, per=60.0, clock=lambda: now[0])
    with TestClient(public_app(sqlite_url, limiter)) as client:
        assert [client.get(API, params=GERMAN).status_code for _ in range(3)] == [200, 200, 429]
        refused = client.get("/public")
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "30"
        now[0] = 30.0
        assert client.get(API, params=GERMAN).status_code == 200


def test_a_spoofed_forwarded_for_does_not_escape_the_limit_on_a_live_server(sqlite_url: str) -> None:
    limiter = RateLimiter(capacity=2, per=60.0, clock=lambda: 0.0)
    with live_server(public_app(sqlite_url, limiter)) as base, httpx.Client(base_url=base) as client:
        answers = [client.get(API, params=GERMAN, headers={"X-Forwarded-For": f"203.0.113.{i}"}) for i in range(5)]
    assert [a.status_code for a in answers] == [200, 200, 429, 429, 429]
