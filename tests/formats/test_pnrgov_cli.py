"""`kouan formats pnrgov FILE`: the bookings of a push as JSON, or exit 2 naming where the file is unusable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kouan.cli import app
from tests.conftest import PNRGOV_GTAS

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def test_prints_the_bookings_as_json() -> None:
    result = runner.invoke(app, ["formats", "pnrgov", str(DATA / "pnrgov_ek308_multi_pnr.edi")])
    parsed = json.loads(result.stdout)
    assert result.exit_code == 0
    assert (parsed["flight"]["carrier"], parsed["flight"]["number"], parsed["flight"]["to"]) == ("EK", "308", "PEK")
    assert [pnr["booking_ref"] for pnr in parsed["pnrs"]] == ["QX4T7B", "R2D8KQ", "T8LMV3"]
    assert [(leg["from"], leg["to"], leg["flight"]) for leg in parsed["pnrs"][0]["itinerary"]] == [
        ("MXP", "DXB", "92"),
        ("DXB", "PEK", "308"),
    ]
    assert parsed["pnrs"][0]["passengers"][0]["documents"][0]["number"] == "YA4417265"


def test_real_sample_prints_its_warnings() -> None:
    result = runner.invoke(app, ["formats", "pnrgov", str(PNRGOV_GTAS)])
    parsed = json.loads(result.stdout)
    assert result.exit_code == 0
    assert [w["segment"] for w in parsed["warnings"]] == ["UNT (segment 26)", "UNZ (segment 28)"]
    assert [p["surname"] for p in parsed["pnrs"][0]["passengers"]] == ["DORON", "LENDROT"]


@pytest.mark.parametrize(
    "content, position",
    [
        ("not a carrier message", "character 1"),
        ("UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'UNT+3+1'", "segment 1 (UNH)"),
        ("UNH+1+PNRGOV:13:1:IA'MSG+:22'EQN+0'UNT+4+1'", "segment 1 (UNH)"),
    ],
)
def test_unusable_file_exits_2_naming_the_position(tmp_path: Path, content: str, position: str) -> None:
    bad = tmp_path / "bad.edi"
    bad.write_text(content)
    result = runner.invoke(app, ["formats", "pnrgov", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}: {position}:" in " ".join(result.stderr.split())
    assert result.stdout == ""


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["formats", "pnrgov", str(tmp_path / "absent.edi")])
    assert result.exit_code == 2
