"""Filing a ship's call from the console (on SQLite and PostgreSQL): an officer uploads the MDH (JSON) and the crew
list (CSV/JSON) with the ETA in Beijing time and the port, and lands on the screened call; a bad file, an unusable
call, a passenger list, a file that is not UTF-8, empty or over 2 MB is refused with 422, the message next to its
field, what was typed kept and nothing filed; analysts get no form and may not file; signed out goes to /login."""

from __future__ import annotations

import html as markup
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kouan.app import create_app
from kouan.db import unit_of_work
from kouan.settings import Settings
from kouan.users.models import Role
from kouan.vessels.models import VesselCall
from tests.web.test_vessels_console import DATA, _client, build_harbour

CALL_URL = re.compile(r"^/console/vessels/(\d+)$")
FEVER = "mdh_ocean_crest_fever.json"
JIN_HAI = "mdh_jin_hai_fortune_all_no.json"


@pytest.fixture
def ids(database_url: str) -> dict[str, int]:
    return build_harbour(database_url)


@pytest.fixture
def officer(database_url: str, ids: dict[str, int]) -> Iterator[TestClient]:
    with _client(database_url) as client:
        yield client


def _sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


def _files(mdh: bytes | None, crew: bytes | None = None, *, crew_name: str = "crew.csv") -> dict[str, Any]:
    files: dict[str, Any] = {}
    if mdh is not None:
        files["mdh"] = ("mdh.json", mdh, "application/json")
    if crew is not None:
        files["crew"] = (crew_name, crew, "text/csv")
    return files


def _post(client: TestClient, *, mdh: bytes | None, crew: bytes | None = None, eta: str = "", port: str = "",
          crew_name: str = "crew.csv") -> Any:  # fmt: skip
    return client.post("/console/vessels", files=_files(mdh, crew, crew_name=crew_name),
                       data={"eta": eta, "port": port}, follow_redirects=False)  # fmt: skip


def _count(url: str) -> int:
    with unit_of_work(url) as session:
        return session.scalar(select(func.count()).select_from(VesselCall)) or 0


def _call(url: str, call_id: int) -> dict[str, Any]:
    with unit_of_work(url) as session:
        call = session.get(VesselCall, call_id)
        assert call is not None
        return {"imo": call.imo, "port": call.port, "eta": call.eta, "level": call.level, "crew": len(call.seafarers),
                "day": call.arrival_date}  # fmt: skip


def _error(html: str, field: str) -> str:
    found = re.findall(r'<p class="error field-error" data-field="(\w+)" role="alert">([^<]*)</p>', html)
    assert [f for f, _ in found] == [field], found
    return markup.unescape(found[0][1])


def _mdh_without(key: str) -> bytes:
    document = json.loads(_sample(FEVER))
    document["header"].pop(key)
    return json.dumps(document).encode()


def test_an_officer_sees_the_filing_form(officer: TestClient) -> None:
    html = officer.get("/console/vessels").text
    assert "File a call / 申报船舶" in html
    assert 'action="/console/vessels" enctype="multipart/form-data"' in html
    assert 'name="mdh" type="file"' in html and 'name="crew" type="file"' in html
    assert 'name="eta" type="datetime-local"' in html and 'id="file-port" name="port"' in html
    assert "field-error" not in html


def test_filing_the_fever_ship_lands_on_the_screened_call(database_url: str, officer: TestClient) -> None:
    before = _count(database_url)
    response = _post(officer, mdh=_sample(FEVER), eta="2020-03-25T10:00", port="cnmaa")
    assert response.status_code == 303
    match = CALL_URL.match(response.headers["location"])
    assert match is not None
    call = _call(database_url, int(match.group(1)))
    assert call["eta"] is not None
    assert call["eta"].astimezone(UTC) == datetime(2020, 3, 25, 2, 0, tzinfo=UTC)  # 10:00 Beijing time
    assert call["port"] == "CNMAA" and call["imo"] == "9074729" and call["level"] == "high"
    assert _count(database_url) == before + 1
    page = officer.get(response.headers["location"])
    assert page.status_code == 200 and "OCEAN CREST" in page.text and "high / 高" in page.text
    assert "ETA / 预抵 2020-03-25 10:00 CST" in page.text


def test_with_a_crew_list_and_no_port_or_eta_the_declaration_gives_them(database_url: str, officer: TestClient) -> None:
    response = _post(officer, mdh=_sample(JIN_HAI), crew=_sample("fal5_maanshan_2020.csv"))
    assert response.status_code == 303
    match = CALL_URL.match(response.headers["location"])
    assert match is not None
    call = _call(database_url, int(match.group(1)))
    assert call["port"] == "CNMAA" and call["eta"] is None and call["crew"] == 10
    assert call["day"].isoformat() == "2020-03-08"


def test_filing_the_same_ship_port_and_day_again_replaces_the_call(
    database_url: str, officer: TestClient, ids: dict[str, int]
) -> None:
    before = _count(database_url)
    response = _post(officer, mdh=_sample(FEVER), eta="2020-03-22T15:30", port="CNMAA")
    assert response.status_code == 303 and response.headers["location"] == f"/console/vessels/{ids['crest']}"
    assert _count(database_url) == before
    eta = _call(database_url, ids["crest"])["eta"]
    assert eta is not None and eta.astimezone(UTC) == datetime(2020, 3, 22, 7, 30, tzinfo=UTC)


BAD = [
    pytest.param({"mdh": b"{ not json"}, "mdh", "at line 1 column 3: not JSON", id="mdh-not-json"),
    pytest.param({"mdh": b'{"header": 3}'}, "mdh", "at $.header: no header object", id="mdh-no-header"),
    pytest.param({"mdh": b'{"header": "\xff\xfe"}'}, "mdh", "byte 12 is not UTF-8", id="mdh-not-utf8"),
    pytest.param({"mdh": b""}, "mdh", "mdh.json is empty", id="mdh-empty"),
    pytest.param({"mdh": None}, "mdh", "no file was chosen", id="mdh-missing"),
    pytest.param({"mdh": b" " * (2 * 1024 * 1024 + 1)}, "mdh", "is over 2 MB", id="mdh-too-big"),
    pytest.param({"crew": b"hello,world\n1,2\n"}, "crew", 'at row 1: no "Family name" heading', id="crew-not-fal"),
    pytest.param({"crew": b""}, "crew", "crew.csv is empty", id="crew-empty"),
    pytest.param({"crew": b"x" * (2 * 1024 * 1024 + 1)}, "crew", "is over 2 MB", id="crew-too-big"),
    pytest.param({"crew": "Name of ship,é".encode("latin-1")}, "crew", "is not UTF-8", id="crew-not-utf8"),
    pytest.param({"eta": "22 March"}, "eta", "22 March is not a date and time", id="eta"),
    pytest.param({"port": "CN MAA"}, "port", "CN MAA is not a UN/LOCODE", id="port"),
    pytest.param({"mdh": _mdh_without("registration_or_imo_no")}, "mdh", "no valid IMO number", id="mdh-no-imo"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD)
def test_an_unusable_upload_is_refused_next_to_its_field_and_nothing_is_filed(
    database_url: str, officer: TestClient, change: dict[str, Any], field: str, message: str
) -> None:
    given: dict[str, Any] = {"mdh": _sample(FEVER), "crew": None, "eta": "2020-03-25T10:00", "port": "CNMAA"}
    given |= change
    before = _count(database_url)
    response = _post(officer, **given)
    assert response.status_code == 422
    shown = _error(response.text, field)
    assert message in shown
    assert f'name="eta" type="datetime-local" value="{given["eta"]}"' in response.text
    assert f'name="port" value="{given["port"]}"' in response.text
    assert _count(database_url) == before


def test_an_unknown_port_is_refused_next_to_the_port(database_url: str, officer: TestClient) -> None:
    before = _count(database_url)
    response = _post(officer, mdh=_mdh_without("submitted_at_port"), eta="2020-03-25T10:00")
    assert response.status_code == 422
    assert "the port of arrival is unknown" in _error(response.text, "port")
    assert 'value="2020-03-25T10:00"' in response.text and _count(database_url) == before


def test_a_passenger_list_is_refused_as_the_crew_list(database_url: str, officer: TestClient) -> None:
    before = _count(database_url)
    response = _post(officer, mdh=_sample(FEVER), crew=_sample("fal6_weihai_ferry.csv"), port="CNWHI",
                     crew_name="fal6_weihai_ferry.csv")  # fmt: skip
    assert response.status_code == 422
    shown = _error(response.text, "crew")
    assert "Check the crew list / 请检查船员名单" in shown
    assert "at crew_list: a crew list (FAL Form 5) is needed, not a passenger list" in shown
    assert 'name="port" value="CNWHI"' in response.text and _count(database_url) == before


def test_an_analyst_gets_no_form_and_may_not_file(database_url: str, ids: dict[str, int]) -> None:
    with _client(database_url, role=Role.analyst) as analyst:
        html = analyst.get("/console/vessels").text
        assert "File a call / 申报船舶" not in html and 'type="file"' not in html
        before = _count(database_url)
        response = _post(analyst, mdh=_sample(FEVER), eta="2020-03-25T10:00", port="CNMAA")
        assert response.status_code == 403
        assert "Not permitted / 无权操作: role analyst may not file vessel calls" in _error(response.text, "form")
        assert _count(database_url) == before


def test_an_admin_may_file(database_url: str, ids: dict[str, int]) -> None:
    with _client(database_url, role=Role.admin) as admin:
        assert "File a call / 申报船舶" in admin.get("/console/vessels").text
        response = _post(admin, mdh=_sample(FEVER), eta="2020-03-26T09:00", port="CNMAA")
        assert response.status_code == 303 and CALL_URL.match(response.headers["location"])


def test_signed_out_filing_goes_to_login(database_url: str, ids: dict[str, int]) -> None:
    before = _count(database_url)
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        response = _post(client, mdh=_sample(FEVER), port="CNMAA")
        assert response.status_code == 303 and response.headers["location"] == "/login"
    assert _count(database_url) == before
