"""IATA BCBP (Resolution 792): the Implementation Guide's passes, New Year, four legs, names, and every bad case."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from kouan.cli import app
from kouan.formats.bcbp import bcbp_to_dict, parse_bcbp, split_name
from kouan.formats.records import FormatError

runner = CliRunner()

# The guide's one-leg pass with the mandatory items only (60 characters).
ONE_LEG = "M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100"

# The guide's two-leg pass, version 6: conditional items on both legs, airline data, then a security block.
SECURITY = "GIWVC5EH7JNT684FVNJ91W2QA4DVN5J8K4F0L0GEQ3DF5TGBN8709HKT5D3DW3GBHFCVHMY7J5T6HFR41W2QA4DVN5J8K4F0L0GE"
TWO_LEGS = (
    "M2DESMARAIS/LUC       E"
    "ABC123 YULFRAAC 0834 326J001A0025 14D"  # leg 1 mandatory, variable block 0x4D = 77
    ">6180WW6225BAC 0014123456003"  # version 6, unique block 0x18 = 24
    "2A0141234567890 1AC AC 1234567890123    20KY"  # repeated block 0x2A = 42
    "LX58Z"  # airline data
    "DEF456 FRAGVALH 3664 327C012C0002 12E"  # leg 2 mandatory, variable block 0x2E = 46
    "2A0140987654321 1AC AC 1234567890123    2PCN"
    "WQ"
    "^164" + SECURITY  # security type 1, 0x64 = 100 characters
)


def _leg(*, ref: str, route: str, flight: str, julian: str, seat: str, sequence: str, variable: str = "00") -> str:
    return f"{ref:<7}{route}{flight}{julian}Y{seat}{sequence}1{variable}"


FOUR_LEGS = (
    "M4"
    + "ZHANG/SANFENG".ljust(20)
    + "E"
    + "".join(
        (
            _leg(ref="X7K2PQ", route="PEKFRACA ", flight="0931 ", julian="084", seat="032K", sequence="0101 "),
            _leg(ref="X7K2PQ", route="FRAMADLH ", flight="1120 ", julian="085", seat="007C", sequence="0042 "),
            _leg(ref="Y9LM3R", route="MADLISIB ", flight="3100A", julian="086", seat="012F", sequence="0003 "),
            _leg(ref="Y9LM3R", route="LISPVGTP ", flight="0075 ", julian="090", seat="040A", sequence="0260 "),
        )
    )
)


def with_julian(julian: str, *, name: str = "DESMARAIS/LUC") -> str:
    return f"M1{name:<20}E" + _leg(
        ref="ABC123", route="YULFRAAC ", flight="0834 ", julian=julian, seat="001A", sequence="0025 "
    )


def test_one_leg_mandatory_items() -> None:
    boarding_pass = parse_bcbp(ONE_LEG, reference=date(2024, 11, 1))
    (leg,) = boarding_pass.legs
    assert (boarding_pass.surname, boarding_pass.given_names, boarding_pass.electronic_ticket) == (
        "DESMARAIS",
        "LUC",
        True,
    )
    assert (leg.booking_ref, leg.origin, leg.destination, leg.carrier, leg.flight) == (
        "ABC123",
        "YUL",
        "FRA",
        "AC",
        "834",
    )
    assert (leg.julian_day, leg.date, leg.cabin, leg.seat, leg.sequence, leg.status) == (
        326,
        date(2024, 11, 21),
        "J",
        "1A",
        "25",
        "1",
    )
    assert (leg.conditional, boarding_pass.version, boarding_pass.issue_date, boarding_pass.security) == (
        {},
        None,
        None,
        None,
    )
    assert boarding_pass.warnings == ()


def test_two_legs_version_6_with_conditional_items_and_security() -> None:
    boarding_pass = parse_bcbp(TWO_LEGS, reference=date(2016, 11, 1))
    first, second = boarding_pass.legs
    assert (boarding_pass.version, boarding_pass.issue_date) == ("6", date(2016, 8, 12))
    assert [(leg.flight, leg.date, leg.seat, leg.cabin) for leg in boarding_pass.legs] == [
        ("834", date(2016, 11, 21), "1A", "J"),
        ("3664", date(2016, 11, 22), "12C", "C"),
    ]
    assert first.conditional == {
        "passenger_description": "0",
        "checkin_source": "W",
        "issuance_source": "W",
        "issue_date": "6225",
        "document_type": "B",
        "issuer": "AC",
        "baggage_tag": "0014123456003",
        "airline_numeric_code": "014",
        "document_number": "1234567890",
        "document_verification": "1",
        "marketing_carrier": "AC",
        "frequent_flyer_airline": "AC",
        "frequent_flyer_number": "1234567890123",
        "baggage_allowance": "20K",
        "fast_track": "Y",
        "airline_data": "LX58Z",
    }
    assert (second.booking_ref, second.carrier, second.sequence, second.conditional["document_number"]) == (
        "DEF456",
        "LH",
        "2",
        "0987654321",
    )
    assert (second.conditional["baggage_allowance"], second.conditional["airline_data"]) == ("2PC", "WQ")
    assert "passenger_description" not in second.conditional
    assert boarding_pass.security == "^164" + SECURITY
    assert boarding_pass.warnings == ()


@pytest.mark.parametrize(
    "reference, julian, expected",
    [
        (date(2020, 1, 2), "365", date(2019, 12, 31)),
        (date(2019, 12, 30), "002", date(2020, 1, 2)),
        (date(2020, 12, 30), "366", date(2020, 12, 31)),
        (date(2021, 1, 3), "366", date(2020, 12, 31)),
        (date(2019, 7, 1), "182", date(2019, 7, 1)),
    ],
)
def test_flight_date_is_the_julian_day_nearest_the_reference(reference: date, julian: str, expected: date) -> None:
    assert parse_bcbp(with_julian(julian), reference=reference).legs[0].date == expected


def test_date_of_issue_places_the_flight_around_new_year() -> None:
    # Issued 2019-12-31 (year digit 9, day 365): the reference only picks the decade.
    text = TWO_LEGS.replace(">6180WW6225", ">6180WW9365").replace("326J001A", "002J001A").replace("327C", "003C")
    boarding_pass = parse_bcbp(text, reference=date(2021, 3, 1))
    assert boarding_pass.issue_date == date(2019, 12, 31)
    assert [leg.date for leg in boarding_pass.legs] == [date(2020, 1, 2), date(2020, 1, 3)]
    assert [w.message for w in boarding_pass.warnings] == ["2019-12-31 is more than a year from 2021-03-01"]


def test_date_of_issue_just_after_new_year_places_the_flight_before_it() -> None:
    text = TWO_LEGS.replace(">6180WW6225", ">6180WW0001").replace("326J001A", "365J001A").replace("327C", "001C")
    boarding_pass = parse_bcbp(text, reference=date(2020, 1, 1))
    assert boarding_pass.issue_date == date(2020, 1, 1)
    assert [leg.date for leg in boarding_pass.legs] == [date(2019, 12, 31), date(2020, 1, 1)]


def test_four_legs() -> None:
    boarding_pass = parse_bcbp(FOUR_LEGS, reference=date(2020, 3, 20))
    assert [(leg.origin, leg.destination, leg.carrier, leg.flight) for leg in boarding_pass.legs] == [
        ("PEK", "FRA", "CA", "931"),
        ("FRA", "MAD", "LH", "1120"),
        ("MAD", "LIS", "IB", "3100A"),
        ("LIS", "PVG", "TP", "75"),
    ]
    assert [leg.date for leg in boarding_pass.legs] == [
        date(2020, 3, 24),
        date(2020, 3, 25),
        date(2020, 3, 26),
        date(2020, 3, 30),
    ]
    assert [leg.booking_ref for leg in boarding_pass.legs] == ["X7K2PQ", "X7K2PQ", "Y9LM3R", "Y9LM3R"]
    assert [leg.seat for leg in boarding_pass.legs] == ["32K", "7C", "12F", "40A"]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("ZHANG/SANFENG       ", ("ZHANG", "SANFENG", None)),
        ("OUYANG/XIAOMING MR  ", ("OUYANG", "XIAOMING", "MR")),
        ("DESMARAIS/LUC MRS   ", ("DESMARAIS", "LUC", "MRS")),
        ("DE LA CRUZ/ANA MARIA", ("DE LA CRUZ", "ANA MARIA", None)),
        ("LI/NA MS            ", ("LI", "NA", "MS")),
        ("SMITH/JOHNMR        ", ("SMITH", "JOHNMR", None)),
        ("MADONNA             ", ("MADONNA", "", None)),
    ],
)
def test_names_split_at_the_slash_and_keep_a_title_apart(raw: str, expected: tuple[str, str, str | None]) -> None:
    assert split_name(raw) == expected


def test_pinyin_name_on_a_pass() -> None:
    boarding_pass = parse_bcbp(with_julian("084", name="ZHANG/SANFENG MR"), reference=date(2020, 3, 1))
    assert (boarding_pass.surname, boarding_pass.given_names, boarding_pass.title) == ("ZHANG", "SANFENG", "MR")


def test_blank_seat_and_sequence_and_a_non_numeric_seat() -> None:
    text = with_julian("084").replace("001A0025 ", " " * 9)
    (leg,) = parse_bcbp(text, reference=date(2020, 3, 1)).legs
    assert (leg.seat, leg.sequence) == (None, None)
    (leg,) = parse_bcbp(with_julian("084").replace("001A", "INF "), reference=date(2020, 3, 1)).legs
    assert leg.seat == "INF"


def test_trailing_spaces_and_newline_are_ignored() -> None:
    boarding_pass = parse_bcbp(ONE_LEG + "    \r\n", reference=date(2024, 11, 1))
    assert boarding_pass.legs[0].seat == "1A"
    assert boarding_pass.warnings == ()


def test_unknown_version_still_reads_the_mandatory_items() -> None:
    text = "M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 108>9ABCDEF"
    boarding_pass = parse_bcbp(text, reference=date(2024, 11, 1))
    assert (boarding_pass.version, boarding_pass.legs[0].flight, boarding_pass.legs[0].conditional) == (
        "9",
        "834",
        {"raw": "ABCDEF"},
    )
    assert [w.segment for w in boarding_pass.warnings] == ["leg 1, character 63"]


def test_variable_block_without_version_is_airline_data() -> None:
    text = ONE_LEG[:-2] + "05HELLO"
    assert parse_bcbp(text, reference=date(2024, 11, 1)).legs[0].conditional == {"airline_data": "HELLO"}


def test_a_field_cut_by_its_block_size_is_kept_with_a_warning() -> None:
    text = ONE_LEG[:-2] + "11>60D1WW6225BAC 00"  # unique block of 13: baggage tag cut to 2 characters
    boarding_pass = parse_bcbp(text, reference=date(2016, 11, 1))
    assert boarding_pass.legs[0].conditional["baggage_tag"] == "00"
    assert [w.message for w in boarding_pass.warnings] == ["baggage_tag cut short by its block's size"]


def test_characters_after_the_last_leg_are_a_warning() -> None:
    boarding_pass = parse_bcbp(ONE_LEG + "XYZ", reference=date(2024, 11, 1))
    assert [(w.segment, w.message) for w in boarding_pass.warnings] == [
        ("character 61", "3 characters after the last leg ignored")
    ]


@pytest.mark.parametrize(
    "text, position, item",
    [
        ("X" + ONE_LEG[1:], "character 1", "format code"),
        ("M0" + ONE_LEG[2:], "character 2", "number of legs"),
        ("M5" + ONE_LEG[2:], "character 2", "number of legs"),
        ("M", "character 2", "number of legs"),
        ("M1DESMARAIS/LUC", "character 3", "passenger name"),
        (ONE_LEG[:40], "leg 1, character 40", "flight number"),
        (ONE_LEG[:50], "leg 1, character 49", "seat number"),
        (ONE_LEG.replace("0834", "AC83"), "leg 1, character 40", "flight number"),
        (ONE_LEG.replace("326J", "3X6J"), "leg 1, character 45", "date of flight"),
        (with_julian("000"), "leg 1, character 45", "date of flight: Julian day 000"),
        (with_julian("367"), "leg 1, character 45", "date of flight: Julian day 367"),
        (with_julian("366"), "leg 1, character 45", "Julian day 366 in 2021, which is not a leap year"),
        (ONE_LEG.replace("0025 ", "00X5 "), "leg 1, character 53", "check-in sequence number"),
        (ONE_LEG[:-2] + "ZZ", "leg 1, character 59", "field size of variable size field: expected 2 hex digits"),
        (ONE_LEG[:-2] + "10ABC", "leg 1, character 61", "variable size field: size 16 points beyond the text"),
        ("M2" + ONE_LEG[2:], "leg 2, character 61", "operating carrier PNR code"),
        (ONE_LEG[:-2] + "08>6FF0WW6", "leg 1, character 65", "unique conditional items: size 255 points beyond"),
        (ONE_LEG[:-2] + "07>6010X2", "leg 1, character 66", "field size of repeated conditional items"),
        (ONE_LEG[:-2] + "0C>6080WW6A25B", "leg 1, character 68", "date of issue: expected 4 digits"),
        (ONE_LEG[:-2] + "0C>6080WW6000B", "leg 1, character 68", "date of issue: Julian day 000"),
        (ONE_LEG + "^1FFABC", "character 65", "security data: size 255 points beyond the text"),
        (ONE_LEG + "^1G0ABC", "character 63", "length of security data: expected 2 hex digits"),
    ],
)
def test_unusable_pass_names_the_position_and_item(text: str, position: str, item: str) -> None:
    with pytest.raises(FormatError) as caught:
        parse_bcbp(text, reference=date(2022, 6, 1))
    assert caught.value.position == position
    assert item in str(caught.value)


def test_to_dict_is_the_cli_contract() -> None:
    result = bcbp_to_dict(parse_bcbp(TWO_LEGS, reference=date(2016, 11, 1)))
    assert set(result) == {"legs", "surname", "given_names", "booking_ref", "version", "warnings"}
    assert set(result["legs"][0]) == {
        "from",
        "to",
        "carrier",
        "flight",
        "date",
        "seat",
        "cabin",
        "sequence",
        "booking_ref",
    }
    assert (result["booking_ref"], result["version"], result["legs"][1]["date"]) == ("ABC123", "6", "2016-11-22")


def test_cli_prints_the_pass_as_json() -> None:
    result = runner.invoke(app, ["formats", "bcbp", TWO_LEGS, "--reference", "2016-11-01"])
    assert result.exit_code == 0
    parsed = json.loads(result.stdout)
    assert set(parsed) == {"legs", "surname", "given_names", "booking_ref", "version", "warnings"}
    assert [
        (leg["from"], leg["to"], leg["carrier"], leg["flight"], leg["date"], leg["seat"]) for leg in parsed["legs"]
    ] == [
        ("YUL", "FRA", "AC", "834", "2016-11-21", "1A"),
        ("FRA", "GVA", "LH", "3664", "2016-11-22", "12C"),
    ]
    assert (parsed["surname"], parsed["given_names"], parsed["booking_ref"]) == ("DESMARAIS", "LUC", "ABC123")
    assert [leg["cabin"] for leg in parsed["legs"]] == ["J", "C"]


def test_cli_exits_2_naming_the_position() -> None:
    result = runner.invoke(app, ["formats", "bcbp", "X" + ONE_LEG[1:], "--reference", "2024-11-01"])
    assert result.exit_code == 2
    assert "boarding pass: character 1: format code" in " ".join(result.stderr.split())
    assert result.stdout == ""
