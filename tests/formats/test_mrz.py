"""ICAO Doc 9303 MRZ: the Doc 9303 specimens (Parts 4-7) and German specimens field by field, every check digit
broken alone, long document numbers, century rules, OCR slips reported (never corrected), input that is not an
MRZ, and the CLI's JSON contract. Check digits in built lines come from this file's own 7-3-1 sum."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError
from datetime import date

import pytest
from typer.testing import CliRunner

from kouan.cli import app
from kouan.formats.mrz import MrzResult, NotAnMrz, mrz_to_dict, parse_mrz
from tests.support.garbage import garbage

runner = CliRunner()
TODAY = date(2010, 1, 1)

# Doc 9303 Part 4 (TD3 passport), Part 5 (TD1), Part 6 (TD2), Part 7 (MRV-A, MRV-B): Utopia's specimens.
TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
TD2 = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"]
MRVA = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"]
MRVB = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"]
# Doc 9303 Part 5's long document number D23145890734: 9 in the field, "<", then "734" + check digit 9.
TD1_LONG = ["I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2", "STEVENSON<<PETER<JOHN<<<<<<<<<"]
# The German specimens (Bundesdruckerei "Erika Mustermann"): nationality D<<, an ID card without sex.
DE_ID = ["IDD<<T220001293<<<<<<<<<<<<<<<", "6408125<2010315D<<<<<<<<<<<<<4", "MUSTERMANN<<ERIKA<<<<<<<<<<<<<"]
DE_PASSPORT = ["P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<", "C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4"]

VALUES = {char: value for value, char in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")} | {"<": 0}
COMPOSITE = {  # spans (line, start, end) and the composite's (line, index)
    "TD1": (((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)), (1, 29)),
    "TD2": (((1, 0, 10), (1, 13, 20), (1, 21, 35)), (1, 35)),
    "TD3": (((1, 0, 10), (1, 13, 20), (1, 21, 43)), (1, 43)),
}


def digit(data: str) -> str:
    return str(sum(VALUES[char] * (7, 3, 1)[index % 3] for index, char in enumerate(data)) % 10)


def put(lines: list[str], *, line: int, index: int, text: str) -> list[str]:
    changed = list(lines)
    changed[line] = changed[line][:index] + text + changed[line][index + len(text) :]
    return changed


def fix_composite(lines: list[str], *, layout: str) -> list[str]:
    spans, (line, index) = COMPOSITE[layout]
    data = "".join(lines[row][start:end] for row, start, end in spans)
    return put(lines, line=line, index=index, text=digit(data))


def td3(*, issuer: str = "UTO", nationality: str = "UTO", birth: str = "740812", expiry: str = "120415") -> list[str]:
    """The Part 4 specimen with fields replaced and every check digit recomputed."""
    lines = put(TD3, line=0, index=2, text=issuer)
    lines = put(lines, line=1, index=10, text=nationality)
    lines = put(lines, line=1, index=13, text=birth + digit(birth))
    lines = put(lines, line=1, index=21, text=expiry + digit(expiry))
    return fix_composite(lines, layout="TD3")


def parse(lines: list[str] | str) -> MrzResult:
    return parse_mrz(lines, today=TODAY)


def test_the_builder_reproduces_the_specimen() -> None:
    assert td3() == TD3
    assert fix_composite(TD1_LONG, layout="TD1") == TD1_LONG


ANNA = ("UTO", "ERIKSSON", "ANNA MARIA", "UTO", date(1974, 8, 12), "F", date(2012, 4, 15))
VISA_ANNA = ("UTO", "ERIKSSON", "ANNA MARIA", "XXX", date(1940, 9, 7), "F", date(1996, 12, 10))
PETER = ("UTO", "STEVENSON", "PETER JOHN", "UTO", date(1934, 7, 12), "M", date(1995, 7, 12))
ERIKA_ID = ("D", "MUSTERMANN", "ERIKA", "D", date(1964, 8, 12), "X", date(2020, 10, 31))
ERIKA_P = ("D", "MUSTERMANN", "ERIKA", "D", date(1964, 8, 12), "F", date(2027, 2, 28))


@pytest.mark.parametrize(
    "lines, fmt, doc_type, number, optional, person",
    [
        (TD3, "TD3", "P", "L898902C3", "ZE184226B", ANNA),
        (TD1, "TD1", "I", "D23145890", "", ANNA),
        (TD2, "TD2", "I", "D23145890", "", ANNA),
        (MRVA, "TD3", "V", "L8988901C", "6ZE184226B", VISA_ANNA),
        (MRVB, "TD2", "V", "L8988901C", "", VISA_ANNA),
        (TD1_LONG, "TD1", "I", "D23145890734", "", PETER),
        (DE_ID, "TD1", "ID", "T22000129", "", ERIKA_ID),
        (DE_PASSPORT, "TD3", "P", "C01X00T47", "", ERIKA_P),
    ],
    ids=["td3", "td1", "td2", "mrv-a", "mrv-b", "td1-long-number", "de-id", "de-passport"],
)
def test_specimens_read_field_by_field(
    lines: list[str], fmt: str, doc_type: str, number: str, optional: str, person: tuple[object, ...]
) -> None:
    result = parse(lines)
    read = (result.issuer, result.surname, result.given_names, result.nationality)
    assert (read, result.birth_date, result.sex, result.expiry_date) == (person[:4], *person[4:])
    assert (result.format, result.document_type, result.document_number, result.optional_data) == (
        fmt,
        doc_type,
        number,
        optional,
    )
    assert result.valid
    assert result.errors == []
    assert all(result.checks.values())


@pytest.mark.parametrize(
    "lines, names",
    [
        (TD3, ["document_number", "birth_date", "expiry_date", "optional_data", "composite"]),
        (TD1, ["document_number", "birth_date", "expiry_date", "composite"]),
        (TD2, ["document_number", "birth_date", "expiry_date", "composite"]),
        (MRVA, ["document_number", "birth_date", "expiry_date"]),
        (MRVB, ["document_number", "birth_date", "expiry_date"]),
    ],
)
def test_each_format_reports_its_own_checks(lines: list[str], names: list[str]) -> None:
    assert list(parse(lines).checks) == names


BREAKS = [  # (lines, layout for the composite, check, line, index of its digit)
    (TD3, "TD3", "document_number", 1, 9),
    (TD3, "TD3", "birth_date", 1, 19),
    (TD3, "TD3", "expiry_date", 1, 27),
    (TD3, "TD3", "optional_data", 1, 42),
    (TD3, "TD3", "composite", 1, 43),
    (TD1, "TD1", "document_number", 0, 14),
    (TD1, "TD1", "birth_date", 1, 6),
    (TD1, "TD1", "expiry_date", 1, 14),
    (TD1, "TD1", "composite", 1, 29),
    (TD1_LONG, "TD1", "document_number", 0, 18),
    (TD1_LONG, "TD1", "composite", 1, 29),
    (TD2, "TD2", "document_number", 1, 9),
    (TD2, "TD2", "birth_date", 1, 19),
    (TD2, "TD2", "expiry_date", 1, 27),
    (TD2, "TD2", "composite", 1, 35),
    (MRVA, None, "birth_date", 1, 19),
    (DE_ID, "TD1", "expiry_date", 1, 14),
    (DE_PASSPORT, "TD3", "document_number", 1, 9),
]


@pytest.mark.parametrize("lines, layout, check, line, index", BREAKS)
def test_one_broken_check_digit_fails_that_check_only(
    lines: list[str], layout: str | None, check: str, line: int, index: int
) -> None:
    wrong = str((int(lines[line][index]) + 1) % 10)
    broken = put(lines, line=line, index=index, text=wrong)
    if layout is not None and check != "composite":
        broken = fix_composite(broken, layout=layout)
    result = parse(broken)
    assert not result.valid
    assert result.checks[check] is False
    assert all(ok for name, ok in result.checks.items() if name != check)
    assert [error.split(":")[0] for error in result.errors] == [check]
    assert f"line {line + 1} position {index + 1}" in result.errors[0]


def test_td3_personal_number_check_may_be_a_filler_only_when_the_field_is_empty() -> None:
    assert parse(DE_PASSPORT).checks["optional_data"]
    assert DE_PASSPORT[1][42] == "<"
    filled = fix_composite(put(TD3, line=1, index=42, text="<"), layout="TD3")
    assert parse(filled).checks == {**parse(TD3).checks, "optional_data": False}


def test_long_number_in_td2_continues_in_the_optional_data() -> None:
    line2 = "D23145890<UTO7408122F1204159" + "734" + digit("D23145890734") + "<<<"
    lines = fix_composite([TD2[0], line2 + "0"], layout="TD2")
    result = parse(lines)
    assert (result.document_number, result.optional_data, result.valid) == ("D23145890734", "", True)


def test_long_number_keeps_the_optional_data_after_its_check_digit() -> None:
    lines = fix_composite(put(TD1_LONG, line=0, index=20, text="AB12"), layout="TD1")
    result = parse(lines)
    assert (result.document_number, result.optional_data, result.valid) == ("D23145890734", "AB12", True)


@pytest.mark.parametrize(
    "birth, expiry, born, expires",
    [
        ("740812", "120415", date(1974, 8, 12), date(2012, 4, 15)),
        ("050101", "951231", date(2005, 1, 1), date(1995, 12, 31)),  # birth in this century; expired 14 years ago
        ("100102", "590101", date(1910, 1, 2), date(2059, 1, 1)),  # a birth tomorrow is a century ago
        ("000229", "600101", date(2000, 2, 29), date(2060, 1, 1)),  # expiry up to 50 years ahead
        ("991231", "610101", date(1999, 12, 31), date(1961, 1, 1)),  # ...and 49 behind
    ],
)
def test_centuries(birth: str, expiry: str, born: date, expires: date) -> None:
    result = parse(td3(birth=birth, expiry=expiry))
    assert (result.birth_date, result.expiry_date, result.valid) == (born, expires, True)


@pytest.mark.parametrize("field, bad", [("birth_date", "991340"), ("expiry_date", "120230"), ("birth_date", "740000")])
def test_impossible_dates_are_errors_with_no_value(field: str, bad: str) -> None:
    lines = td3(birth=bad) if field == "birth_date" else td3(expiry=bad)
    result = parse(lines)
    assert getattr(result, field) is None
    assert result.errors == [f"{field}: {bad!r} is not a valid date"]
    assert all(result.checks.values())
    assert not result.valid


def test_unknown_birth_date_parts_are_fillers() -> None:
    result = parse(td3(birth="74<<<<"))
    assert (result.birth_date, result.valid, result.errors) == (None, True, [])
    assert "birth_date: '74<<<<' is (partly) unknown" in result.warnings


@pytest.mark.parametrize(
    "line, index, slip, field, hint, value",
    [
        (1, 15, "O", "birth_date", "'0'", ("birth_date", None)),
        (1, 23, "O", "expiry_date", "'0'", ("expiry_date", None)),
        (0, 11, "0", "name", "'O'", ("surname", "ERIKSS0N")),
        (0, 23, "1", "name", "'I'", ("given_names", "ANNA MAR1A")),
        (1, 19, "Z", "birth_date check digit", "'2'", ("birth_date", date(1974, 8, 12))),
        (1, 20, "0", "sex", "'O'", ("sex", "0")),
        (1, 11, "7", "nationality", None, ("nationality", "U7O")),
        (0, 19, "«", "name", None, ("given_names", "ANNA«MARIA")),
    ],
)
def test_ocr_slips_are_reported_with_field_and_position_never_corrected(
    line: int, index: int, slip: str, field: str, hint: str | None, value: tuple[str, object]
) -> None:
    result = parse(put(TD3, line=line, index=index, text=slip))
    message = f"{field}: {slip!r} at line {line + 1} position {index + 1} where"
    assert any(error.startswith(message) for error in result.errors)
    assert any(f"(OCR slip for {hint}?)" in error for error in result.errors) == (hint is not None)
    assert getattr(result, value[0]) == value[1]
    assert not result.valid


@pytest.mark.parametrize(
    "code",
    ["D<<", "GBD", "GBN", "GBO", "GBP", "GBS", "XXA", "XXB", "XXC", "XXX", "UNO", "UNA", "UNK", "EUE", "RKS", "CHN"],
)
def test_mrz_only_nationalities_are_known(code: str) -> None:  # fmt: skip
    result = parse(td3(issuer=code, nationality=code))
    assert (result.nationality, result.issuer, result.valid) == (code.strip("<"), code.strip("<"), True)


@pytest.mark.parametrize(
    "field, code", [("issuer", "ZZZ"), ("nationality", "ZZZ"), ("nationality", "DE<"), ("issuer", "<<<")]
)
def test_unknown_codes_are_errors_not_guesses(field: str, code: str) -> None:  # fmt: skip
    result = parse(td3(**{field: code}))
    assert result.errors == [f"{field}: unknown state code {code!r}"]
    assert getattr(result, field) == code.strip("<")
    assert not result.valid


def test_sex_filler_is_x_and_anything_else_is_an_error() -> None:
    assert parse(put(TD3, line=1, index=20, text="<")).sex == "X"
    result = parse(put(TD3, line=1, index=20, text="K"))
    assert (result.sex, result.errors, result.valid) == ("K", ["sex: 'K' is not M, F, X or <"], False)


@pytest.mark.parametrize(
    "given",
    [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
        ["  P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<  \n", "\tL898902C36UTO7408122F1204159ZE184226B<<<<<10 "],
        ["\nP<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\r\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n\n"],
    ],
    ids=["one-string", "whitespace", "one-item-with-newlines"],
)
def test_input_shapes_read_the_same(given: list[str] | str) -> None:
    assert parse(given) == parse(TD3)


def test_lower_case_is_read_as_upper_case_with_a_warning() -> None:
    result = parse([line.lower() for line in TD3])
    assert (result.surname, result.document_number, result.valid) == ("ERIKSSON", "L898902C3", True)
    assert result.warnings[0] == "the MRZ was in lower case; read as upper case"


@pytest.mark.parametrize(
    "lines, line, missing",
    [
        ([TD3[0].rstrip("<"), TD3[1]], 1, 19),
        ([TD1[0].rstrip("<"), TD1[1], TD1[2][:-3]], 1, 15),
        ([MRVA[0], MRVA[1].rstrip("<")], 2, 6),
        ([TD2[0][:-2], TD2[1]], 1, 2),
    ],
)
def test_short_lines_lacking_only_fillers_are_padded(lines: list[str], line: int, missing: int) -> None:
    result = parse(lines)
    assert result.valid
    assert f"line {line} was {missing} character(s) short; padded with <" in result.warnings


def test_a_name_filling_its_field_is_kept_with_a_warning() -> None:
    lines = put(TD3, line=0, index=5, text="ERIKSSON<<ANNA<MARIA<ELISABETH<CHRISTIN")
    result = parse(lines)
    assert (result.surname, result.given_names, result.valid) == ("ERIKSSON", "ANNA MARIA ELISABETH CHRISTIN", True)
    assert "name fills its whole field and may be truncated; kept as read" in result.warnings


NOT_MRZ = [
    ([], "empty input"),
    (["", "   \n "], "empty input"),
    (["P<UTOERIKSSON<<ANNA<MARIA"], "1 line(s)"),
    ([*TD1, TD1[2]], "4 line(s)"),
    ([TD3[0] + "<<<<<<", TD3[1]], "line 1 has 50 characters"),
    ([TD3[0], TD3[1][:40]], "line 2 has 40 characters: a TD3 line has 44"),
    ([TD1[0], TD1[1]], "line 2 has 30 characters: a TD2 line has 36"),
    ([TD3[0][:30], TD3[0], TD3[0]], "line 2 has 44 characters: a TD1 line has 30"),
    (["Dear officer, I have", "nothing to declare today"], "outside A-Z, 0-9 and <"),
]


@pytest.mark.parametrize("lines, why", NOT_MRZ)
def test_not_an_mrz_says_why(lines: list[str], why: str) -> None:
    with pytest.raises(NotAnMrz, match=why.replace("(", r"\(").replace(")", r"\)")):
        parse(lines)


def test_garbage_only_ever_reads_or_raises_not_an_mrz() -> None:
    for text in garbage(samples=["\n".join(TD3), "\n".join(TD1), "\n".join(TD2)], seed=9303, step=5, mutations=400):
        try:
            result = parse(text)
        except NotAnMrz:
            continue
        assert result.valid == (all(result.checks.values()) and not result.errors)


def test_result_is_frozen() -> None:
    with pytest.raises(FrozenInstanceError):
        parse(TD3).valid = False  # type: ignore[misc]


CONTRACT = {"valid", "format", "document_type", "issuer", "surname", "given_names", "document_number", "nationality"}
CONTRACT |= {"birth_date", "sex", "expiry_date", "checks", "errors", "optional_data", "warnings"}


def test_dict_is_the_cli_contract() -> None:
    assert mrz_to_dict(parse(TD1_LONG)) == {
        "valid": True,
        "format": "TD1",
        "document_type": "I",
        "issuer": "UTO",
        "surname": "STEVENSON",
        "given_names": "PETER JOHN",
        "document_number": "D23145890734",
        "nationality": "UTO",
        "birth_date": "1934-07-12",
        "sex": "M",
        "expiry_date": "1995-07-12",
        "optional_data": "",
        "checks": {"document_number": True, "birth_date": True, "expiry_date": True, "composite": True},
        "errors": [],
        "warnings": [
            "issuer: UTO is Utopia, ICAO's specimen state",
            "nationality: UTO is Utopia, ICAO's specimen state",
        ],
    }


@pytest.mark.parametrize("lines, valid", [(DE_PASSPORT, True), (put(TD3, line=1, index=43, text="1"), False)])
def test_cli_prints_the_contract_and_exits_0_valid_or_not(lines: list[str], valid: bool) -> None:
    result = runner.invoke(app, ["formats", "mrz", *lines])
    parsed = json.loads(result.stdout)
    assert result.exit_code == 0
    assert set(parsed) == CONTRACT
    assert (parsed["valid"], parsed["checks"]["composite"]) == (valid, valid)
    assert parsed["birth_date"] == "1964-08-12" or not valid


@pytest.mark.parametrize("lines, why", [(["hello"], "1 line(s)"), ([TD3[0], TD3[1][:40]], "line 2 has 40 characters")])
def test_cli_exits_2_when_not_an_mrz(lines: list[str], why: str) -> None:
    result = runner.invoke(app, ["formats", "mrz", *lines])
    assert result.exit_code == 2
    assert why in " ".join(result.stderr.split())
    assert result.stdout == ""
