"""`kouan policy check`: the decision and its rules as JSON; bad input exits 2 with one line naming the option."""

from __future__ import annotations

import json
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from kouan.measures import policy_cli

root = typer.Typer()
root.add_typer(policy_cli.app, name="policy")
runner = CliRunner()
OLD_L_VISA = ("--visa-type", "l", "--visa-issued", "2019-11-01")
TWELVE = ["TSN", "SJW", "TYN", "HET", "PVG", "TNA", "TAO", "NKG", "SHE", "DLC", "CGO", "XIY"]


def run(*args: str) -> Any:
    result = runner.invoke(root, ["policy", "check", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("when", ["2020-03-24T10:00", "2020-03-24T10:00+08:00", "2020-03-24T02:00Z"])
def test_beijing_flight_on_24_march_is_diverted_to_the_twelve(when: str) -> None:
    out = run("--date", when, "--arrival", "BJS", "--nationality", "CHN")
    assert (out["decision"], out["at"]) == ("divert", "2020-03-24T10:00:00+08:00")
    assert [rule["id"] for rule in out["rules"]] == ["R1", "R2.2"]
    assert out["rules"][1]["divert_to"] == TWELVE
    assert all(rule["source"] and rule["text"] and rule["text_zh"] for rule in out["rules"])


@pytest.mark.parametrize(
    ("when", "decision"),
    [
        ("2020-03-22T23:59", "allowed_with_conditions"),
        ("2020-03-23T00:00", "divert"),
        ("2020-03-22T05:59-10:00", "allowed_with_conditions"),
        ("2020-03-22T06:00-10:00", "divert"),
    ],
)
def test_diversion_starts_at_midnight_beijing_time(when: str, decision: str) -> None:
    assert run("--date", when, "--arrival", "PEK", "--nationality", "CHN")["decision"] == decision


def test_named_phase_1_flight_is_diverted_to_tianjin() -> None:
    out = run("--date", "2020-03-22T10:00", "--arrival", "PEK", "--nationality", "FRA", "--flight", "CA934")
    assert (out["decision"], out["rules"][-1]["divert_to"]) == ("divert", ["TSN"])


def test_first_landing_at_a_designated_point_is_not_diverted() -> None:
    out = run("--date", "2020-03-24T10:00", "--arrival", "TSN", "--final-destination", "PEK", "--nationality", "CHN")
    assert [rule["id"] for rule in out["rules"]] == ["R1"]


@pytest.mark.parametrize(
    ("when", "decision"),
    [
        ("2020-03-27T23:59", "allowed_with_conditions"),
        ("2020-03-28T00:00", "refuse_entry"),
        ("2020-03-27T15:59Z", "allowed_with_conditions"),
        ("2020-03-27T16:00Z", "refuse_entry"),
    ],
)
def test_foreigner_on_an_old_visa_is_refused_from_28_march(when: str, decision: str) -> None:
    out = run("--date", when, "--arrival", "PVG", "--nationality", "DEU", *OLD_L_VISA)
    assert out["decision"] == decision
    assert ("MFA" in out["rules"][-1]["source"]) is (decision == "refuse_entry")


@pytest.mark.parametrize(
    ("extra", "decision"),
    [
        (["--residence-permit"], "refuse_entry"),
        (["--visa-type", "C"], "allowed_with_conditions"),
        (["--visa-type", "TRANSIT-144"], "refuse_entry"),
        (["--visa-type", "M", "--visa-issued", "2020-03-27"], "allowed_with_conditions"),
        (["--visa-type", "M", "--visa-issued", "2020-03-26"], "refuse_entry"),
    ],
)
def test_visa_and_permit_options(extra: list[str], decision: str) -> None:
    assert run("--date", "2020-03-29T10:00", "--arrival", "CAN", "--nationality", "USA", *extra)["decision"] == decision


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--date", "2020-13-01T00:00"], "--date"),
        (["--date", "yesterday"], "--date"),
        (["--arrival", "XXX"], "--arrival"),
        (["--arrival", "LHR"], "--arrival"),
        (["--nationality", "ZZZ"], "--nationality"),
        (["--final-destination", "QQQ"], "--final-destination"),
        (["--visa-type", "Q3"], "--visa-type"),
        (["--visa-type", "L", "--visa-issued", "2019-02-30"], "--visa-issued"),
        (["--visa-issued", "2019-02-01"], "--visa-issued"),
    ],
)
def test_bad_input_exits_2_naming_the_option(args: list[str], option: str) -> None:
    base = {"--date": "2020-03-29T10:00", "--arrival": "PVG", "--nationality": "DEU"}
    given = dict(zip(args[::2], args[1::2], strict=True))
    merged = [item for pair in {**base, **given}.items() for item in pair]
    result = runner.invoke(root, ["policy", "check", *merged])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert f"error: {option} " in result.stderr
