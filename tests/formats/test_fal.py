"""FAL Form 5 crew lists and Form 6 passenger lists, as CSV with the forms' box names and as JSON."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from kouan.formats.fal import FalList, fal_to_dict, parse_fal, parse_fal_csv, parse_fal_json
from kouan.formats.fal_fields import FieldProblem, read_date, read_nationality, split_birth, split_document
from kouan.formats.records import FormatError

DATA = Path(__file__).parent / "data"


def _read(name: str) -> FalList:
    return parse_fal((DATA / name).read_text(encoding="utf-8"))


def _warnings(fal: FalList) -> dict[str, str]:
    return {w.segment: w.message for w in fal.warnings}


def test_crew_list_csv_of_a_bulk_carrier_at_maanshan() -> None:
    fal = _read("fal5_maanshan_2020.csv")
    assert fal.form == 5 and fal.warnings == ()
    assert (fal.ship.name, fal.ship.imo, fal.ship.port, fal.ship.date) == (
        "JIN HAI FORTUNE",
        "9321483",
        "CNMAA",
        date(2020, 3, 9),
    )
    assert (fal.ship.flag_state, fal.ship.last_port_of_call, fal.ship.call_sign) == ("HKG", "CNNKG", "VRQK7")
    assert [p.nationality for p in fal.persons] == ["CHN"] * 3 + ["PHL"] * 3 + ["UKR"] * 2 + ["CHN", "PHL"]
    master = fal.persons[0]
    assert (master.surname, master.given_names, master.rank, master.number) == ("WANG", "JIANGUO", "Master", "1")
    assert (master.birth_date, master.birth_place) == (date(1971, 6, 2), "Dalian")
    assert (master.document_type, master.document_number, master.source) == ("passport", "E12764510", "row 10")


def test_crew_list_csv_reads_every_date_form_and_document_kind() -> None:
    persons = {p.surname: p for p in _read("fal5_maanshan_2020.csv").persons}
    assert persons["LI"].birth_date == date(1979, 9, 14)  # 14/09/1979
    assert persons["DELA CRUZ"].birth_date == date(1983, 7, 21)  # 21.07.1983
    assert (persons["REYES"].birth_date, persons["REYES"].birth_place) == (date(1990, 2, 28), "Iloilo")
    assert persons["KOVALENKO"].birth_date == date(1985, 3, 5)  # 05 MAR 1985
    assert (persons["LI"].document_type, persons["LI"].document_number) == ("seafarer_id", "C0448721")
    assert (persons["BONDARENKO"].document_type, persons["BONDARENKO"].document_number) == ("seafarer_id", "UA0193377")


def test_passenger_list_csv_has_embarkation_disembarkation_and_transit() -> None:
    fal = _read("fal6_weihai_ferry.csv")
    assert fal.form == 6 and fal.warnings == ()
    assert fal.ship.date == date(2020, 3, 14)
    assert [(p.embarkation, p.disembarkation, p.transit) for p in fal.persons] == [
        ("KRINC", "CNWEI", False),
        ("KRINC", "CNWEI", False),
        ("KRINC", "CNWEI", False),
        ("KRINC", "CNTAO", True),
    ]
    assert [(p.document_type, p.document_number) for p in fal.persons][3] == ("passport", "754120984")
    assert fal.persons[1].nationality == "KOR"


def test_crew_list_json_with_box_names_as_keys() -> None:
    fal = _read("fal5_jin_hai_fortune.json")
    assert (fal.form, fal.ship.imo, fal.ship.flag_state) == (5, "9321483", "HKG")
    assert [p.source for p in fal.persons] == ["$.crew[0]", "$.crew[1]", "$.crew[2]"]
    santos = fal.persons[1]
    assert (santos.nationality, santos.birth_date, santos.birth_place) == ("PHL", date(1988, 4, 17), "Manila")
    assert (santos.document_type, santos.document_number) == ("passport", "P4471203A")


def test_crew_list_json_warns_with_json_paths_and_keeps_good_rows() -> None:
    fal = _read("fal5_jin_hai_fortune.json")
    assert _warnings(fal) == {
        "$.crew[2].date_and_place_of_birth": "1985-02-30 is not a date",
        "$.crew[3]": "no family name or given names; row skipped",
        "$.crew[4]": "not an object; skipped",
    }
    assert fal.persons[2].surname == "KOVALENKO" and fal.persons[2].birth_date is None


def test_dirty_csv_names_each_bad_box_and_keeps_the_rest() -> None:
    fal = _read("fal5_dirty.csv")
    assert _warnings(fal) == {
        'row 2 column "IMO number"': "IMO 9321484: check digit is 4, should be 3",
        'row 3 column "Flag State of ship"': "'Atlantis' is not a known country or nationality",
        "row 4": "'Weather' is not a box of the ship's particulars; ignored",
        'row 5 column "Shoe size"': "is not a box of FAL Form 5 or 6; ignored",
        'row 6 column "Date and place of birth"': "31/02/1971 is not a date",
        'row 7 column "Date and place of birth"': "03/04/1979 is ambiguous (day/month or month/day); left empty",
        "row 8": "no family name or given names; row skipped",
        'row 9 column "Date and place of birth"': "no date of birth in 'Manila'",
        'row 9 column "Nationality"': "'Narnia' is not a known country or nationality",
        "row 10": "6 cells where the heading has 8",
    }
    assert [p.surname for p in fal.persons] == ["WANG", "LI", "SANTOS", "KOVALENKO", "REYES"]
    assert fal.ship.imo is None and fal.ship.name == "JIN HAI FORTUNE"
    kovalenko = fal.persons[3]
    assert (kovalenko.birth_date, kovalenko.document_type, kovalenko.document_number) == (date(1985, 3, 5), None, None)


def test_older_combined_name_box_and_tab_separated() -> None:
    heading = "No.\tFamily name, given names\tRank or rating\tNationality\tDate and place of birth\n"
    text = heading + "1\tPETROV, IVAN\tCook\tRU\t1970-01-02 Nakhodka\n"
    person = parse_fal_csv(text).persons[0]
    assert (person.surname, person.given_names, person.nationality, person.rank) == ("PETROV", "IVAN", "RUS", "Cook")


def test_repeated_column_is_ignored_with_a_warning() -> None:
    fal = parse_fal_csv("Family name,Given names,Surname\nLI,HAIBO,ZHANG\n")
    assert fal.persons[0].surname == "LI"
    assert _warnings(fal) == {'row 1 column "Surname"': "repeats an earlier column; ignored"}


def test_bad_transit_answer_is_a_warning() -> None:
    fal = parse_fal_csv("Family name,Given names,Port of embarkation,Transit passenger or not\nKIM,MIN,KRINC,maybe\n")
    assert fal.form == 6 and fal.persons[0].transit is None
    assert _warnings(fal) == {'row 2 column "Transit passenger or not"': "'maybe' is neither yes nor no"}


@pytest.mark.parametrize(
    "text",
    ["", "hello world\n", "Name,Age\nLI,40\n", "Name of ship,JIN HAI FORTUNE\nIMO number,9321483\n"],
)
def test_csv_without_a_family_name_heading_is_not_a_fal_list(text: str) -> None:
    with pytest.raises(FormatError, match='no "Family name" heading'):
        parse_fal(text)


def test_csv_that_the_csv_reader_refuses_is_a_format_error_naming_the_row() -> None:
    with pytest.raises(FormatError, match="not CSV: field larger than field limit") as raised:
        parse_fal_csv("Family name,Given names\nLI," + "H" * 200_000 + "\n")
    assert raised.value.position == "row 2"


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ("{", "line 1 column 2", "not JSON"),
        ('{"ship": {}}', "$", 'no "crew" or "passengers" list'),
        ('{"crew": {"family_name": "LI"}}', "$", 'no "crew" or "passengers" list'),
        ('{"form": 7, "crew": []}', "$.form", "neither 5 (crew) nor 6 (passengers)"),
    ],
)
def test_json_that_is_not_a_fal_list(text: str, position: str, message: str) -> None:
    with pytest.raises(FormatError, match=re.escape(message)) as raised:
        parse_fal_json(text)
    assert raised.value.position == position


def test_json_top_level_array_is_not_a_fal_list() -> None:
    with pytest.raises(FormatError, match="not a JSON object"):
        parse_fal_json("[]")


def test_json_form_disagreeing_with_its_list_is_a_warning() -> None:
    fal = parse_fal_json('{"form": "6", "crew": [{"family_name": "LI", "given_names": "HAIBO", "bogus": 1}]}')
    assert fal.form == 6
    assert _warnings(fal) == {
        "$.form": 'form 6 with a "crew" list; read as form 6',
        "$.crew[0].bogus": "not a box of the form; ignored",
    }


def test_dict_for_the_cli_names_the_list_by_form() -> None:
    crew = fal_to_dict(_read("fal5_maanshan_2020.csv"))
    passengers = fal_to_dict(_read("fal6_weihai_ferry.csv"))
    assert "crew" in crew and "passengers" not in crew and "passengers" in passengers
    first = crew["crew"][0]
    assert {key: first[key] for key in ("surname", "given_names", "nationality", "birth_date", "birth_place")} == {
        "surname": "WANG",
        "given_names": "JIANGUO",
        "nationality": "CHN",
        "birth_date": "1971-06-02",
        "birth_place": "Dalian",
    }
    assert (first["document_type"], first["document_number"]) == ("passport", "E12764510")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1980-02-14", date(1980, 2, 14)),
        ("14/02/1980", date(1980, 2, 14)),
        ("02/14/1980", date(1980, 2, 14)),  # the 14 can only be the day
        ("14.02.1980", date(1980, 2, 14)),
        ("03.04.1980", date(1980, 4, 3)),  # dots are day.month.year
        ("14-02-1980", date(1980, 2, 14)),
        ("14 FEB 1980", date(1980, 2, 14)),
        ("14-Feb-1980", date(1980, 2, 14)),
        ("14FEB1980", date(1980, 2, 14)),
        ("5 March 1985", date(1985, 3, 5)),
        ("04/04/1980", date(1980, 4, 4)),  # same either way
        ("", None),
    ],
)
def test_unambiguous_dates_are_read(text: str, expected: date | None) -> None:
    assert read_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/1980", "31/02/1980 is not a date"),
        ("1980-13-01", "1980-13-01 is not a date"),
        ("03/04/1980", "03/04/1980 is ambiguous (day/month or month/day); left empty"),
        ("14 FOO 1980", "14 FOO 1980 is not a date (unknown month 'FOO')"),
        ("14/02/80", "14/02/80 is not a date"),
        ("yesterday", "yesterday is not a date"),
    ],
)
def test_bad_or_ambiguous_dates_say_why(text: str, message: str) -> None:
    with pytest.raises(FieldProblem) as raised:
        read_date(text)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14/02/1980 Manila", ("14/02/1980", "Manila")),
        ("1980-02-14, MANILA", ("1980-02-14", "MANILA")),
        ("Odesa 03.11.1975", ("03.11.1975", "Odesa")),
        ("12 MAR 1990 / Dalian, Liaoning", ("12 MAR 1990", "Dalian, Liaoning")),
        ("1980-02-14", ("1980-02-14", None)),
        ("Busan", (None, "Busan")),
        ("", (None, None)),
    ],
)
def test_date_and_place_of_birth_is_split(text: str, expected: tuple[str | None, str | None]) -> None:
    assert split_birth(text) == expected


@pytest.mark.parametrize(
    ("text", "alpha3"),
    [
        ("CHN", "CHN"),
        ("PH", "PHL"),
        ("Philippines", "PHL"),
        ("FILIPINO", "PHL"),
        ("Ukraine", "UKR"),
        ("D", "DEU"),
        ("", None),
    ],
)
def test_nationality_becomes_alpha3(text: str, alpha3: str | None) -> None:
    assert read_nationality(text) == alpha3


def test_unknown_nationality_says_so() -> None:
    with pytest.raises(FieldProblem, match="'Narnia' is not a known country or nationality"):
        read_nationality("Narnia")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Passport EA1234567", ("passport", "EA1234567")),
        ("PP: E1234567", ("passport", "E1234567")),
        ("Seaman's book C123456", ("seafarer_id", "C123456")),
        ("SID UA0193377", ("seafarer_id", "UA0193377")),
        ("ID card 110101198001011234", ("identity_card", "110101198001011234")),
        ("Driving licence X1", ("driving licence", "X1")),
        ("EB7654321", (None, "EB7654321")),
        ("Passport", ("passport", None)),
    ],
)
def test_nature_and_number_of_document_are_split(text: str, expected: tuple[str | None, str | None]) -> None:
    assert split_document(text) == expected
