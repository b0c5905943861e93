"""`kouan formats paxlst|pnrgov|fal|mdh FILE`, `mrz` and `bcbp` on files and text nobody should send: the parser's
own error (file, position, message) and exit 2, never a traceback; a file that can be read despite a monstrous
value prints it with a warning naming the place."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from kouan.cli import app
from kouan.formats.records import MAX_JSON_DEPTH

DATA = Path(__file__).parent / "data"
HUGE = "9" * 5000
NESTED = '{"crew": ' + "[" * 100_000 + "]" * 100_000 + "}"
GARBAGE = bytes(range(256)) * 8
runner = CliRunner()


def kouan(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    ("command", "content", "says"),
    [
        ("paxlst", "", "character 1: not EDIFACT"),
        ("paxlst", GARBAGE, "character 1: NUL byte"),
        ("paxlst", NESTED, "character 1: not EDIFACT"),
        ("pnrgov", "", "character 1: not EDIFACT"),
        ("pnrgov", GARBAGE, "character 1: NUL byte"),
        ("pnrgov", "UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'", "segment 1 (UNH): message type 'PAXLST' is not PNRGOV"),
        ("fal", "", 'row 1: no "Family name" heading'),
        ("fal", GARBAGE, "row 2: not CSV"),
        ("fal", NESTED, f"line 1 column 73: nesting deeper than {MAX_JSON_DEPTH} levels"),
        ("fal", "Family name\n" + "x" * 200_000, "row 2: not CSV: field larger than field limit"),
        ("mdh", "", "line 1 column 1: not JSON"),
        ("mdh", GARBAGE, "line 1 column 1: not JSON"),
        ("mdh", NESTED, f"line 1 column 73: nesting deeper than {MAX_JSON_DEPTH} levels"),
        ("mdh", "[" * 100_000, f"line 1 column 65: nesting deeper than {MAX_JSON_DEPTH} levels"),
        ("mdh", HUGE, "$: not a JSON object"),
    ],
)
def test_an_unusable_file_exits_2_with_the_parsers_error(
    tmp_path: Path, command: str, content: str | bytes, says: str
) -> None:
    path = _write(tmp_path, "in.txt", content)
    result = kouan("formats", command, str(path))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"error: {path}: {says}")


@pytest.mark.parametrize("command", ["paxlst", "pnrgov", "fal", "mdh"])
def test_a_missing_file_or_a_folder_exits_2_naming_it(tmp_path: Path, command: str) -> None:
    missing = kouan("formats", command, str(tmp_path / "nowhere.edi"))
    folder = kouan("formats", command, str(tmp_path))
    assert (missing.exit_code, folder.exit_code) == (2, 2)
    assert "nowhere.edi: No such file or directory" in missing.stderr and "Is a directory" in folder.stderr


@pytest.mark.parametrize(
    ("command", "sample", "pattern", "where"),
    [
        ("paxlst", "paxlst_crew_d12b.edi", r"(CNT\+41:)\d+", "CNT"),
        ("pnrgov", "pnrgov_ca938_10_1.edi", r"(EQN\+)\d+", "EQN"),
        ("pnrgov", "pnrgov_ca938_10_1.edi", r"(RPI\+)\d+", "RPI"),
    ],
)
def test_a_count_of_5000_digits_is_a_warning_in_the_json(
    tmp_path: Path, command: str, sample: str, pattern: str, where: str
) -> None:
    text = re.sub(pattern, lambda m: m.group(1) + HUGE, (DATA / sample).read_text(encoding="utf-8"), count=1)
    result = kouan("formats", command, str(_write(tmp_path, "huge.edi", text)))
    assert result.exit_code == 0
    assert any(w["segment"].startswith(where) for w in json.loads(result.stdout)["warnings"])


def test_an_mdh_with_huge_and_infinite_numbers_prints_warnings_in_strict_json(tmp_path: Path) -> None:
    document = json.loads((DATA / "mdh_ocean_crest_fever.json").read_text(encoding="utf-8"))
    document["header"] |= {"number_of_crew_on_board": "1e400", "gross_tonnage_ship": "inf"}
    text = json.dumps(document).replace('"1e400"', HUGE)
    result = kouan("formats", "mdh", str(_write(tmp_path, "mdh.json", text)))
    warned = {w["segment"] for w in json.loads(result.stdout)["warnings"]}
    assert result.exit_code == 0 and "Infinity" not in result.stdout
    assert {"$.header.number_of_crew_on_board", "$.header.gross_tonnage_ship"} <= warned


def test_a_fal_list_with_a_5000_digit_name_prints_it(tmp_path: Path) -> None:
    result = kouan("formats", "fal", str(_write(tmp_path, "crew.json", '{"crew": [{"family_name": ' + HUGE + "}]}")))
    assert result.exit_code == 0 and json.loads(result.stdout)["crew"][0]["surname"] == HUGE


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["mrz", "\x00\x01\x02\x03garbage"], "characters outside A-Z"),
        (["mrz", "", ""], "empty input"),
        (["bcbp", "\x00" * 80], "character 1: format code"),
        (["bcbp", ""], "character 1: format code"),
        (["bcbp", "M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 1FF"], "leg 1, character 61"),
    ],
)
def test_garbage_typed_at_the_counter_exits_2_with_the_parsers_error(args: list[str], says: str) -> None:
    result = kouan("formats", *args)
    assert result.exit_code == 2 and says in result.stderr


@pytest.mark.parametrize("reference", ["0001-01-01", "9999-12-31"])
def test_a_boarding_pass_placed_near_the_ends_of_the_calendar_prints(reference: str) -> None:
    text = "M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100"
    result = kouan("formats", "bcbp", text, "--reference", reference)
    assert result.exit_code == 0 and json.loads(result.stdout)["legs"][0]["date"][5:] == "11-22"
