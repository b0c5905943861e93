"""`kouan screen-vessel --mdh FILE --crew FILE [--as-of DATE]`: the contract JSON from the store's risk figures,
without filing; a file that is not an MDH exits 2 naming where."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kouan.cli import app

DATA = Path(__file__).parents[1] / "formats" / "data"
runner = CliRunner()


def kouan(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_the_vessel_and_each_seafarer_get_a_level_and_reasons(store: str) -> None:
    code, out, _ = kouan("screen-vessel", "--mdh", str(DATA / "mdh_jin_hai_fortune_all_no.json"),
                         "--crew", str(DATA / "fal5_maanshan_2020.csv"))  # fmt: skip
    assert code == 0
    answer = json.loads(out)
    assert answer["vessel"]["imo"] == "9321483" and answer["vessel"]["level"] in ("low", "medium", "high", "unknown")
    assert answer["vessel"]["reasons"] and len(answer["crew"]) == 10
    santos = next(c for c in answer["crew"] if c["surname"] == "SANTOS")
    assert santos["joined_at"] == "SGSIN" and any("Singapore" in r for r in santos["reasons"])


def test_an_ill_seafarer_makes_the_vessel_high(store: str) -> None:
    code, out, _ = kouan("screen-vessel", "--mdh", str(DATA / "mdh_ocean_crest_fever.json"))
    answer = json.loads(out)
    assert code == 0 and answer["vessel"]["level"] == "high"
    assert next(c for c in answer["crew"] if c["surname"] == "MOROZ")["level"] == "high"


def test_as_of_moves_the_windows(store: str) -> None:
    late = json.loads(kouan("screen-vessel", "--mdh", str(DATA / "mdh_jin_hai_fortune_all_no.json"),
                            "--as-of", "2020-06-30")[1])  # fmt: skip
    assert late["vessel"]["arrival"] == "2020-06-30"
    assert not any("Singapore" in r for r in late["vessel"]["reasons"])  # left in February: outside 30 days


def test_a_file_that_is_not_a_declaration_exits_2_naming_it(store: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = kouan("screen-vessel", "--mdh", str(bad))
    assert code == 2 and "bad.json" in err and "line 1" in err
