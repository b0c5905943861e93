"""Input built to break a parser: nesting deeper than a reader can follow, numbers longer than Python converts.
Each parser answers with its own error or a warning naming the place, never RecursionError or ValueError."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import MAXYEAR, MINYEAR, date
from pathlib import Path
from typing import Any

import pytest

from kouan.formats.bcbp import parse_bcbp
from kouan.formats.fal import fal_to_dict, parse_fal
from kouan.formats.imo import InvalidImo, imo_check_digit, parse_imo
from kouan.formats.mdh import mdh_to_dict, parse_mdh
from kouan.formats.paxlst import parse_paxlst, paxlst_to_dict
from kouan.formats.pnrgov import parse_pnrgov, pnrgov_to_dict
from kouan.formats.records import MAX_JSON_DEPTH, FormatError, json_object
from tests.formats.test_bcbp import ONE_LEG, TWO_LEGS

DATA = Path(__file__).parent / "data"
PAXLST = (DATA / "paxlst_crew_d12b.edi").read_text(encoding="utf-8")
PNRGOV = (DATA / "pnrgov_ca938_10_1.edi").read_text(encoding="utf-8")
HUGE = "9" * 5000  # beyond Python's 4,300-digit limit for int(str)
JSON_READERS: list[Callable[[str], Any]] = [json_object, parse_fal, parse_mdh]


def _nested(depth: int, *, opener: str = "[", closer: str = "]") -> str:
    return opener * depth + closer * depth


@pytest.mark.parametrize("read", JSON_READERS)
@pytest.mark.parametrize(
    "text",
    [
        '{"crew": ' + _nested(100_000) + "}",
        _nested(3_000, opener='{"a":', closer="}").replace('{"a":}', '{"a":1}'),
        '{"crew": [' + _nested(MAX_JSON_DEPTH + 1) + "]}",
        '{"header": {"a": "[[[[ in a string ]]]]"}, "x": ' + _nested(2_000) + "}",
        '{"crew": ' + "[" * 50_000,  # unclosed, too
    ],
    ids=["arrays", "objects", "just-over", "after-a-string", "unclosed"],
)
def test_deep_nesting_is_a_format_error_naming_the_place(read: Callable[[str], Any], text: str) -> None:
    with pytest.raises(FormatError) as raised:
        read(text)
    assert raised.value.message == f"nesting deeper than {MAX_JSON_DEPTH} levels"
    assert re.fullmatch(r"line 1 column \d+", raised.value.position)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": ' + _nested(MAX_JSON_DEPTH - 1) + "}",
        '{"a": "' + "[" * 500 + '"}',
        '{"a": "\\"[[[[[[[[", "b": 1}' + " " * 3,
        '{"a": "\\\\", "b": ' + _nested(MAX_JSON_DEPTH - 1) + "}",
    ],
    ids=["at-the-limit", "brackets-in-a-string", "escaped-quote", "escaped-backslash"],
)
def test_nesting_within_the_limit_and_brackets_in_strings_still_read(text: str) -> None:
    assert json_object(text)["a"] is not None


def test_a_number_longer_than_python_converts_is_kept_as_the_digits_sent() -> None:
    assert str(json_object('{"a": ' + HUGE + "}")["a"]) == HUGE


@pytest.mark.parametrize(
    ("box", "value"),
    [
        ("number_of_crew_on_board", HUGE),
        ("number_of_crew_on_board", f'"{HUGE}"'),
        ("number_of_crew_on_board", '"1e400"'),
        ("number_of_crew_on_board", "1e400"),
        ("number_of_passengers_on_board", '"inf"'),
        ("number_of_passengers_on_board", "NaN"),
        ("gross_tonnage_ship", '"inf"'),
        ("gross_tonnage_ship", "-Infinity"),
        ("gross_tonnage_ship", '"-5"'),
    ],
)
def test_an_impossible_number_in_an_mdh_box_is_a_warning_naming_it(box: str, value: str) -> None:
    declaration = parse_mdh('{"header": {"' + box + '": ' + value + '}, "health_questions": []}')
    assert f"$.header.{box}" in [w.segment for w in declaration.warnings]
    assert json.dumps(mdh_to_dict(declaration), allow_nan=False)


@pytest.mark.parametrize("number", [HUGE, f'"{HUGE}"', '"inf"', "1e999", "-1e999"])
def test_an_impossible_question_number_is_a_warning(number: str) -> None:
    declaration = parse_mdh('{"header": {}, "health_questions": [{"n": ' + number + ', "answer": "no"}]}')
    assert "$.health_questions[0].n" in [w.segment for w in declaration.warnings]


def test_a_huge_number_as_a_fal_name_is_kept_as_its_digits() -> None:
    listed = parse_fal(f'{{"crew": [{{"family_name": {HUGE}, "nationality": {HUGE}}}]}}')
    assert listed.persons[0].surname == HUGE
    assert "$.crew[0].nationality" in [w.segment for w in listed.warnings]
    assert json.dumps(fal_to_dict(listed))


@pytest.mark.parametrize("form", [HUGE, f'"{HUGE}"', "1e999", "[1]"])
def test_a_huge_fal_form_number_is_a_short_format_error(form: str) -> None:
    with pytest.raises(FormatError) as raised:
        parse_fal('{"form": ' + form + ', "crew": []}')
    assert raised.value.position == "$.form" and len(raised.value.message) < 120


def _replace(text: str, pattern: str, value: str) -> str:
    changed, count = re.subn(pattern, lambda m: m.group(1) + value, text, count=1)
    assert count == 1, pattern
    return changed


def test_a_person_count_padded_with_thousands_of_zeros_is_still_its_number() -> None:
    message = parse_paxlst(_replace(PAXLST, r"(CNT\+4[12]:)\d+", "0" * 4999 + "3"), today=date(2020, 3, 16))
    assert message.declared_count == 3


@pytest.mark.parametrize("value", [HUGE, "12345678901234567890"])
def test_a_huge_paxlst_person_count_is_a_warning_naming_cnt(value: str) -> None:
    message = parse_paxlst(_replace(PAXLST, r"(CNT\+4[12]:)\d+", value), today=date(2020, 3, 16))
    assert message.declared_count is None
    assert any(w.segment.startswith("CNT") and "person count" in w.message for w in message.warnings)
    assert all(len(w.message) < 200 for w in message.warnings)
    assert json.dumps(paxlst_to_dict(message))


@pytest.mark.parametrize(
    ("pattern", "tag", "what"),
    [(r"(EQN\+)\d+", "EQN", "PNR count"), (r"(RPI\+)\d+", "RPI", "passenger count")],
)
@pytest.mark.parametrize("value", [HUGE, "12345678901234567890"])
def test_a_huge_pnrgov_count_is_a_warning_naming_the_segment(pattern: str, tag: str, what: str, value: str) -> None:
    message = parse_pnrgov(_replace(PNRGOV, pattern, value), today=date(2020, 3, 16))
    assert any(w.segment.startswith(tag) and what in w.message for w in message.warnings)
    assert all(len(w.message) < 200 for w in message.warnings)
    assert json.dumps(pnrgov_to_dict(message))


@pytest.mark.parametrize(
    ("reference", "flight_day"),
    [(date.min, date(1, 11, 22)), (date(1, 1, 6), date(1, 11, 22)), (date.max, date(9999, 11, 22))],
)
def test_a_boarding_pass_read_near_year_1_or_9999_keeps_to_the_calendar(reference: date, flight_day: date) -> None:
    assert parse_bcbp(ONE_LEG, reference=reference).legs[0].date == flight_day
    assert MINYEAR <= parse_bcbp(TWO_LEGS, reference=reference).legs[1].date.year <= MAXYEAR


def test_julian_day_366_in_year_9999_is_a_format_error() -> None:
    with pytest.raises(FormatError, match="not a leap year"):
        parse_bcbp(ONE_LEG.replace(" 326J", " 366J"), reference=date.max)


@pytest.mark.parametrize("text", ["²²²²²²", "٩٣٢١٤٨", "12345²"])
def test_digits_python_calls_digits_but_cannot_read_are_no_imo_check_digits(text: str) -> None:
    with pytest.raises(InvalidImo):
        imo_check_digit(text)


def test_an_imo_number_in_arabic_indic_digits_is_invalid_not_a_crash() -> None:
    with pytest.raises(InvalidImo):
        parse_imo("IMO ٩٣٢١٤٨٣")
