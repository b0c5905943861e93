"""PAXLST: the two real samples field by field, every dirty variant carriers send, errors that name the place,
garbage that never escapes as anything but FormatError, and the writer's round trip."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from kouan.formats.paxlst import parse_paxlst, paxlst_to_dict, write_paxlst
from kouan.formats.records import Document, FormatError, Leg, ParseWarning, PaxlstMessage, Person
from tests.conftest import SAMPLES
from tests.support.garbage import garbage

DATA = Path(__file__).parent / "data"
CBP = (SAMPLES / "paxlst_cbp_guide_d05b.edi").read_text()
GTAS = (SAMPLES / "paxlst_gtas_multileg_d05b.edi").read_text()
CREW = (DATA / "paxlst_crew_d12b.edi").read_text()
TODAY = date(2024, 6, 1)

DOE = Person(
    surname="DOE",
    given_names="JOHN WAYNE",
    role="passenger",
    sex="M",
    birth_date=date(1957, 1, 21),
    nationality="CAN",
    documents=(Document("P", "MB140241", "CAN", date(2008, 10, 21)),),
    embarkation="YVR",
    debarkation="ATL",
    transit="JFK",
    residence_country="CAN",
    seat="23C",
    booking_ref="ABC123",
    address="20 MAIN ST, ANYCITY, VA, 10053, USA",
)
CBP_LEGS = [
    Leg("YVR", "JFK", datetime(2007, 4, 29, 12, 30), datetime(2007, 4, 29, 16, 0), carrier="UA", number="UA123"),
    Leg("JFK", "ATL", datetime(2007, 4, 29, 17, 30), datetime(2007, 4, 29, 19, 45), carrier="UA", number="UA124"),
]


def parse(text: str) -> PaxlstMessage:
    return parse_paxlst(text, today=TODAY)


def messages(message: PaxlstMessage) -> list[tuple[str, str]]:
    return [(w.segment, w.message) for w in message.warnings]


def test_cbp_guide_sample_reads_every_field() -> None:
    assert parse(CBP) == PaxlstMessage(
        message_type="passengers",
        carrier="UA",
        number="UA123",
        legs=CBP_LEGS,
        travellers=[DOE],
        declared_count=1,
        reference="PAX001",
        sender="APIS*ABE",
        prepared_at=datetime(2007, 4, 29, 9, 0),
        version="D:05B",
        warnings=[],
    )


def test_gtas_multileg_sample_reads_every_field() -> None:
    barrett = Person(
        surname="BARRETT",
        given_names="TODD",
        role="passenger",
        sex="M",
        birth_date=date(1968, 2, 23),
        nationality="FRA",
        documents=(Document("P", "YY3478621G", "FRA", date(2008, 12, 30)),),
        embarkation="MIA",
        debarkation="CDG",
        residence_country="FRA",
        booking_ref="GJIO3RT",
    )
    lang = Person(
        surname="LANG",
        given_names="KRISTIN",
        role="passenger",
        sex="F",
        birth_date=date(1960, 6, 6),
        nationality="ESP",
        documents=(Document("P", "TRQWE99800", "ESP", date(2009, 9, 16)),),
        embarkation="MIA",
        debarkation="CDG",
        residence_country="ESP",
        booking_ref="GJIO3RT",
    )
    legs = [
        Leg("MIA", "IAD", datetime(2008, 7, 10, 15, 0), datetime(2008, 7, 10, 17, 55), carrier="QQ", number="QQ877"),
        Leg("IAD", "JFK", datetime(2008, 8, 10, 18, 30), datetime(2008, 8, 10, 19, 30), carrier="QQ", number="QQ827"),
        Leg("JFK", "CDG", datetime(2008, 8, 10, 20, 0), datetime(2008, 8, 11, 6, 30), carrier="QQ", number="QQ827"),
    ]
    assert parse(GTAS) == PaxlstMessage(
        message_type="passengers",
        carrier="QQ",
        number="QQ827",
        legs=legs,
        travellers=[barrett, lang],
        declared_count=2,
        reference="123456789",
        sender="APIS*ABE",
        prepared_at=datetime(2008, 7, 8, 5, 45),
        version="D:05B",
        warnings=[],
    )


def test_crew_list_d12b_with_several_documents_and_in_transit_crew() -> None:
    message = parse(CREW)
    wang, schmidt, oneill = message.travellers
    assert (message.message_type, message.version, message.declared_count, message.warnings) == ("crew", "D:12B", 3, [])
    assert message.legs == [
        Leg("FRA", "PEK", datetime(2020, 3, 15, 19, 30), datetime(2020, 3, 16, 11, 5), "CA", "CA932")
    ]
    assert wang.documents == (
        Document("P", "E12345678", "CHN", date(2028, 1, 1), issued=date(2018, 1, 2)),
        Document("AC", "CA0042", "CHN", date(2026, 12, 31)),
    )
    assert (wang.role, wang.birth_place, wang.address) == ("crew", "SHANGHAI", "BEIJING, 100621, CHN")
    assert (schmidt.given_names, schmidt.birth_date, schmidt.documents[0].issuer) == (
        "ANNA MARIA",
        date(1985, 8, 30),
        "D",
    )
    assert (oneill.surname, oneill.role) == ("O'NEILL", "in_transit")


def test_cli_dict_follows_the_json_contract() -> None:
    result = paxlst_to_dict(parse(CBP))
    assert result == {
        "message_type": "passengers",
        "voyage": {
            "carrier": "UA",
            "number": "UA123",
            "legs": [
                {"from": "YVR", "to": "JFK", "departure": "2007-04-29T12:30:00", "arrival": "2007-04-29T16:00:00"},
                {"from": "JFK", "to": "ATL", "departure": "2007-04-29T17:30:00", "arrival": "2007-04-29T19:45:00"},
            ],
        },
        "declared_count": 1,
        "travellers": [
            {
                "surname": "DOE",
                "given_names": "JOHN WAYNE",
                "sex": "M",
                "birth_date": "1957-01-21",
                "nationality": "CAN",
                "role": "passenger",
                "documents": [{"type": "P", "number": "MB140241", "issuer": "CAN", "expiry": "2008-10-21"}],
                "embarkation": "YVR",
                "debarkation": "ATL",
                "seat": "23C",
                "booking_ref": "ABC123",
            }
        ],
        "warnings": [],
    }
    assert json.loads(json.dumps(result)) == result


def test_cli_dict_reports_warnings_and_unknowns_as_null() -> None:
    result = paxlst_to_dict(parse(CBP.replace("CNT+42:1", "CNT+42:abc").replace("DTM+329:570121", "DTM+329")))
    assert result["declared_count"] is None
    assert result["travellers"][0]["birth_date"] is None
    assert result["warnings"] == [
        {"segment": "DTM (segment 21)", "message": "empty DTM 329 date"},
        {"segment": "CNT (segment 37)", "message": "malformed person count 'abc'"},
    ]


# --- layout variants: the same data must come out, with a warning where the sender got it wrong ---------------


def custom_separators(text: str) -> str:
    body = text.split("\n", 1)[1].translate(str.maketrans(":+'", "|^~"))
    return "UNA|^.! ~\n" + body


LAYOUTS = {
    "custom UNA separators": (custom_separators(CBP), []),
    "no UNA": (CBP.split("\n", 1)[1], []),
    "one line": (CBP.replace("\n", ""), []),
    "CRLF, blank lines and spaces between segments": (CBP.replace("\n", "\r\n  \r\n\t"), []),
    "wrapped at 60 columns": ("\n".join(CBP.replace("\n", "")[i : i + 60] for i in range(0, len(CBP), 60)), []),
    "missing final terminator": (CBP.rstrip("'\n"), [("UNZ (segment 40)", "missing final segment terminator; added")]),
    "Type B envelope before the interchange": (
        "QU USADHSXX\n.XYZAAXX 290900\n" + CBP,
        [("character 29", "28 characters before the interchange ignored")],
    ),
    "segment before UNH": (
        CBP.replace("UNH+", "FTX+AAI+++NOTE'\nUNH+"),
        [("FTX (segment 4)", "segment outside a UNH..UNT message; ignored")],
    ),
    "unknown segment": (
        CBP.replace("BGM+745'", "BGM+745'\nXYZ+1'"),
        [
            ("XYZ (segment 6)", "unknown segment skipped"),
            ("UNT (segment 39)", "UNT says 35 segments, the message has 36"),
        ],
    ),
    "no UNG/UNE group": ("".join(line for line in CBP.splitlines(True) if line[:3] not in {"UNG", "UNE"}), []),
    "D:02B": (CBP.replace("D:05B", "D:02B"), []),
    "D:12B": (CBP.replace("D:05B", "D:12B"), []),
}


@pytest.mark.parametrize("text, warnings", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_layout_variants_give_the_same_voyage_and_travellers(text: str, warnings: list[tuple[str, str]]) -> None:
    message = parse(text)
    assert (message.legs, message.travellers, message.declared_count) == (CBP_LEGS, [DOE], 1)
    assert (message.carrier, message.number) == ("UA", "UA123")
    assert messages(message) == warnings


@pytest.mark.parametrize("version", ["D:02B", "D:05B", "D:12B"])
def test_version_is_read_from_unh(version: str) -> None:
    assert parse(CBP.replace("D:05B", version)).version == version


def test_unsupported_version_is_read_with_a_warning() -> None:
    message = parse(CBP.replace("PAXLST:D:05B", "PAXLST:D:03B"))
    assert (message.version, message.travellers) == ("D:03B", [DOE])
    assert messages(message) == [("UNH (segment 4)", "PAXLST version D:03B is not D:02B, D:05B or D:12B; read anyway")]


@pytest.mark.parametrize(
    "surname, text",
    [
        ("O'BRIEN", CBP.replace("DOE:JOHN", "O?'BRIEN:JOHN")),
        ("O'BRIEN", custom_separators(CBP).replace("DOE|JOHN", "O'BRIEN|JOHN")),  # ' is plain data here
        ("DOE~SMITH^JR", custom_separators(CBP).replace("DOE|JOHN", "DOE!~SMITH!^JR|JOHN")),
        ("DOE+SMITH:JR?", CBP.replace("DOE:JOHN", "DOE?+SMITH?:JR??:JOHN")),
    ],
)
def test_release_character_keeps_service_characters_in_values(surname: str, text: str) -> None:
    person = parse(text).travellers[0]
    assert (person.surname, person.given_names) == (surname, "JOHN WAYNE")


# --- data quirks ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, today, born",
    [
        ("570121", TODAY, date(1957, 1, 21)),
        ("240601", date(2024, 6, 1), date(2024, 6, 1)),
        ("240602", date(2024, 6, 1), date(1924, 6, 2)),
        ("050310", date(2024, 6, 1), date(2005, 3, 10)),
        ("19050310:102", date(2024, 6, 1), date(1905, 3, 10)),
    ],
)
def test_two_digit_birth_years_are_never_in_the_future(raw: str, today: date, born: date) -> None:
    text = CBP.replace("DTM+329:570121", f"DTM+329:{raw}")
    assert parse_paxlst(text, today=today).travellers[0].birth_date == born


@pytest.mark.parametrize(
    "raw, expiry",
    [("081021", date(2008, 10, 21)), ("991231", date(2099, 12, 31)), ("20301231:102", date(2030, 12, 31))],
)
def test_two_digit_expiry_years_are_this_century(raw: str, expiry: date) -> None:
    assert parse(CBP.replace("DTM+36:081021", f"DTM+36:{raw}")).travellers[0].documents[0].expiry == expiry


@pytest.mark.parametrize(
    "segment, departure",
    [
        ("DTM+189:0704291230:201", datetime(2007, 4, 29, 12, 30)),
        ("DTM+189:200704291230:203", datetime(2007, 4, 29, 12, 30)),
        ("DTM+189:20070429:102", datetime(2007, 4, 29)),
        ("DTM+189:070429", datetime(2007, 4, 29)),
        ("DTM+189:20070429123015:204", datetime(2007, 4, 29, 12, 30, 15)),
    ],
)
def test_leg_date_formats(segment: str, departure: datetime) -> None:
    assert parse(CBP.replace("DTM+189:0704291230:201", segment)).legs[0].departure == departure


@pytest.mark.parametrize("segment", ["DTM+189", "DTM+189::201", "DTM+189: :201"])
def test_empty_leg_date_is_unknown_with_a_warning(segment: str) -> None:
    message = parse(CBP.replace("DTM+189:0704291230:201", segment))
    assert message.legs[0] == replace(CBP_LEGS[0], departure=None)
    assert messages(message) == [("DTM (segment 11)", "empty DTM 189 date")]


def test_unreadable_birth_date_is_unknown_with_a_warning() -> None:
    message = parse(CBP.replace("DTM+329:570121", "DTM+329:571341"))
    assert message.travellers[0] == replace(DOE, birth_date=None)
    assert messages(message) == [("DTM (segment 21)", "unreadable DTM 329 date '571341'")]


@pytest.mark.parametrize(
    "cnt, declared, warning",
    [
        ("CNT+42:3", 3, "declares 3 persons but the message lists 1"),
        ("CNT+42:abc", None, "malformed person count 'abc'"),
        ("CNT+42", None, "malformed person count ''"),
    ],
)
def test_bad_person_count_is_kept_with_a_warning(cnt: str, declared: int | None, warning: str) -> None:
    message = parse(CBP.replace("CNT+42:1", cnt))
    assert (message.declared_count, message.travellers) == (declared, [DOE])
    assert messages(message) == [("CNT (segment 37)", warning)]


def test_departure_sent_as_loc_22_is_used_with_a_warning() -> None:
    message = parse(CBP.replace("LOC+125+YVR", "LOC+22+YVR"))
    assert message.legs == CBP_LEGS
    assert messages(message) == [
        ("LOC (segment 10)", "LOC 22 given where the departure airport (LOC 125) belongs; used as departure"),
    ]


def test_leg_without_arrival_airport_is_kept_with_a_warning() -> None:
    message = parse(CBP.replace("LOC+92+ATL'\n", ""))
    assert message.legs == [CBP_LEGS[0], replace(CBP_LEGS[1], destination=None)]
    assert messages(message) == [
        ("TDT (segment 14)", "flight leg without its departure or arrival airport"),
        ("UNT (segment 37)", "UNT says 35 segments, the message has 34"),
    ]


@pytest.mark.parametrize(
    "code, role", [("FL", "passenger"), ("FM", "crew"), ("DDT", "in_transit"), ("DDU", "in_transit")]
)
def test_nad_qualifier_gives_the_role(code: str, role: str) -> None:
    assert parse(CBP.replace("NAD+FL+", f"NAD+{code}+")).travellers[0].role == role


@pytest.mark.parametrize("code", ["250", "336"])
def test_crew_list_document_codes(code: str) -> None:
    assert parse(CREW.replace("BGM+250", f"BGM+{code}")).message_type == "crew"


def test_reporting_leg_falls_back_to_the_last_leg_without_loc_87() -> None:
    message = parse(CBP.replace("LOC+125+YVR", "LOC+92+YVR").replace("LOC+87+JFK", "LOC+92+JFK"))
    assert (message.legs, message.carrier, message.number) == (CBP_LEGS, "UA", "UA124")


def test_parts_of_one_list_in_several_messages_are_joined() -> None:
    head, rest = CBP.split("UNH+", 1)
    message_text = "UNH+" + rest.split("UNE+", 1)[0]
    second = message_text.replace("PAX001", "PAX002").replace("DOE:JOHN:WAYNE", "ROE:JANE")
    message = parse(head + message_text + second + "UNE+2+100'\nUNZ+1+000000001'\n")
    assert [p.surname for p in message.travellers] == ["DOE", "ROE"]
    assert (message.declared_count, message.warnings) == (2, [])


# --- input that cannot be used ----------------------------------------------------------------------------------


def without(text: str, *prefixes: str) -> str:
    return "".join(line for line in text.splitlines(True) if not line.startswith(prefixes))


ERRORS = {
    "plain text": ("hello, world", "character 1", "not EDIFACT"),
    "empty": ("", "character 1", "not EDIFACT"),
    "XML": ("<?xml version='1.0'?><paxlst/>", "character 1", "not EDIFACT"),
    "short UNA": ("UNA:+", "character 4", "six service characters"),
    "UNA with clashing characters": ("UNA::.? 'UNB:UNOA'", "character 4", "not usable"),
    "no UNH": ("UNB+UNOA:4+X+Y+070429:0900+1'UNZ+1+1'", "segment 2 (UNZ)", "no UNH"),
    "no BGM": (without(CBP, "BGM"), "segment 4 (UNH)", "no BGM"),
    "no TDT": (without(CBP, "TDT"), "segment 4 (UNH)", "no TDT"),
    "BGM neither passengers nor crew": (CBP.replace("BGM+745", "BGM+266"), "segment 5 (BGM)", "'266'"),
    "unterminated release character": (
        CBP.rstrip("'\n") + "?",
        f"character {len(CBP.rstrip(chr(39) + chr(10))) + 1}",
        "unterminated release character",
    ),
    "not a PAXLST": (CBP.replace("PAXLST:D:05B", "CUSRES:D:05B"), "segment 4 (UNH)", "'CUSRES' is not PAXLST"),
    "traveller without surname": (
        CBP.replace("DOE:JOHN:WAYNE", ":JOHN:WAYNE"),
        "segment 19 (NAD)",
        "without a surname",
    ),
    "binary": ("UNA:+.? 'UNB\x00", "character 13", "NUL"),
}


@pytest.mark.parametrize("text, position, message", ERRORS.values(), ids=ERRORS.keys())
def test_unusable_input_raises_format_error_naming_the_place(text: str, position: str, message: str) -> None:
    with pytest.raises(FormatError) as caught:
        parse(text)
    assert caught.value.position == position
    assert message in caught.value.message


def test_garbage_only_ever_raises_format_error() -> None:
    outcomes = set()
    for text in garbage(samples=[CBP, GTAS, CREW], seed=20200315, step=7, mutations=400):
        try:
            outcomes.add(type(parse(text)).__name__)
        except FormatError as error:
            assert error.position and error.message
            outcomes.add("FormatError")
    assert outcomes == {"PaxlstMessage", "FormatError"}


# --- writing -----------------------------------------------------------------------------------------------------


def sample_message(**changes: object) -> PaxlstMessage:
    obrien = Person(
        surname="O'BRIEN",
        given_names="SEAN PATRICK",
        role="passenger",
        sex="M",
        birth_date=date(1931, 2, 28),
        nationality="IRL",
        embarkation="DUB",
        debarkation="PEK",
        transit="PEK",
        residence_country="IRL",
        birth_place="CORK",
        seat="12A",
        booking_ref="XK7+9:Q",
        address="1 MAIN ST, APT 4?B, DUBLIN",
        documents=(
            Document("P", "PB1234567", "IRL", date(2030, 5, 1), issued=date(2020, 5, 2)),
            Document("V", "V-0001", "CHN", date(2020, 6, 30)),
        ),
    )
    li = Person(
        surname="LI",
        given_names="",
        role="in_transit",
        sex="F",
        birth_date=date(2019, 12, 31),
        nationality="CHN",
        documents=(Document(None, "E0000001", None, None),),
    )
    legs = [
        Leg("DUB", "LHR", datetime(2020, 3, 14, 6, 5), datetime(2020, 3, 14, 7, 25), carrier="EI", number="EI152"),
        Leg("LHR", "PEK", datetime(2020, 3, 14, 9, 0), datetime(2020, 3, 15, 1, 40), carrier="CA", number="CA938"),
        Leg("PEK", "SHA", None, datetime(2020, 3, 15, 9, 0, 30), carrier="CA", number="CA1501"),
    ]
    message = PaxlstMessage(
        message_type="passengers",
        carrier="CA",
        number="CA938",
        legs=legs,
        travellers=[obrien, li],
        declared_count=2,
        reference="KX0001",
        sender="CA APIS",
        prepared_at=datetime(2020, 3, 14, 5, 0),
        version="D:05B",
    )
    return replace(message, **changes)


def round_trip(message: PaxlstMessage, **options: str) -> PaxlstMessage:
    return parse(write_paxlst(message, **options))


def test_written_multileg_message_reads_back_equal() -> None:
    assert round_trip(sample_message()) == sample_message()


def test_written_crew_list_reads_back_equal() -> None:
    crew = sample_message(
        message_type="crew",
        declared_count=5,
        version="D:12B",
        travellers=[
            replace(p, role=role) for p, role in zip(sample_message().travellers, ["crew", "in_transit"], strict=True)
        ],
    )
    text = write_paxlst(crew, version="D:12B")
    assert "BGM+250'" in text and "NAD+DDU+++LI'" in text and "CNT+41:5'" in text
    assert parse(text) == replace(
        crew,
        warnings=[
            ParseWarning("CNT (segment 44)", "declares 5 persons but the message lists 2"),
        ],
    )


@pytest.mark.parametrize("text", [CBP, GTAS, CREW], ids=["cbp", "gtas", "crew"])
def test_real_messages_survive_write_and_read(text: str) -> None:
    message = parse(text)
    assert round_trip(message, version=message.version or "D:05B") == message


def test_writer_escapes_service_characters() -> None:
    text = write_paxlst(sample_message())
    assert "NAD+FL+++O?'BRIEN:SEAN PATRICK+1 MAIN ST, APT 4??B, DUBLIN'" in text
    assert "RFF+AVF:XK7?+9?:Q'" in text


def test_writer_makes_values_uppercase_latin() -> None:
    person = Person(surname="Müller-Łukasz", given_names="José Straße 😀", role="passenger")
    message = round_trip(sample_message(travellers=[person], declared_count=1))
    assert (message.travellers[0].surname, message.travellers[0].given_names) == ("MULLER-LUKASZ", "JOSE STRASSE")


def test_writer_envelope_and_segment_count() -> None:
    lines = write_paxlst(sample_message(), interchange_ref="77").splitlines()
    body = lines[lines.index(next(line for line in lines if line.startswith("UNH"))) :]
    unt = next(line for line in body if line.startswith("UNT"))
    assert [line[:3] for line in lines[:5]] == ["UNA", "UNB", "UNG", "UNH", "BGM"]
    assert lines[-3:] == [unt, "UNE+1+77'", "UNZ+1+77'"]
    assert unt == f"UNT+{body.index(unt) + 1}+KX0001'"
    assert all(line.endswith("'") for line in lines)


def test_writer_puts_the_reporting_leg_on_loc_125_and_87() -> None:
    text = write_paxlst(sample_message())
    assert "TDT+20+CA938+++CA'\nLOC+125+LHR'\nDTM+189:2003140900:201'\nLOC+87+PEK'" in text
    assert "TDT+20+EI152+++EI'\nLOC+92+DUB'" in text


def test_writer_without_a_count_writes_no_cnt() -> None:
    text = write_paxlst(sample_message(declared_count=None))
    assert "CNT" not in text and parse(text).declared_count is None


@pytest.mark.parametrize(
    "message", [sample_message(legs=[]), sample_message(travellers=[Person(surname="李", given_names="", role="crew")])]
)
def test_writer_refuses_messages_it_cannot_write(message: PaxlstMessage) -> None:
    with pytest.raises(ValueError):
        write_paxlst(message)
