"""`kouan formats fal FILE` and `kouan formats mdh FILE`: JSON on stdout, exit 2 naming why a file is unusable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kouan.cli import app

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def test_fal_prints_the_crew_list() -> None:
    result = runner.invoke(app, ["formats", "fal", str(DATA / "fal5_maanshan_2020.csv")])
    parsed = json.loads(result.stdout)
    assert result.exit_code == 0
    assert parsed["form"] == 5 and parsed["warnings"] == []
    assert parsed["ship"]["imo"] == "9321483"
    first = parsed["crew"][0]
    assert [first[key] for key in ("surname", "given_names", "nationality", "birth_date", "birth_place")] == [
        "WANG",
        "JIANGUO",
        "CHN",
        "1971-06-02",
        "Dalian",
    ]
    assert (first["document_type"], first["document_number"]) == ("passport", "E12764510")


def test_fal_prints_a_passenger_list_as_passengers() -> None:
    result = runner.invoke(app, ["formats", "fal", str(DATA / "fal6_weihai_ferry.csv")])
    parsed = json.loads(result.stdout)
    assert result.exit_code == 0
    assert parsed["form"] == 6 and "crew" not in parsed
    assert [p["surname"] for p in parsed["passengers"]] == ["KIM", "PARK", "LIU", "IVANOV"]


@pytest.mark.parametrize("name", ["fal5_dirty.csv", "fal5_jin_hai_fortune.json"])
def test_fal_with_bad_rows_exits_0_and_lists_the_warnings(name: str) -> None:
    result = runner.invoke(app, ["formats", "fal", str(DATA / name)])
    parsed = json.loads(result.stdout)
    assert result.exit_code == 0
    assert parsed["warnings"] and parsed["crew"]
    assert all(set(warning) == {"segment", "message"} for warning in parsed["warnings"])


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("Name,Age\nLI,40\n", 'no "Family name" heading'),
        ('{"ship": {}}', 'no "crew" or "passengers" list'),
        ("{broken", "not JSON"),
    ],
)
def test_fal_exits_2_for_a_file_that_is_no_fal_list(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "list.csv"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["formats", "fal", str(path)])
    assert result.exit_code == 2
    assert reason in result.stderr and result.stdout == ""


def test_fal_exits_2_for_a_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["formats", "fal", str(tmp_path / "absent.csv")])
    assert result.exit_code == 2
    assert "absent.csv" in result.stderr


def test_mdh_prints_the_declaration() -> None:
    result = runner.invoke(app, ["formats", "mdh", str(DATA / "mdh_ocean_crest_fever.json")])
    parsed = json.loads(result.stdout)
    assert result.exit_code == 0
    assert parsed["ship"]["imo"] == "9074729" and parsed["warnings"] == []
    assert [a["number"] for a in parsed["answers"] if a["answer"]] == [2, 4, 7]
    assert parsed["schedule"][0]["onset"] == "2020-03-16"
    assert parsed["ports_of_call"][-1]["port"]["region_code"] == "CN-SH"


def test_mdh_with_warnings_exits_0(tmp_path: Path) -> None:
    document = json.loads((DATA / "mdh_jin_hai_fortune_all_no.json").read_text(encoding="utf-8"))
    document["header"]["submitted_at_port"] = "CNQQQ"
    path = tmp_path / "mdh.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = runner.invoke(app, ["formats", "mdh", str(path)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["warnings"] == [
        {"segment": "$.header.submitted_at_port", "message": "unknown UN/LOCODE 'CNQQQ'"}
    ]


def test_mdh_exits_2_for_a_file_that_is_no_declaration() -> None:
    result = runner.invoke(app, ["formats", "mdh", str(DATA / "fal5_maanshan_2020.csv")])
    assert result.exit_code == 2
    assert "not JSON" in result.stderr
