"""`kouan contacts FILE --index SEAT`: close contacts as JSON from a real PAXLST; exit 2 naming what is wrong."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kouan.cli import app
from kouan.demo.night import generate_night
from kouan.formats.paxlst import parse_paxlst, write_paxlst
from kouan.formats.records import Leg, PaxlstMessage, Person

runner = CliRunner()
SEATS = ["10A", "12C", "14C", "16D", "18F", "19A", "30B"]


def person(seat: str, *, booking: str | None = None, role: str = "passenger") -> Person:
    return Person(surname=f"PAX{seat or 'FREE'}", given_names="ANNA", role=role, seat=seat or None, booking_ref=booking)  # type: ignore[arg-type]


def paxlst(path: Path, travellers: list[Person], *, kind: str = "passengers") -> Path:
    leg = Leg("FRA", "PEK", datetime(2020, 3, 15, 18, 0), datetime(2020, 3, 16, 10, 0), carrier="LH", number="LH720")
    message = PaxlstMessage(kind, "LH", "LH720", [leg], travellers, None)  # type: ignore[arg-type]
    path.write_text(write_paxlst(message), encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, dict[str, object] | None, str]:
    result = runner.invoke(app, ["contacts", *args])
    body = json.loads(result.stdout) if result.exit_code == 0 else None
    return result.exit_code, body, result.stderr if result.exit_code else ""


@pytest.fixture
def lufthansa(tmp_path: Path) -> Path:
    return paxlst(tmp_path / "lh720.edi", [person(seat, booking="PARTY1" if seat == "30B" else None) for seat in SEATS])


def test_prints_the_close_contacts_on_a_layout_without_row_13(lufthansa: Path) -> None:
    code, body, _ = run(str(lufthansa), "--index", "14C", "--aircraft", "A321")
    assert code == 0 and body is not None
    assert body["rule"] == "cn-2020-aircraft"
    assert body["layout"] == "A321"  # the message's carrier LH picks Lufthansa's own layout
    close = body["close"]
    assert isinstance(close, list)
    assert [(row["seat"], row["rows_from_index"]) for row in close] == [("12C", 1), ("16D", 2), ("10A", 3), ("18F", 3)]
    assert {"surname", "given_names", "seat", "rows_from_index"} <= set(close[0])
    assert body["general_count"] == 2


def test_the_rule_option_changes_the_rule(lufthansa: Path) -> None:
    code, body, _ = run(str(lufthansa), "--index", "14C", "--aircraft", "A321", "--rule", "rows-2")
    assert code == 0 and body is not None
    assert body["rule"] == "rows-2"
    assert [row["seat"] for row in body["close"]] == ["12C", "16D"]  # type: ignore[attr-defined]


def test_without_a_type_the_layout_is_inferred_and_said(lufthansa: Path) -> None:
    code, body, _ = run(str(lufthansa), "--index", "14C", "--aircraft", "ZZZZ")
    assert code == 0 and body is not None
    assert body["layout"] == "inferred"
    assert "aircraft ZZZZ unknown: layout inferred from the seats" in body["notes"]  # type: ignore[operator]


def test_two_index_seats_escalate_to_the_cabin(lufthansa: Path) -> None:
    code, body, _ = run(str(lufthansa), "--index", "10A", "--index", "30B", "--aircraft", "A321", "--carrier", "LH")
    assert code == 0 and body is not None
    assert len(body["close"]) == len(SEATS) - 2  # type: ignore[arg-type]
    assert body["general_count"] == 0
    assert "escalated: 2 cases" in str(body["applied"])


def test_a_demo_passenger_list_with_its_crew_list(tmp_path: Path) -> None:
    night = generate_night()
    passengers = next(m for m in night if m.message_type == "passengers" and m.number == "CA938")
    crew = next(m for m in night if m.message_type == "crew" and m.number == "CA938")
    first = next(p for p in parse_paxlst(passengers.text).travellers if p.seat)
    (tmp_path / "pax.edi").write_text(passengers.text)
    (tmp_path / "crew.edi").write_text(crew.text)
    code, body, _ = run(str(tmp_path / "pax.edi"), "--index", first.seat or "", "--aircraft", "B748",
                        "--crew", str(tmp_path / "crew.edi"))  # fmt: skip
    assert code == 0 and body is not None
    crew_count = len(parse_paxlst(crew.text).travellers)
    assert body["crew"] == crew_count  # no crew positions in PAXLST: all cabin crew counted
    assert "crew positions unknown: all cabin crew counted" in body["notes"]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--index", "14C", "--rule", "rows-9"], "rows-9"),
        (["--index", "40C"], "40C"),
        (["--index", "C14"], "C14"),
    ],
)
def test_exit_2_naming_the_unknown_rule_the_empty_seat_or_the_bad_seat(
    lufthansa: Path, args: list[str], message: str
) -> None:
    code, _, stderr = run(str(lufthansa), *args)
    assert code == 2
    assert message in stderr


def test_exit_2_for_a_file_that_is_not_a_paxlst(tmp_path: Path) -> None:
    garbage = tmp_path / "notes.txt"
    garbage.write_text("hello, this is not EDIFACT")
    code, _, stderr = run(str(garbage), "--index", "14C")
    assert code == 2
    assert "not a PAXLST" in stderr
