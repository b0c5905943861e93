"""The vessels' early-warning pages of the console, through the ASGI app (on SQLite and PostgreSQL): the calls at a
port with their ETA in Beijing time, the highest level first within a day, the early warning said; one call's
screening with its ports of call, crew and parse warnings; 404 for an unknown call; signed-out to /login."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kouan.api.deps import COOKIE
from kouan.app import create_app
from kouan.db import unit_of_work
from kouan.formats.fal import parse_fal
from kouan.formats.mdh import parse_mdh
from kouan.settings import Settings
from kouan.sharing.agencies.models import Agency
from kouan.users.models import Role
from kouan.users.service import create_user
from kouan.vessels.models import VesselCall
from kouan.vessels.service import file_call

DATA = Path(__file__).resolve().parents[1] / "formats" / "data"
ROW = re.compile(r'<tr class="call level-(\w+)" data-id="(\d+)"')
DAY = re.compile(r'<tbody class="vessel-day" data-day="([\d-]+)">')


def _file(url: str, *, mdh: str, crew: str | None, eta: datetime, port: str | None = None) -> int:
    with unit_of_work(url) as session:
        declaration = parse_mdh((DATA / mdh).read_text(encoding="utf-8"))
        crew_list = parse_fal((DATA / crew).read_text(encoding="utf-8")) if crew else None
        call = file_call(session=session, mdh=declaration, crew=crew_list, eta=eta, port=port, actor="test")
        return call.id


def build_harbour(url: str) -> dict[str, int]:
    """Ma'anshan (CNMAA) with its customs quarantine: JIN HAI FORTUNE on 9 March (10 crew; its level depends on
    Newcastle's figures) and again early on 22 March Beijing time (21 March UTC; a dirty crew list), OCEAN CREST
    with a fever case on 22 March afternoon; OCEAN CREST also at Weihai (CNWHI), where no agency is listed, so no
    early warning went out."""
    with unit_of_work(url) as session:
        session.add(
            Agency(code="cnmaa-cq", name="Ma'anshan Customs / 马鞍山海关", kind="customs_quarantine", port="CNMAA")
        )
    return {
        "march": _file(url, mdh="mdh_jin_hai_fortune_all_no.json", crew="fal5_maanshan_2020.csv",
                       eta=datetime(2020, 3, 9, 1, 30, tzinfo=UTC)),
        "jin_hai": _file(url, mdh="mdh_jin_hai_fortune_all_no.json", crew="fal5_jin_hai_fortune.json",
                         eta=datetime(2020, 3, 21, 17, 0, tzinfo=UTC)),
        "crest": _file(url, mdh="mdh_ocean_crest_fever.json", crew=None, eta=datetime(2020, 3, 22, 6, 0, tzinfo=UTC),
                       port="CNMAA"),
        "weihai": _file(url, mdh="mdh_ocean_crest_fever.json", crew=None, eta=datetime(2020, 3, 22, 6, 0, tzinfo=UTC)),
    }  # fmt: skip


def _client(url: str, *, role: Role = Role.officer) -> TestClient:
    with unit_of_work(url) as session:
        _, token = create_user(session=session, username=f"harbour-{role.value}", role=role)
    client = TestClient(create_app(Settings(database_url=url, port_of_entry="PEK")))
    client.cookies.set(COOKIE, token)
    return client


@pytest.fixture
def ids(database_url: str) -> dict[str, int]:
    return build_harbour(database_url)


@pytest.fixture
def officer(database_url: str, ids: dict[str, int]) -> Iterator[TestClient]:
    with _client(database_url) as client:
        yield client


def _row_html(html: str, call_id: int) -> str:
    start = html.index(f'data-id="{call_id}"')
    return html[start : html.index("</tr>", start)]


def _level(url: str, call_id: int) -> str:
    with unit_of_work(url) as session:
        call = session.get(VesselCall, call_id)
        assert call is not None
        return call.level


def test_the_list_gives_the_ports_calls_by_local_day_the_highest_first(
    database_url: str, officer: TestClient, ids: dict[str, int]
) -> None:
    response = officer.get("/console/vessels")
    assert response.status_code == 200
    order = [ids["march"], ids["crest"], ids["jin_hai"]]
    assert ROW.findall(response.text) == [(_level(database_url, i), str(i)) for i in order]
    assert _level(database_url, ids["crest"]) == "high" and _level(database_url, ids["jin_hai"]) == "low"
    assert DAY.findall(response.text) == ["2020-03-09", "2020-03-22"]  # 21 March 17:00 UTC is the 22nd in Beijing
    assert "Vessels arriving / 预抵船舶" in response.text and "3 calls" in response.text


def test_a_row_gives_eta_in_beijing_time_the_ship_level_and_crew(officer: TestClient, ids: dict[str, int]) -> None:
    html = officer.get("/console/vessels", params={"port": "cnmaa"}).text
    crest, jin_hai = _row_html(html, ids["crest"]), _row_html(html, ids["jin_hai"])
    assert "2020-03-22 14:00" in crest and "CST" in crest
    assert "2020-03-22 01:00" in jin_hai
    assert "OCEAN CREST" in crest and "IMO 9074729" in crest and "PA" in crest
    assert "high / 高" in crest and "low / 低" in jin_hai
    assert "MDH question 2 answered yes" in crest and "Boarding quarantine at the anchorage" in crest
    assert re.search(r'class="count">2</span> crew / 人<span class="crew-flagged"><strong>1</strong>', crest)
    assert "crew-flagged" not in jin_hai
    assert "Early warning sent / 已预警" in crest and "Early warning sent / 已预警" in jin_hai


def test_discrepancies_are_marked_on_the_row(officer: TestClient, ids: dict[str, int]) -> None:
    html = officer.get("/console/vessels").text
    jin_hai, march = _row_html(html, ids["jin_hai"]), _row_html(html, ids["march"])
    assert "⚠ 2 discrepancies / 不一致" in jin_hai
    assert "MDH declares 10 crew on board, the crew list names 3" in jin_hai
    assert "none / 无" in march and "⚠" not in march


def test_another_port_and_a_since_day_filter_the_list(officer: TestClient, ids: dict[str, int]) -> None:
    weihai = officer.get("/console/vessels", params={"port": "CNWHI"}).text
    assert [int(i) for _, i in ROW.findall(weihai)] == [ids["weihai"]]
    assert "Not sent / 未预警" in _row_html(weihai, ids["weihai"])
    later = officer.get("/console/vessels", params={"since": "2020-03-20"}).text
    assert {int(i) for _, i in ROW.findall(later)} == {ids["crest"], ids["jin_hai"]}
    assert officer.get("/console/vessels", params={"port": "CN MAA"}).status_code == 422


def test_a_port_without_calls_says_so(officer: TestClient) -> None:
    html = officer.get("/console/vessels", params={"port": "CNSHA"}).text
    assert "No vessel calls at CNSHA. / 暂无预抵船舶。" in html
    assert ROW.findall(html) == []


def test_a_call_page_gives_the_screening_ports_and_crew(officer: TestClient, ids: dict[str, int]) -> None:
    response = officer.get(f"/console/vessels/{ids['crest']}")
    assert response.status_code == 200
    html = response.text
    assert "ETA / 预抵 2020-03-22 14:00 CST" in html and "high / 高" in html
    assert re.findall(r'<li class="port-call"><span class="locode">(\w+)</span>', html) == ["JPYOK", "KRPUS", "CNSHA"]
    crew = re.findall(r'<tr class="seafarer level-(\w+)"', html)
    assert crew == ["high", "low"]  # PARK joined at Busan 19 days before arrival: outside the 14 days
    assert "MOROZ, TARAS" in html and "PARK, JI-HOON" in html and "is in the MDH schedule of ill persons" in html
    assert "Other ports of call low: Shanghai (CNSHA) 2020-03-18" in html
    assert "Early warning sent / 已预警" in html and "Crew / 船员" in html


def test_a_call_page_gives_ranks_nationalities_discrepancies_and_parse_warnings(
    officer: TestClient, ids: dict[str, int]
) -> None:
    march = officer.get(f"/console/vessels/{ids['march']}").text
    santos = march[march.index("SANTOS, MARK ANTHONY") : march.index("</tr>", march.index("SANTOS, MARK ANTHONY"))]
    assert "Second Officer" in santos and "PHL" in santos and "SGSIN" in santos and "2020-02-24" in santos
    assert "low / 低" in santos and "Joined from Singapore (SGSIN)" in santos
    assert "Parse warnings / 解析提示" not in march
    html = officer.get(f"/console/vessels/{ids['jin_hai']}").text
    assert html.count("⚠ discrepancy / 不一致") == 2
    assert "Parse warnings / 解析提示" in html and "1985-02-30 is not a date" in html


def test_an_unknown_call_is_404_and_a_bad_id_422(officer: TestClient) -> None:
    assert officer.get("/console/vessels/999999").status_code == 404
    assert officer.get("/console/vessels/0").status_code == 422


def test_signed_out_goes_to_login(database_url: str, ids: dict[str, int]) -> None:
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        for path in ("/console/vessels", f"/console/vessels/{ids['crest']}"):
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 303 and response.headers["location"] == "/login"


@pytest.mark.parametrize("role", [Role.analyst, Role.admin])
def test_analysts_and_admins_may_view(database_url: str, ids: dict[str, int], role: Role) -> None:
    with _client(database_url, role=role) as client:
        assert len(ROW.findall(client.get("/console/vessels").text)) == 3
        assert client.get(f"/console/vessels/{ids['crest']}").status_code == 200


def test_the_navigation_links_the_vessels_page(officer: TestClient) -> None:
    html = officer.get("/console/referrals").text
    assert '<a href="/console/vessels">Vessels / 船舶</a>' in html
