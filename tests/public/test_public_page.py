"""GET /public: a form that shows its answer below; bad input is shown next to its field, never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

GERMAN = {"nationality": "DEU", "origin": "FRA", "arrival": "PEK", "date": "2020-03-29", "visa_type": "L"}


def test_the_empty_page_is_a_form_in_chinese_by_default(sqlite_client: TestClient) -> None:
    page = sqlite_client.get("/public")
    assert page.status_code == 200
    assert "出入境信息查询一键通" in page.text
    assert 'id="answer"' not in page.text


@pytest.mark.parametrize(("lang", "decision"), [("zh", "拒绝入境"), ("en", "Entry refused")])
def test_a_submitted_form_shows_the_decision(sqlite_client: TestClient, lang: str, decision: str) -> None:
    page = sqlite_client.get("/public", params={**GERMAN, "lang": lang})
    assert page.status_code == 200
    assert decision in page.text
    assert "R3" in page.text


def test_bad_input_is_shown_next_to_its_field_keeping_what_was_typed(sqlite_client: TestClient) -> None:
    page = sqlite_client.get("/public", params={**GERMAN, "origin": "QQX", "lang": "en"})
    assert page.status_code == 422
    assert 'id="origin-error"' in page.text
    assert 'value="QQX"' in page.text
    assert 'value="DEU"' in page.text


@pytest.mark.parametrize(
    "params",
    [
        {"nationality": "<b>x</b>", "date": "2020-02-30"},
        {"date": "9999-99-99T99:99", "visa_issued": "\x00"},
        {"origin": "日本", "arrival": "北京", "residence_permit": "☃"},
        {"nationality": "D" * 5000},
        {"lang": "xx", "final_destination": "'; DROP TABLE region;--"},
    ],
)
def test_odd_input_never_crashes_the_page(sqlite_client: TestClient, params: dict[str, str]) -> None:
    page = sqlite_client.get("/public", params=params)
    assert page.status_code == 422
    assert "<b>x</b>" not in page.text
