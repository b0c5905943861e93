"""The health declaration card online, on SQLite and PostgreSQL: filing by the form gives a code and its QR code,
the places declared join the manifest traveller's journey, the 24-hour rule, per-field errors that keep what was
typed, and cards in bulk from other channels."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from kouan.db import unit_of_work
from kouan.formats.paxlst import parse_paxlst
from kouan.public.declaration_views import now_utc
from kouan.public.i18n import LOCALE_DIR
from kouan.public.ratelimit import RateLimiter
from kouan.travel.declarations.card import (
    SYMPTOM_KEYS,
    InvalidCard,
    card_by_code,
    check_card,
    timing_errors,
)
from kouan.travel.declarations.codes import CODE_ALPHABET, new_code
from kouan.travel.registry.queries import current_travellers
from kouan.travel.registry.service import ingest_paxlst
from kouan.users.models import Role
from tests.api.conftest import token_for
from tests.public.conftest import public_app
from tests.support.messages import document_number, passenger_list

ROSSI_PASSPORT = document_number("ROSSI:MARIO")
MANIFEST = passenger_list(names=["ROSSI:MARIO"], legs=[("DXB", "PEK", "2003200340")], carrier="EK", number="EK308")
DAY_BEFORE = datetime.fromisoformat("2020-03-19T12:00:00+08:00")
CODE = re.compile(r"^[2-9A-HJ-NP-Z]{12}$")
FORM = {
    "surname": "ROSSI",
    "given_names": "MARIO",
    "sex": "M",
    "birth_date": "1970-01-01",
    "nationality": "ITA",
    "document_number": ROSSI_PASSPORT,
    "occupation": "Engineer",
    "phone": "+39 02 1234 5678",
    "flight": "EK308",
    "flight_date": "2020-03-20",
    "seat": "32A",
    "places-0-country": "ITA",
    "places-0-place": "Milano",
    "places-0-date_from": "2020-03-06",
    "places-0-date_to": "2020-03-18",
    "places-1-country": "ARE",
    "places-1-place": "DXB",
    "places-1-date_from": "2020-03-19",
    "places-1-date_to": "",
    "address": "北京市朝阳区建国路 1 号",
    "case_contact": "no",
    "fever_medicine": "no",
    "symptoms": ["fatigue", "dry_cough"],
}
CARD = {
    "surname": "ROSSI",
    "given_names": "MARIO",
    "sex": "M",
    "birth_date": "1970-01-01",
    "nationality": "IT",
    "document_number": ROSSI_PASSPORT,
    "occupation": "Engineer",
    "phone": "+39 02 1234 5678",
    "flight": "EK308",
    "flight_date": "2020-03-20",
    "places": [{"country": "ITA", "place": "Milano", "date_from": "2020-03-06", "date_to": "2020-03-18"}],
    "address": "北京市朝阳区建国路 1 号",
    "case_contact": False,
    "symptoms": [],
    "fever_medicine": False,
}


@pytest.fixture
def client(database_url: str) -> Any:
    app = public_app(database_url)
    app.dependency_overrides[now_utc] = lambda: DAY_BEFORE
    with TestClient(app) as client:
        yield client


@pytest.fixture
def officer(database_url: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(database_url, username='officer1', role=Role.officer)}"}


def file_manifest(url: str) -> int:
    with unit_of_work(url) as session:
        return ingest_paxlst(session=session, message=parse_paxlst(MANIFEST), raw=MANIFEST, port="PEK").voyage_id


def declare(client: TestClient, form: dict[str, Any], lang: str = "en") -> Any:
    return client.post(f"/declare?lang={lang}", data=form, follow_redirects=False)


def error_fields(html: str) -> set[str]:
    return set(re.findall(r'id="([\w-]+)-error"', html))


def test_filing_the_form_gives_a_code_and_its_qr_code(client: TestClient) -> None:
    response = declare(client, FORM, lang="zh")
    assert response.status_code == 303
    code = response.headers["location"].split("/declare/")[1].split("?")[0]
    assert CODE.match(code)
    page = client.get(f"/declare/{code}?lang=zh")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert f'data-code="{code}"' in page.text and '<div class="qr" id="qr"><svg' in page.text and "<path" in page.text
    assert "健康申明已提交" in page.text and "乏力" in page.text and "意大利" in page.text
    assert client.get(f"/declare/{code.lower()}?lang=en").status_code == 200  # as typed, any case
    assert client.get("/declare/AAAAAAAAAAAA").status_code == 404


@pytest.mark.parametrize(("lang", "said"), [("zh", "请核对申报码"), ("en", "Check the code")])
def test_an_unknown_code_gets_a_page_in_the_travellers_language(client: TestClient, lang: str, said: str) -> None:
    page = client.get(f"/declare/AAAAAAAAAAAA?lang={lang}")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert said in page.text and f'href="/declare?lang={lang}"' in page.text


def test_the_places_declared_become_stays_of_the_manifest_traveller(
    client: TestClient, database_url: str, officer: dict[str, str]
) -> None:
    voyage_id = file_manifest(database_url)
    code = declare(client, FORM).headers["location"].split("/declare/")[1].split("?")[0]
    with unit_of_work(database_url) as session:
        rossi = next(t for t in current_travellers(session=session, voyage_id=voyage_id) if t.surname == "ROSSI")
        declared = {(s.region_code, s.place) for s in rossi.stays if s.source == "declaration"}
        filed = card_by_code(session=session, code=code)
        assert filed is not None and (filed.channel, filed.sex, filed.port_of_entry) == ("web", "M", "PEK")
    assert declared == {("ITA", None), ("ARE", "DXB")}  # a stay's place is an airport or city code
    assert client.get(f"/api/declarations/{code}").status_code == 401
    staff = client.get(f"/api/declarations/{code}", headers=officer).json()
    assert staff["symptoms"] == ["fatigue", "dry_cough"] and staff["case_contact"] is False
    assert staff["places"][0] == {
        "country": "ITA", "place": None, "city": "Milano", "date_from": "2020-03-06", "date_to": "2020-03-18"
    }  # fmt: skip
    assert staff["document_number"] == ROSSI_PASSPORT


@pytest.mark.parametrize(
    ("now", "arrival", "refused"),
    [
        ("2020-03-18T23:59:00+08:00", None, "Too early"),  # before the day preceding the arrival day
        ("2020-03-19T00:00:00+08:00", None, None),
        ("2020-03-19T03:00:00+08:00", "2020-03-20T03:40:00+08:00", "Too early"),  # 24 h 40 min before
        ("2020-03-19T03:41:00+08:00", "2020-03-20T03:40:00+08:00", None),
        ("2020-03-22T23:59:00+08:00", None, None),
        ("2020-03-23T00:01:00+08:00", None, "more than two days ago"),
    ],
)
def test_the_24_hour_rule(now: str, arrival: str | None, refused: str | None) -> None:
    card = check_card(data={**CARD, "arrival": arrival}, now=datetime.fromisoformat("2020-03-20T00:00:00+08:00"))
    errors = timing_errors(card=card, now=datetime.fromisoformat(now))
    field = "arrival" if arrival else "flight_date"
    assert (refused in errors[field]) if refused else errors == {}


def test_the_24_hour_rule_on_the_form_keeps_what_was_typed(client: TestClient) -> None:
    too_early = declare(client, {**FORM, "flight_date": "2020-03-25"})
    assert too_early.status_code == 422 and error_fields(too_early.text) == {"flight_date"}
    assert "at most 24 hours before arrival" in too_early.text and 'value="2020-03-25"' in too_early.text
    late_evening = declare(client, {**FORM, "flight_date": "2020-03-20", "arrival_time": "23:30"})  # in 35½ h
    assert late_evening.status_code == 422 and error_fields(late_evening.text) == {"arrival_time"}
    assert 'value="23:30"' in late_evening.text
    assert declare(client, {**FORM, "flight_date": "2020-03-20", "arrival_time": "10:00"}).status_code == 303
    late = declare(client, {**FORM, "flight_date": "2020-03-10", "places-1-date_from": "2020-03-09"})
    assert late.status_code == 422 and error_fields(late.text) == {"flight_date"}


RADIOS = ("sex", "case_contact", "fever_medicine")
BAD_VALUES = [
    ("surname", "", "Required"),
    ("sex", "", "Required"),
    ("sex", "Q", "Choose one of the options"),
    ("birth_date", "2990-01-01", "The date of birth must be in the past"),
    ("birth_date", "01/02/1970", "Not a valid date"),
    ("nationality", "XQ", "Unknown country or region"),
    ("document_number", "YA-12!", "Not a valid document number"),
    ("occupation", "", "Required"),
    ("phone", "call me", "Not a valid phone number"),
    ("flight", "E", "Not a valid flight number"),
    ("flight_date", "", "Required"),
    ("arrival_time", "25:99", "Not a valid date and time"),
    ("seat", "1234567", "Too long"),
    ("port_of_entry", "P", "Not a valid port code"),
    ("address", "", "Required"),
    ("case_contact", "", "Required"),
    ("fever_medicine", "maybe", "Choose yes or no"),
    ("places-1-country", "ZZZ", "Unknown country or region"),
    ("places-0-date_to", "2020-03-01", "The end date is before the start date"),
    ("places-1-date_from", "2020-03-21", "This date is after the arrival date"),
    ("places-1-date_from", "", "Required"),
]


@pytest.mark.parametrize(("name", "value", "message"), BAD_VALUES)
def test_an_invalid_field_is_named_and_every_typed_value_kept(
    client: TestClient, name: str, value: str, message: str
) -> None:
    response = declare(client, {**FORM, name: value})
    assert response.status_code == 422
    assert error_fields(response.text) == {name}
    error = re.search(rf'id="{name}-error">([^<]*)<', response.text)
    assert error is not None and error.group(1).startswith(message)
    for field, typed in {**FORM, name: value}.items():
        if field == name and (field in RADIOS or field.endswith("country") or field == "nationality"):
            continue  # a value outside a select's or a radio group's options cannot be shown as chosen
        if field in RADIOS:
            assert f'value="{typed}" checked' in response.text, field
        elif field == "symptoms":
            assert all(f'value="{key}" checked' in response.text for key in typed)
        elif field.endswith("country") or field == "nationality":
            assert f'value="{typed}" selected' in response.text, field
        else:
            assert f'value="{typed}"' in response.text, field


def test_the_form_in_chinese_names_errors_in_chinese(client: TestClient) -> None:
    page = client.get("/declare", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert page.status_code == 200 and "提交申明" in page.text and "发热" in page.text and "意大利" in page.text
    response = declare(client, {**FORM, "phone": ""}, lang="zh")
    assert response.status_code == 422 and 'id="phone-error">必填<' in response.text
    english = client.get("/declare", headers={"Accept-Language": "en-GB"})
    assert "Submit declaration" in english.text and "Conjunctival congestion" in english.text


def test_a_symptom_outside_the_card_is_refused() -> None:
    with pytest.raises(InvalidCard) as refused:
        check_card(data={**CARD, "symptoms": ["fever", "cough"]}, now=DAY_BEFORE)
    assert refused.value.errors == {"symptoms": "Not a symptom on the card"}
    card = check_card(data={**CARD, "symptoms": ["diarrhoea", "fever", "fever"]}, now=DAY_BEFORE)
    assert card.symptoms == ["fever", "diarrhoea"] and len(SYMPTOM_KEYS) == 11


def test_codes_are_unique_and_unambiguous() -> None:
    codes = {new_code() for _ in range(5000)}
    assert len(codes) == 5000
    assert all(CODE.match(code) for code in codes)
    assert not set("".join(codes)) - set(CODE_ALPHABET) and not set("01OI") & set(CODE_ALPHABET)


def test_cards_in_bulk_keep_the_good_ones_and_name_the_bad(
    client: TestClient, database_url: str, officer: dict[str, str]
) -> None:
    voyage_id = file_manifest(database_url)
    cards = [
        CARD,
        {**CARD, "surname": "BIANCHI", "symptoms": ["cough"], "flight_date": "20/03/2020"},
        {**CARD, "surname": "VERDI", "document_number": "YA7654321"},
        "not a card",
    ]
    assert client.post("/api/declarations/cards", json=cards).status_code == 401
    response = client.post("/api/declarations/cards", json=cards, headers=officer)
    assert response.status_code == 200
    body = response.json()
    assert (body["accepted"], body["refused"]) == (2, 2)
    results = body["results"]
    assert [r["index"] for r in results] == [0, 1, 2, 3]
    assert set(results[1]["errors"]) == {"symptoms", "flight_date"} and "card" in results[3]["errors"]
    codes = [results[0]["code"], results[2]["code"]]
    assert len(set(codes)) == 2 and all(CODE.match(c) for c in codes)
    verdi = client.get(f"/api/declarations/{codes[1]}", headers=officer).json()
    assert (verdi["surname"], verdi["channel"]) == ("VERDI", "bulk")
    with unit_of_work(database_url) as session:
        rossi = next(t for t in current_travellers(session=session, voyage_id=voyage_id) if t.surname == "ROSSI")
        assert ("declaration", "ITA") in {(s.source, s.region_code) for s in rossi.stays}


def test_the_older_bulk_api_gives_each_declaration_a_code(client: TestClient, officer: dict[str, str]) -> None:
    plain = {k: CARD[k] for k in ("surname", "given_names", "document_number", "flight", "flight_date")}
    filed = client.post("/api/declarations", json=[plain, {**plain, "surname": "VERDI"}], headers=officer).json()
    assert len(filed["codes"]) == 2 and len(set(filed["codes"])) == 2 and all(CODE.match(c) for c in filed["codes"])
    assert client.get(f"/api/declarations/{filed['codes'][0]}", headers=officer).json()["surname"] == "ROSSI"


def test_the_summary_is_shown_only_right_after_filing(client: TestClient) -> None:
    code = declare(client, FORM).headers["location"].split("/declare/")[1].split("?")[0]
    assert "Milano" in client.get(f"/declare/{code}?lang=en").text
    client.app.dependency_overrides[now_utc] = lambda: datetime(2020, 3, 19, 12, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    later = client.get(f"/declare/{code}?lang=en")
    assert code in later.text and "<svg" in later.text and "Milano" not in later.text


def test_filing_is_rate_limited(sqlite_url: str) -> None:
    app = public_app(sqlite_url, limiter=RateLimiter(capacity=1, per=3600))
    app.dependency_overrides[now_utc] = lambda: DAY_BEFORE
    with TestClient(app) as client:
        assert declare(client, {**FORM, "surname": ""}).status_code == 422
        refused = declare(client, FORM)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0


def test_the_catalogue_loads_and_translates_every_card_message() -> None:
    with (LOCALE_DIR / "zh" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="zh")
    wanted = {message for _, _, message in BAD_VALUES} | {
        "Too early: the card can be filed at most 24 hours before arrival"
    }
    translated = {m.id for m in catalog if m.id and m.string}
    assert not {w for w in wanted if not any(str(t).startswith(w) for t in translated)}
