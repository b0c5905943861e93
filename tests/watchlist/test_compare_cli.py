"""`kouan watchlist compare --pairs FILE.csv`: one JSON object per row, in order; a bad file or row exits 2
naming the place, never with a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kouan.cli import app

PAIRS = Path(__file__).parent / "data" / "pairs.csv"
runner = CliRunner()


def compare(path: Path) -> tuple[int, list[dict[str, object]], str]:
    result = runner.invoke(app, ["watchlist", "compare", "--pairs", str(path)])
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return result.exit_code, lines, result.output


def test_every_row_of_real_pairs_is_a_match_in_order() -> None:
    code, lines, _ = compare(PAIRS)
    names = [(row.split(",")[0], row.split(",")[1]) for row in PAIRS.read_text("utf-8").splitlines()[1:]]
    assert code == 0
    assert [(line["name1"], line["name2"]) for line in lines] == names
    assert all(line["match"] and 0 < line["score"] <= 1 for line in lines), [x for x in lines if not x["match"]]
    assert set(lines[0]) == {"name1", "name2", "score", "match", "explanation"}
    assert set(lines[0]["explanation"]) >= {"algorithm", "alias", "spelling", "key", "features"}


def test_dates_and_nationalities_decide_with_the_name(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "id,name1,name2,dob1,dob2,nat1,nat2\n"
        "1,陳大文,CHAN<<TAI<MAN,1970-05-04,1970-05-04,HKG,HKG\n"
        "2,陳大文,CHAN<<TAI<MAN,1970-05-04,1981-11-23,HKG,HKG\n"
        "3,张伟,Wang Wei,1985,1985-03-12,CHN,CHN\n",
        encoding="utf-8",
    )
    code, lines, _ = compare(pairs)
    assert code == 0
    assert [line["match"] for line in lines] == [True, False, False]
    assert lines[0]["score"] == 1.0 and lines[0]["explanation"]["features"]["dob"] == "exact"
    assert lines[1]["explanation"]["features"]["dob"] == "disagree"


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("first,second\nA,B\n", "row 1: no column name1, name2"),
        ("name1,name2\nWANG WEI,\n", "row 2 column name2: empty name"),
        ("name1,name2,dob1\nWANG WEI,WANG WEI,1985\nLI NA,LI NA,12/03/1985\n", "row 3 column dob1"),
        ("name1,name2,dob2\nWANG WEI,WANG WEI,1985-02-30x\n", "row 2 column dob2"),
    ],
)
def test_a_bad_file_exits_2_naming_the_row_and_column(tmp_path: Path, content: str, says: str) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(content, encoding="utf-8")
    code, _, output = compare(pairs)
    assert code == 2 and says in " ".join(output.split()) and "Traceback" not in output


def test_a_file_that_is_not_utf8_or_not_there_exits_2(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_bytes(b"name1,name2\nM\xfcller,Mueller\n")
    assert compare(pairs)[0] == 2
    assert compare(tmp_path / "absent.csv")[0] == 2


def test_sexes_decide_with_the_name_when_both_are_given(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "name1,name2,dob1,dob2,sex1,sex2\n"
        "陳大文,CHAN<<TAI<MAN,1970-05-04,1970-05-04,M,m\n"
        "陳大文,CHAN<<TAI<MAN,1970-05-04,1970-05-04,M,F\n"
        "陳大文,CHAN<<TAI<MAN,1970-05-04,1970-05-04,,F\n"
        "陳大文,CHAN<<TAI<MAN,1970-05-04,1970-05-04,X,F\n",
        encoding="utf-8",
    )
    code, lines, _ = compare(pairs)
    assert code == 0
    assert [line["match"] for line in lines] == [True, False, True, True]
    sexes = [line["explanation"]["features"]["sex"] for line in lines]
    assert sexes == ["agree", "disagree", "missing", "missing"]


def test_a_sex_that_is_none_of_m_f_x_exits_2_naming_the_row_and_column(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("name1,name2,sex1,sex2\nWANG WEI,WANG WEI,M,M\nLI NA,LI NA,F,female?\n", encoding="utf-8")
    code, _, output = compare(pairs)
    assert code == 2 and "row 3 column sex2" in " ".join(output.split()) and "Traceback" not in output
