"""`kouan measures classify` and `kouan measures schemes`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kouan.cli import app
from kouan.measures.schemes import scheme_names

runner = CliRunner()


def _classify(*args: str) -> tuple[int, dict[str, str] | None, str]:
    result = runner.invoke(app, ["measures", "classify", *args])
    body = json.loads(result.stdout) if result.exit_code == 0 else None
    return result.exit_code, body, " ".join(result.stderr.split())


def test_classify_prints_scheme_level_reason() -> None:
    code, body, _ = _classify("--scheme", "eu-2020-1475-v1", "--rate", "62", "--positivity", "5", "--testing", "900")
    assert code == 0
    assert body == {
        "scheme": "eu-2020-1475-v1",
        "level": "red",
        "reason": "N14 62.0 ≥ 50 and positivity 5.0 % ≥ 4 % → red (2020/1475)",
    }


@pytest.mark.parametrize(("scheme", "level"), [("eu-2020-1475-v1", "grey"), ("eu-2021-961-v3", "green")])
def test_classify_testing_300_differs_between_versions(scheme: str, level: str) -> None:
    code, body, _ = _classify("--scheme", scheme, "--rate", "10", "--positivity", "0.5", "--testing", "300")
    assert code == 0 and body is not None
    assert body["level"] == level


def test_classify_rate_only_uses_the_documented_fallback() -> None:
    code, body, _ = _classify("--scheme", "eu-2021-119-v2", "--rate", "62")
    assert code == 0 and body is not None
    assert body["level"] == "red"
    assert "positivity unknown, more severe branch taken" in body["reason"]
    assert "testing rate unknown" in body["reason"]


def test_classify_rate14_scheme() -> None:
    code, body, _ = _classify("--scheme", "rate14-v1", "--rate", "9.999")
    assert code == 0 and body is not None
    assert body["level"] == "medium"


def test_classify_designated() -> None:
    code, body, _ = _classify("--scheme", "designated", "--level", "high")
    assert code == 0 and body is not None
    assert body["level"] == "high"


def test_unknown_scheme_exits_2_naming_it_and_the_known_ones() -> None:
    code, _, error = _classify("--scheme", "eu-v9", "--rate", "1")
    assert code == 2
    assert "'eu-v9'" in error and all(name in error for name in scheme_names())


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--rate=-1"], "--rate"),
        (["--rate", "-1"], "--rate"),
        (["--rate", "1", "--positivity=-2"], "--positivity"),
        (["--rate", "1", "--testing=-0.5"], "--testing"),
    ],
)
def test_negative_numbers_exit_2_naming_the_option(args: list[str], option: str) -> None:
    code, _, error = _classify("--scheme", "eu-2021-961-v3", *args)
    assert code == 2
    assert f"{option} must not be negative" in error


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scheme", "eu-2021-961-v3", "--rate", "1", "--positivity", "101"], "positivity"),
        (["--scheme", "designated", "--level", "red"], "designated"),
        (["--scheme", "eu-2021-961-v3", "--rate", "1", "--level", "high"], "--level"),
    ],
)
def test_invalid_inputs_exit_2(args: list[str], message: str) -> None:
    code, _, error = _classify(*args)
    assert code == 2
    assert message in error


def test_schemes_lists_names_and_details() -> None:
    result = runner.invoke(app, ["measures", "schemes"])
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    assert body["schemes"] == scheme_names()
    assert [d["name"] for d in body["details"]] == scheme_names()
    first = body["details"][0]
    assert first["valid_from"] == "2020-10-14" and "2020/1475" in first["source"]
    assert body["details"][3]["valid_from"] is None
