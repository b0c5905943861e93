"""Every command that reads a carrier or bulk file (`kouan screen`, `ingest`, `screen-vessel`, `declarations
import`, `crossings import`) answers an unusable file with the reader's error (file, place, message) and exit 2,
never a traceback. `ingest` files what it can and lists each rejected file with its error (exit 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from kouan.cli import app
from kouan.formats.records import MAX_JSON_DEPTH

DATA = Path(__file__).parents[1] / "formats" / "data"
NESTED = '{"crew": ' + "[" * 100_000 + "]" * 100_000 + "}"
GARBAGE = bytes(range(256)) * 8
NOT_UTF8 = b'[{"surname": "M\xfcller"}]'
runner = CliRunner()


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """SQLite only: what is tested here never reaches the data (``store`` points the CLI at it)."""
    return sqlite_url


def kouan(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def _write(tmp_path: Path, content: str | bytes, name: str = "in.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


MDH = str(DATA / "mdh_ocean_crest_fever.json")
BAD_FILES = [
    ("", "character 1: not EDIFACT", "line 1 column 1: not JSON", 'row 1: no "Family name" heading'),
    (GARBAGE, "character 1: NUL byte", "line 1 column 1: not JSON", "row 2: not CSV"),
    (NESTED, "character 1: not EDIFACT", f"line 1 column 73: nesting deeper than {MAX_JSON_DEPTH}", "line 1 column 73"),
]


@pytest.mark.parametrize(("content", "edifact", "json_says", "fal_says"), BAD_FILES)
def test_screen_and_screen_vessel_exit_2_with_the_parsers_error(
    store: str, tmp_path: Path, content: str | bytes, edifact: str, json_says: str, fal_says: str
) -> None:
    path = _write(tmp_path, content)
    screened = kouan("screen", str(path))
    with_pnr = kouan("screen", str(DATA / "paxlst_crew_d12b.edi"), "--pnr", str(path))
    vessel = kouan("screen-vessel", "--mdh", str(path))
    crew = kouan("screen-vessel", "--mdh", MDH, "--crew", str(path))
    assert [r.exit_code for r in (screened, with_pnr, vessel, crew)] == [2, 2, 2, 2]
    assert screened.stderr.startswith(f"error: {path}: {edifact}")
    assert with_pnr.stderr.startswith(f"error: {path}: {edifact}")
    assert vessel.stderr.startswith(f"error: {path}: {json_says}")
    assert crew.stderr.startswith(f"error: {path}: {fal_says}")


@pytest.mark.parametrize(("content", "edifact"), [(c, e) for c, e, *_ in BAD_FILES])
def test_ingest_lists_an_unusable_file_with_its_error(store: str, tmp_path: Path, content: str, edifact: str) -> None:
    path = _write(tmp_path, content)
    result = kouan("ingest", str(path))
    assert result.exit_code == 1 and f"rejected {path}: {edifact}" in " ".join(result.stderr.split())  # rich wraps


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (NESTED, f"in.txt line 1 column 73: nesting deeper than {MAX_JSON_DEPTH} levels"),
        ("[" * 100_000, f"in.txt line 1 column 65: nesting deeper than {MAX_JSON_DEPTH} levels"),
        ("", "in.txt line 1 column 1: not JSON: Expecting value"),
        (GARBAGE, "in.txt byte 129: not UTF-8 text"),
        (NOT_UTF8, "in.txt byte 16: not UTF-8 text"),
    ],
)
def test_declarations_import_exits_2_naming_the_place(store: str, tmp_path: Path, content: str, says: str) -> None:
    result = kouan("declarations", "import", str(_write(tmp_path, content)))
    assert result.exit_code == 2 and result.stderr.startswith(f"error: {says}")


def test_declarations_import_rejects_a_5000_digit_name_as_a_bad_row(store: str, tmp_path: Path) -> None:
    result = kouan("declarations", "import", str(_write(tmp_path, '[{"surname": ' + "9" * 5000 + "}]")))
    assert result.exit_code == 1 and "in.txt item 0: surname" in result.stderr


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("direction,port\n" + "x" * 200_000 + ",a\n", "in.txt line 2: not CSV: field larger than field limit"),
        (GARBAGE, "in.txt byte 129: not UTF-8 text"),
        (NOT_UTF8, "in.txt byte 16: not UTF-8 text"),
    ],
)
def test_crossings_import_exits_2_naming_the_place(store: str, tmp_path: Path, content: str, says: str) -> None:
    result = kouan("crossings", "import", str(_write(tmp_path, content)))
    assert result.exit_code == 2 and result.stderr.startswith(f"error: {says}")


@pytest.mark.parametrize("command", [["declarations", "import"], ["crossings", "import"]])
def test_a_folder_given_as_the_file_exits_2(store: str, tmp_path: Path, command: list[str]) -> None:
    result = kouan(*command, str(tmp_path))
    assert result.exit_code == 2 and "Is a directory" in result.stderr
