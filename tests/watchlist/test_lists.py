"""Watchlists on SQLite and PostgreSQL: each import is a version with its differences kept, an entry past its
valid-to stops being in force, FollowTheMoney entities are read, and a bad file is refused whole, naming its place.
Through the service, `kouan watchlist import|lists` and the API."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from kouan.api.deps import COOKIE
from kouan.app import create_app
from kouan.cli import app as cli
from kouan.db import unit_of_work
from kouan.formats.records import FormatError
from kouan.settings import Settings
from kouan.users.models import Role
from kouan.users.service import create_user
from kouan.watchlist.entries import read_entries
from kouan.watchlist.models import ListKind, WatchlistVersion
from kouan.watchlist.service import Source, changes, entries_in_force, import_list, lists

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def _import(url: str, name: str, *, kind: ListKind = ListKind.exit_ban, form: str = "csv", text: str = "") -> int:
    with unit_of_work(url) as session:
        read = read_entries(text or (DATA / name).read_text(), form=form)
        return import_list(session=session, name="NIA-EXIT", kind=kind, read=read,
                           source=Source(name=name, form=form, actor="admin1")).version  # fmt: skip


def test_each_import_is_a_version_that_keeps_what_it_added_removed_and_changed(database_url: str) -> None:
    assert _import(database_url, "exit_bans_v1.csv") == 1
    assert _import(database_url, "exit_bans_v2.csv") == 2
    with unit_of_work(database_url) as session:
        first, second = (
            changes(session=session, name="NIA-EXIT", version=1),
            changes(session=session, name="NIA-EXIT", version=2),
        )
    assert [c.key for c in first.added] == ["EB-001", "EB-002", "EB-003", "EB-004"]
    assert [c.key for c in second.added] == ["EB-005"] and [c.key for c in second.removed] == ["EB-003"]
    (changed,) = second.changed
    assert changed.key == "EB-001" and changed.before and changed.after
    assert [n["name"] for n in changed.after["names"]] == ["ZHANG WEI", "张伟", "CHEUNG WAI", "CHANG WEI"]
    assert [n["script"] for n in changed.before["names"]] == ["latin", "han", "latin"]


def test_an_entry_past_its_valid_to_is_no_longer_in_force(database_url: str) -> None:
    _import(database_url, "exit_bans_v2.csv")
    with unit_of_work(database_url) as session:
        in_february = {f.entry["key"] for f in entries_in_force(session=session, on=date(2020, 2, 15))}
        in_march = entries_in_force(session=session, on=date(2020, 3, 15))
        (listed,) = lists(session=session, on=date(2020, 3, 15))
    assert in_february == {"EB-001", "EB-002"}  # EB-004 and EB-005 start in March
    assert {f.entry["key"] for f in in_march} == {"EB-001", "EB-004", "EB-005"}  # EB-002 ended on 29 February
    assert {(f.watchlist, f.kind, f.version) for f in in_march} == {("NIA-EXIT", ListKind.exit_ban, 1)}
    assert (listed.entries, listed.in_force, listed.version) == (4, 3, 1)


def test_followthemoney_persons_are_read_and_other_schemata_skipped() -> None:
    read = read_entries((DATA / "entities.ftm.jsonl").read_text(), form="ftm")
    assert read.skipped == 2  # the company and the sanction
    hsu, park = read.entries
    assert (hsu.key, hsu.birth_date, hsu.nationality, hsu.sex) == ("NK-ftm-001", "1972", "TWN", "M")
    assert [(n.name, n.alias, n.script) for n in hsu.names] == [
        ("HSU Chih-ming", False, "latin"), ("XU Zhiming", True, "latin"), ("許志明", True, "han")
    ]  # fmt: skip
    assert [(d.number, d.type) for d in hsu.documents] == [("312345678", "P")]
    assert hsu.legal_basis == "lost or stolen travel document"
    assert (park.names[0].name, park.nationality, park.documents[0].type) == ("Ji-hoon Park", "KOR", "I")


@pytest.mark.parametrize(
    ("text", "form", "place"),
    [
        ("id,name,birth_date\nA,ZHANG WEI,1980\nB,LI NA,1990-13\n", "csv", "row 3 birth_date"),
        ("id,name,nationality\nA,ZHANG WEI,ZZZ\n", "csv", "row 2 nationality"),
        ("id,name\nA,ZHANG WEI\nA,LI NA\n", "csv", "entry 2"),
        ("id,surname\nA,ZHANG\n", "csv", "row 1"),
        ('[{"name": "LI NA", "valid_from": "2020-03-01", "valid_to": "2020-02-01"}]', "json", "entry 1 valid_to"),
        ('{"schema": "Person", "properties": {"name": ["A"]}}\nnot json\n', "ftm", "line 2"),
    ],
)
def test_a_bad_file_names_the_place_of_its_first_problem(text: str, form: str, place: str) -> None:
    with pytest.raises(FormatError) as raised:
        read_entries(text, form=form)
    assert raised.value.position == place


def _kouan(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.stdout + result.stderr


def test_the_commands_import_and_list_and_refuse_a_bad_file_whole(store: str, tmp_path: Path) -> None:
    code, out = _kouan("watchlist", "import", str(DATA / "exit_bans_v1.csv"), "--list", "NIA-EXIT", "--kind",
                       "exit_ban", "--by", "admin1")  # fmt: skip
    assert code == 0, out
    assert {k: json.loads(out)[k] for k in ("watchlist", "version", "added", "removed")} == {
        "watchlist": "NIA-EXIT", "version": 1, "added": 4, "removed": 0
    }  # fmt: skip
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,birth_date\nX,ZHAO LEI,1981\nY,SUN LI,19xx\n")
    code, out = _kouan("watchlist", "import", str(bad), "--list", "NIA-EXIT", "--kind", "exit_ban")
    assert code == 2 and "row 3 birth_date" in out and "Traceback" not in out
    code, out = _kouan("watchlist", "lists")
    assert code == 0 and [(x["name"], x["version"], x["entries"]) for x in json.loads(out)] == [("NIA-EXIT", 1, 4)]


def _client(url: str, role: Role) -> TestClient:
    with unit_of_work(url) as session:
        _, token = create_user(session=session, username=f"{role.value}-1", role=role)
    client = TestClient(create_app(Settings(database_url=url)))
    client.cookies.set(COOKIE, token)
    return client


def _post(client: TestClient, name: str, text: str, kind: str = "exit_ban") -> tuple[int, dict]:
    answer = client.post(f"/api/watchlists/{name}/versions", content=text.encode(), params={"kind": kind},
                         headers={"Content-Type": "text/plain"})  # fmt: skip
    return answer.status_code, answer.json()


def test_the_api_imports_for_administrators_and_refuses_a_bad_file_or_another_kind(database_url: str) -> None:
    with _client(database_url, Role.admin) as admin, _client(database_url, Role.officer) as officer:
        assert _post(officer, "NIA-EXIT", (DATA / "exit_bans_v1.csv").read_text())[0] == 403
        code, version = _post(admin, "NIA-EXIT", (DATA / "exit_bans_v1.csv").read_text())
        assert code == 201 and (version["version"], version["added"]) == (1, 4)
        code, refused = _post(admin, "NIA-EXIT", "id,name,sex\nA,LI NA,Q\n")
        assert code == 422 and refused["detail"]["position"] == "row 2 sex"
        assert _post(admin, "NIA-EXIT", "name\nLI NA\n", kind="wanted")[0] == 409  # an exit-ban list stays one
        assert officer.get("/api/watchlists/NIA-EXIT/versions").status_code == 403  # officers see hits, not lists
        assert admin.get("/api/watchlists/NIA-EXIT/versions").json()[0]["imported_by"] == "user:admin-1"
        added = admin.get("/api/watchlists/NIA-EXIT/versions/1/changes").json()["added"]
        assert [a["after"]["names"][0]["name"] for a in added][:2] == ["ZHANG WEI", "WANG FANG"]
    with unit_of_work(database_url) as session:
        assert session.scalar(select(func.count()).select_from(WatchlistVersion)) == 1  # the refusals kept nothing


def test_the_console_shows_each_list_and_what_a_version_changed(database_url: str) -> None:
    _import(database_url, "exit_bans_v1.csv")
    _import(database_url, "exit_bans_v2.csv")
    with _client(database_url, Role.analyst) as analyst, _client(database_url, Role.officer) as officer:
        assert officer.get("/console/watchlists").status_code == 403
        index = analyst.get("/console/watchlists").text
        assert "NIA-EXIT" in index and "Exit ban / 不准出境" in index and "v2" in index
        latest = analyst.get("/console/watchlists/NIA-EXIT").text
        first = analyst.get("/console/watchlists/NIA-EXIT", params={"version": 1}).text
        missing = analyst.get("/console/watchlists/NO-SUCH")
    assert 'class="added" data-key="EB-005"' in latest and "PARK JI-HOON" in latest
    assert 'class="removed" data-key="EB-003"' in latest and "CHEN DAWEN" in latest
    assert 'class="changed" data-key="EB-001"' in latest and "CHANG WEI" in latest
    assert first.count('class="added"') == 4 and 'class="removed"' not in first
    assert missing.status_code == 404
