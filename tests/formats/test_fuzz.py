"""Whatever arrives, each parser answers or raises its own documented error: arbitrary text, raw bytes read as a
file is read, and real samples cut, noised and with their segments dropped, duplicated, swapped or re-separated.
What it answers also turns into the CLI's JSON (strict JSON: no NaN, no number Python cannot print)."""

from __future__ import annotations

import contextlib
import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kouan.formats.bcbp import bcbp_to_dict, parse_bcbp
from kouan.formats.edifact import tokenise
from kouan.formats.fal import fal_to_dict, parse_fal
from kouan.formats.imo import InvalidImo, imo_check_digit, parse_imo
from kouan.formats.mdh import mdh_to_dict, parse_mdh
from kouan.formats.mrz import NotAnMrz, mrz_to_dict, parse_mrz
from kouan.formats.paxlst import parse_paxlst, paxlst_to_dict
from kouan.formats.pnrgov import parse_pnrgov, pnrgov_to_dict
from kouan.formats.records import FormatError
from tests.formats.strategies import (
    FUZZ,
    TODAY,
    any_text,
    cut_and_noised,
    edifact_garbage,
    json_garbage,
    samples,
)
from tests.formats.test_bcbp import FOUR_LEGS, ONE_LEG, TWO_LEGS
from tests.formats.test_mrz import DE_ID, MRVA, MRVB, TD1, TD2, TD3

pytestmark = pytest.mark.fuzz

EDIFACT = samples("*.edi")
PAXLST = [text for text in EDIFACT if "PAXLST" in text]
PNRGOV = [text for text in EDIFACT if "PNRGOV" in text]
FAL_CSV = samples("fal*.csv")
FAL_JSON = samples("fal*.json")
MDH = samples("mdh*.json")
MRZ = ["\n".join(lines) for lines in (TD1, TD2, TD3, MRVA, MRVB, DE_ID)]
BCBP = [ONE_LEG, TWO_LEGS, FOUR_LEGS]
days = st.dates() | st.sampled_from([date.min, date.max, date(1, 1, 6), date(9999, 6, 1)])


def _strict_json(value: object) -> None:
    json.dumps(value, allow_nan=False)


@FUZZ
@given(edifact_garbage(EDIFACT))
def test_tokenising_any_text_answers_or_raises_format_error(text: str) -> None:
    with contextlib.suppress(FormatError):
        tokenise(text)


@FUZZ
@given(edifact_garbage(PAXLST, kind="PAXLST"))
def test_paxlst_answers_or_raises_format_error(text: str) -> None:
    try:
        message = parse_paxlst(text, today=TODAY)
    except FormatError:
        return
    _strict_json(paxlst_to_dict(message))


@FUZZ
@given(edifact_garbage(PNRGOV, kind="PNRGOV"))
def test_pnrgov_answers_or_raises_format_error(text: str) -> None:
    try:
        message = parse_pnrgov(text, today=TODAY)
    except FormatError:
        return
    _strict_json(pnrgov_to_dict(message))


@FUZZ
@given(st.sampled_from(FAL_CSV).flatmap(cut_and_noised) | json_garbage(FAL_JSON))
def test_fal_answers_or_raises_format_error(text: str) -> None:
    try:
        listed = parse_fal(text)
    except FormatError:
        return
    _strict_json(fal_to_dict(listed))


@FUZZ
@given(json_garbage(MDH))
def test_mdh_answers_or_raises_format_error(text: str) -> None:
    try:
        declaration = parse_mdh(text)
    except FormatError:
        return
    _strict_json(mdh_to_dict(declaration))


@FUZZ
@given(any_text | st.sampled_from(MRZ).flatmap(cut_and_noised), days)
def test_mrz_answers_or_raises_not_an_mrz(text: str, today: date) -> None:
    try:
        result = parse_mrz(text, today=today)
    except NotAnMrz:
        return
    _strict_json(mrz_to_dict(result))


@FUZZ
@given(any_text | st.sampled_from(BCBP).flatmap(cut_and_noised), days)
def test_bcbp_answers_or_raises_format_error(text: str, reference: date) -> None:
    try:
        boarding = parse_bcbp(text, reference=reference)
    except FormatError:
        return
    _strict_json(bcbp_to_dict(boarding))


@FUZZ
@given(any_text | st.text(alphabet="IMO 0123456789٣²\n", min_size=6, max_size=14))
def test_imo_answers_or_raises_invalid_imo(text: str) -> None:
    with contextlib.suppress(InvalidImo):
        assert len(parse_imo(text)) == 7
    with contextlib.suppress(InvalidImo):
        assert 0 <= imo_check_digit(text) <= 9
