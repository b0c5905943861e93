"""The command-line contracts: `kouan formats paxlst`, `kouan screen`, `kouan measures import-jhu`, `kouan users`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kouan.cli import app
from kouan.settings import get_settings
from tests.conftest import SAMPLES
from tests.support.messages import document_number, passenger_list, pnr_push

ROSSI_PASSPORT = document_number("ROSSI:MARIO")

runner = CliRunner()


def kouan(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout


def test_formats_paxlst_prints_the_contract_json() -> None:
    code, out = kouan("formats", "paxlst", str(SAMPLES / "paxlst_cbp_guide_d05b.edi"))
    parsed = json.loads(out)
    assert code == 0
    assert parsed["message_type"] == "passengers" and parsed["declared_count"] == 1
    assert [(leg["from"], leg["to"]) for leg in parsed["voyage"]["legs"]] == [("YVR", "JFK"), ("JFK", "ATL")]
    doe = parsed["travellers"][0]
    assert (doe["surname"], doe["birth_date"], doe["nationality"], doe["seat"]) == (
        "DOE",
        "1957-01-21",
        "CAN",
        "23C",
    )


def test_formats_paxlst_exits_2_naming_the_position(tmp_path: Path) -> None:
    bad = tmp_path / "bad.edi"
    bad.write_text("UNH+1+PAXLST:D:05B:UN:IATA'BGM+999'")
    result = subprocess.run(
        [sys.executable, "-m", "kouan.cli", "formats", "paxlst", str(bad)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert result.returncode == 2
    assert "bad.edi" in result.stderr and "BGM" in result.stderr
    assert result.stdout == ""


def test_screen_ranks_rome_above_ulaanbaatar_and_as_of_reaches_back(store: str, tmp_path: Path) -> None:
    rome, ulan = tmp_path / "rome.edi", tmp_path / "ulan.edi"
    rome.write_text(passenger_list(names=["ROSSI:MARIO"], legs=[("FCO", "PEK", "2003201830")]))
    ulan.write_text(
        passenger_list(names=["BATAA:BOLD"], legs=[("ULN", "PEK", "2003201030")], carrier="OM", number="OM223")
    )
    levels = {}
    for path in (rome, ulan):
        code, out = kouan("screen", str(path))
        assert code == 0
        levels[path.stem] = json.loads(out)["results"][0]
    assert (levels["rome"]["level"], levels["ulan"]["level"]) == ("high", "low")
    assert {"rule", "text", "region", "source_date"} <= set(levels["rome"]["reasons"][0])
    code, out = kouan("screen", str(rome), "--as-of", "2020-02-15")
    assert json.loads(out)["results"][0]["level"] == "low"


def test_screen_says_a_departure_manifest_is_not_screened(store: str, tmp_path: Path) -> None:
    leaving = tmp_path / "ca937.edi"
    leaving.write_text(passenger_list(names=["ROSSI:MARIO"], legs=[("PEK", "LHR", "2003152000")], number="CA937"))
    result = runner.invoke(app, ["screen", str(leaving)])
    assert result.exit_code == 2 and "a departure manifest (an exit at PEK)" in result.stderr


def test_screen_rejects_a_bad_date_clearly(store: str) -> None:
    result = runner.invoke(app, ["screen", str(SAMPLES / "paxlst_cbp_guide_d05b.edi"), "--as-of", "15/03/2020"])
    assert result.exit_code == 2
    assert "--as-of" in result.stderr


def test_users_create_prints_a_token_once_and_refuses_a_duplicate(store: str) -> None:
    code, out = kouan("users", "create", "duty1", "--role", "analyst")
    assert code == 0 and json.loads(out)["role"] == "analyst" and len(json.loads(out)["token"]) > 30
    again = runner.invoke(app, ["users", "create", "duty1"])
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_ingest_files_a_folder_and_reports_rejects_without_losing_the_good(store: str, tmp_path: Path) -> None:
    (tmp_path / "a.edi").write_text(passenger_list(names=["ROSSI:MARIO"]))
    (tmp_path / "b.edi").write_text("garbage")
    result = runner.invoke(app, ["ingest", str(tmp_path)])
    assert result.exit_code == 1
    assert "filed 1" in result.stderr and "b.edi" in result.stderr
    again = runner.invoke(app, ["ingest", str(tmp_path / "a.edi")])
    assert again.exit_code == 0 and "unchanged 1" in again.stderr


def test_screen_with_a_pnr_screens_the_booked_origin(store: str, tmp_path: Path) -> None:
    manifest, booking = tmp_path / "ek308.edi", tmp_path / "ek308.pnr"
    manifest.write_text(
        passenger_list(names=["ROSSI:MARIO"], legs=[("DXB", "PEK", "2003200340")], carrier="EK", number="EK308")
    )
    booking.write_text(
        pnr_push(
            booking_ref="ABC123",
            people=["ROSSI:MARIO"],
            legs=[("EK", "92", "MXP", "DXB", "2003191030"), ("EK", "308", "DXB", "PEK", "2003200340")],
            documents=[ROSSI_PASSPORT],
        )
    )
    alone = json.loads(kouan("screen", str(manifest))[1])["results"][0]
    code, out = kouan("screen", str(manifest), "--pnr", str(booking))
    joined = json.loads(out)["results"][0]
    assert code == 0 and alone["level"] != "high"
    assert joined["level"] == "high"
    top = joined["reasons"][0]
    assert (top["region"], top["source"]) == ("ITA", "pnr-origin") and "PNR ABC123" in top["text"]


def test_crossings_import_keeps_good_rows_and_names_bad_lines(store: str, tmp_path: Path) -> None:
    path = tmp_path / "exits.csv"
    path.write_text(
        "direction,port,crossed_at,surname,given_names,birth_date,nationality,document_number,country,flight\n"
        "exit,PEK,2020-02-20T09:00:00+08:00,ROSSI,MARIO,1970-01-01,ITA,YA1000000,ITA,CA939\n"
        "sideways,PEK,2020-02-21T09:00:00+08:00,VERDI,ANNA,1971-01-02,ITA,YA1000001,ITA,CA939\n"
    )
    result = runner.invoke(app, ["crossings", "import", str(path)])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["added"] == 1
    assert "exits.csv line 3" in result.stderr and "direction" in result.stderr


def test_declarations_import_reports_a_json_error_with_its_line(store: str, tmp_path: Path) -> None:
    path = tmp_path / "declarations.json"
    path.write_text('[\n  {"surname": "ROSSI",\n  "places": [}\n]')
    result = runner.invoke(app, ["declarations", "import", str(path)])
    assert result.exit_code == 2 and "declarations.json line 3" in result.stderr


def test_crossings_link_finds_the_same_person_in_earlier_crossings(store: str, tmp_path: Path) -> None:
    path = tmp_path / "crossings.csv"
    header = "direction,port,crossed_at,surname,given_names,birth_date,nationality,document_number,country\n"
    rows = [
        "exit,PEK,2020-02-20T09:00:00+00:00,ROSSI,MARIO,1970-01-01,ITA,YA1,ITA",
        "entry,PEK,2020-03-15T09:00:00+00:00,ROSSI,MARIO,1970-01-01,ITA,YA1,ITA",
        "exit,PEK,2020-02-21T09:00:00+00:00,WANG,XIAOMING,1985-05-05,CHN,E111,ITA",
        "entry,PEK,2020-03-15T10:00:00+00:00,XIAOMING,WANG,1985-05-05,CHN,E999,ITA",
        "entry,PEK,2020-03-15T11:00:00+00:00,LI,NA,1990-09-09,CHN,E555,JPN",
    ]
    path.write_text(header + "\n".join(rows) + "\n")
    assert runner.invoke(app, ["crossings", "import", str(path)]).exit_code == 0
    out = tmp_path / "links.parquet"
    result = runner.invoke(app, ["crossings", "link", "--day", "2020-03-15", "--out", str(out)])
    summary = json.loads(result.stdout)
    assert result.exit_code == 0, result.stderr
    assert (summary["crossings"], summary["history"]) == (3, 2)
    assert summary["by_method"].get("document") == 1
    assert out.exists() and summary["links"] >= 1


def test_crossings_persons_links_each_day_into_the_person_index(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KOUAN_CROSSING_HISTORY_DIR", str(tmp_path / "history"))
    get_settings.cache_clear()
    path = tmp_path / "crossings.csv"
    header = "direction,port,crossed_at,surname,given_names,birth_date,nationality,document_number,country\n"
    rows = [
        "exit,PEK,2020-02-20T09:00:00+00:00,ROSSI,MARIO,1970-01-01,ITA,YA1,ITA",
        "entry,PEK,2020-03-15T09:00:00+00:00,ROSSI,MARIO,1970-01-01,ITA,YA1,ITA",
        "entry,PEK,2020-03-15T11:00:00+00:00,CHEN,WEI,1990-09-09,CHN,YA1,JPN",
    ]
    path.write_text(header + "\n".join(rows) + "\n")
    assert runner.invoke(app, ["crossings", "import", str(path)]).exit_code == 0
    first = runner.invoke(app, ["crossings", "persons", "--day", "2020-02-20"])
    assert first.exit_code == 0, first.stderr
    assert json.loads(first.stdout)["by_method"] == {"new": 1}
    result = runner.invoke(app, ["crossings", "persons", "--day", "2020-03-15"])
    assert json.loads(result.stdout)["by_method"] == {"document": 1, "new": 1}
    assert (tmp_path / "history" / "persons" / "forms.parquet").exists()
    get_settings.cache_clear()
