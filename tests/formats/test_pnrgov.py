"""PNRGOV: the real GTAS sample field by field, a 10.1, a 13.1 and a multi-PNR push, every dirty variant carriers
send, errors that name the place, and garbage that never escapes as anything but FormatError."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from kouan.formats.pnr_records import (
    HistoryChange,
    HistoryEntry,
    OtherSegment,
    Pnr,
    PnrDocument,
    PnrgovMessage,
    PnrLeg,
    PnrPassenger,
    PnrSeat,
    RecordLocator,
)
from kouan.formats.pnrgov import parse_pnrgov, pnrgov_to_dict
from kouan.formats.records import Document, FormatError, ParseWarning
from tests.conftest import PNRGOV_GTAS
from tests.support.garbage import garbage

DATA = Path(__file__).parent / "data"
GTAS = (PNRGOV_GTAS).read_text()
V10 = (DATA / "pnrgov_ca938_10_1.edi").read_text()
V13 = (DATA / "pnrgov_ca982_13_1.edi").read_text()
MULTI = (DATA / "pnrgov_ek308_multi_pnr.edi").read_text()
DIRTY = (DATA / "pnrgov_mu544_dirty_11_1.edi").read_text()
TODAY = date(2024, 6, 1)


def parse(text: str) -> PnrgovMessage:
    return parse_pnrgov(text, today=TODAY)


def messages(message: PnrgovMessage) -> list[tuple[str, str]]:
    return [(w.segment, w.message) for w in message.warnings]


def leg(
    origin: str, destination: str, departure: datetime, arrival: datetime | None, flight: str, **more: Any
) -> PnrLeg:
    """An air leg between two airports; ``flight`` is carrier and number, e.g. "EK308"."""
    return PnrLeg(origin, destination, departure, arrival, flight[:2], flight[2:], (origin,), (destination,), **more)


EK92 = leg("MXP", "DXB", datetime(2020, 3, 19, 21, 35), datetime(2020, 3, 20, 6, 10), "EK92", booking_class="Y")
EK308 = leg("DXB", "PEK", datetime(2020, 3, 20, 10, 20), datetime(2020, 3, 20, 21, 50), "EK308")
MARCO = PnrPassenger(
    surname="ROSSI",
    given_names="MARCO",
    title="MR",
    type="A",
    reference="1",
    sex="M",
    birth_date=date(1978, 4, 14),
    nationality="ITA",
    documents=(
        PnrDocument(
            "P",
            "YA4417265",
            "ITA",
            date(2028, 11, 2),
            nationality="ITA",
            birth_date=date(1978, 4, 14),
            sex="M",
            surname="ROSSI",
            given_names="MARCO",
        ),
    ),
    seat="53J",
    seats=(
        PnrSeat("41A", "MXP", "DXB", "request"),
        PnrSeat("52J", "DXB", "PEK", "request"),
        PnrSeat("53J", "DXB", "PEK", "check-in"),
    ),
)


def test_gtas_sample_reads_every_field() -> None:
    def traveller(surname: str, given: str, reference: str, born: date) -> PnrPassenger:
        document = PnrDocument(None, None, None, None, birth_date=born, sex="F", surname=surname, given_names=given)
        return PnrPassenger(
            surname, given, title="MS", reference=reference, sex="F", birth_date=born, documents=(document,)
        )

    muc_yul = leg(
        "MUC",
        "YUL",
        datetime(2013, 5, 27, 15, 50),
        datetime(2013, 5, 27, 18, 20),
        "LH474",
        booking_class="W",
        status="HK",
        passengers=2,
    )
    assert parse(GTAS) == PnrgovMessage(
        flight=leg("SIN", "OOL", datetime(2013, 5, 28, 22, 25), datetime(2013, 5, 29, 7, 50), "TZ0006"),
        pnrs=[
            Pnr(
                booking_ref="35K2IO",
                record_locators=(
                    RecordLocator("1A", "35K2IO", datetime(2013, 2, 15, 1, 49)),
                    RecordLocator("1S", "EVFSDI"),
                ),
                passengers=[
                    traveller("DORON", "NINA", "2", date(1953, 2, 5)),
                    traveller("LENDROT", "CHARLOTTE", "1", date(1952, 2, 14)),
                ],
                itinerary=[muc_yul],
            )
        ],
        version="11.1",
        declared_count=1,
        reference="00102181551362",
        sender="TZ",
        prepared_at=datetime(2013, 5, 23, 22, 10),
        warnings=[
            ParseWarning("UNT (segment 26)", "UNT says 173 segments, the message has 24"),
            ParseWarning("UNZ (segment 28)", "missing final segment terminator; added"),
        ],
    )


def test_multi_pnr_push_keeps_each_booking_apart() -> None:
    message = parse(MULTI)
    rossi, wang, khan = message.pnrs
    assert (message.flight, message.version, message.declared_count, message.warnings) == (EK308, "13.1", 3, [])
    assert [p.booking_ref for p in message.pnrs] == ["QX4T7B", "R2D8KQ", "T8LMV3"]
    assert rossi.record_locators == (
        RecordLocator("EK", "QX4T7B", datetime(2020, 3, 2, 14, 32)),
        RecordLocator("1A", "5ZRM2P"),
    )
    assert [(p.surname, p.given_names, p.title) for p in rossi.passengers] == [
        ("ROSSI", "MARCO", "MR"),
        ("ROSSI", "GIULIA", "MRS"),
    ]
    assert rossi.passengers[0] == MARCO
    assert rossi.passengers[1].documents[0].given_names == "GIULIA MARIA"
    assert [(p.surname, p.seat, p.nationality) for p in (*wang.passengers, *khan.passengers)] == [
        ("WANG", "12A", "CHN"),
        ("KHAN", None, "GBR"),
    ]


def test_milan_dubai_beijing_itinerary_with_history_kept_apart() -> None:
    rossi = parse(MULTI).pnrs[0]
    mxp_dxb = replace(EK92, status="HK", passengers=2)
    dxb_pek = replace(EK308, booking_class="Y", status="HK", passengers=2)
    fco_dxb = PnrLeg(
        "FCO",
        "DXB",
        datetime(2020, 3, 18, 14, 10),
        datetime(2020, 3, 18, 23, 0),
        "EK",
        "98",
        ("FCO",),
        ("DXB",),
        booking_class="Y",
        status="XX",
        passengers=2,
    )
    assert rossi.itinerary == [mxp_dxb, dxb_pek]
    assert rossi.history == [
        HistoryEntry(
            by="MILAG MIL 1A",
            at=datetime(2020, 3, 15, 11, 20),
            changes=(HistoryChange("X", "TVL", fco_dxb), HistoryChange("A", "TVL", mxp_dxb)),
        )
    ]
    assert "FCO" not in [leg.origin for leg in rossi.itinerary]


def test_hotel_is_a_non_air_segment_not_a_leg() -> None:
    wang = parse(MULTI).pnrs[1]
    assert [(leg.origin, leg.destination) for leg in wang.itinerary] == [("DXB", "PEK")]
    assert wang.other_segments == [
        OtherSegment(
            kind="hotel",
            place="DXB",
            name="JUMEIRAH CREEK HOTEL",
            start=datetime(2020, 3, 15, 14, 0),
            end=datetime(2020, 3, 20, 0, 0),
            provider="JT",
            details=("DXBJC01", "ROH"),
            code="8",
        )
    ]


def test_booking_level_docs_finds_its_traveller_by_reference() -> None:
    khan = parse(MULTI).pnrs[2].passengers[0]
    assert (khan.birth_date, khan.sex, khan.documents[0].number) == (date(1985, 1, 22), "M", "533401987")


def test_documents_are_kouan_documents() -> None:
    document = parse(MULTI).pnrs[0].passengers[0].documents[0]
    assert isinstance(document, Document)
    assert (document.type, document.number, document.issuer, document.expiry) == (
        "P",
        "YA4417265",
        "ITA",
        date(2028, 11, 2),
    )


def test_version_10_1_push() -> None:
    message = parse(V10)
    (pnr,) = message.pnrs
    john, mary = pnr.passengers
    assert (message.version, message.flight, message.warnings) == (
        "10.1",
        leg("LHR", "PEK", datetime(2020, 3, 14, 21, 0), datetime(2020, 3, 15, 13, 40), "CA938"),
        [],
    )
    assert (john.given_names, john.title, john.seat, mary.given_names, mary.title, mary.seat) == (
        "JOHN",
        "MR",
        "31C",
        "MARY",
        "MRS",
        "32B",
    )
    assert john.documents[0].given_names == "JOHN ROBERT"
    assert [(leg.origin, leg.destination, leg.number) for leg in pnr.itinerary] == [
        ("LHR", "PEK", "938"),
        ("PEK", "SHA", "1501"),
    ]
    assert pnr.split_refs == (RecordLocator("CA", "K7TQ3N"),)
    assert [(s.kind, s.place, s.name) for s in pnr.other_segments] == [("hotel", "SHA", "JINJIANG TOWER")]
    assert [(c.action, c.segment, c.text) for c in pnr.history[0].changes] == [
        ("X", "TVL", None),
        ("A", "TVL", None),
        ("A", "SSR", "SEAT 32A 32B"),
    ]


def test_version_13_1_push_with_city_codes() -> None:
    message = parse(V13)
    (pnr,) = message.pnrs
    sarah, tom = pnr.passengers
    london_new_york, new_york_beijing = pnr.itinerary
    assert message.version == "13.1"
    assert pnr.record_locators == (RecordLocator("CA", "L0N3YC", datetime(2020, 3, 10, 9, 30)),)
    assert (sarah.given_names, sarah.title, sarah.birth_date, sarah.seat) == (
        "SARAH ANNE",
        "MISS",
        date(2002, 8, 8),
        "23A",
    )
    assert (tom.given_names, tom.title, tom.type, tom.birth_date) == ("TOM", "MSTR", "C", date(2012, 11, 11))
    assert london_new_york == PnrLeg(
        "LON",
        "NYC",
        datetime(2020, 3, 15, 8, 20),
        datetime(2020, 3, 15, 11, 20),
        "BA",
        "117",
        origin_airports=("LHR", "LGW", "STN", "LTN", "LCY", "SEN"),
        destination_airports=("JFK", "LGA", "EWR"),
        booking_class="Y",
        status="HK",
        passengers=2,
    )
    assert new_york_beijing.origin_airports == ("JFK",)
    assert messages(message) == [
        ("TVL (segment 15)", "LON is a city code (London): airports LHR LGW STN LTN LCY SEN"),
        ("TVL (segment 15)", "NYC is a city code (New York): airports JFK LGA EWR"),
    ]


def test_dirty_push_is_read_with_a_warning_for_each_problem() -> None:
    message = parse(DIRTY)
    (zhang, li_na, li_xiaoming), (chen,) = (pnr.passengers for pnr in message.pnrs)
    assert (zhang.given_names, zhang.birth_date, zhang.documents[0].surname, zhang.seat) == (
        "WEI",
        date(1930, 8, 5),
        "ZHANG",
        "14C",
    )
    assert li_na.documents == (PnrDocument("P", "E1", "CHN", None),)
    assert (li_xiaoming.type, li_xiaoming.sex, li_xiaoming.birth_date) == ("IN", "M", date(2024, 3, 12))
    assert li_xiaoming.documents[0].given_names == "XIAOMING"
    assert (chen.birth_date, chen.documents[0].expiry) == (None, date(2030, 1, 1))
    assert message.pnrs[0].itinerary[1].destination_airports == ("PEK", "PKX", "NAY")
    assert message.pnrs[0].itinerary[1].departure is None
    assert messages(message) == [
        ("XYZ (segment 6)", "unknown segment skipped"),
        ("DAT (segment 9)", "empty DAT 700 date"),
        ("SSR (segment 12)", "SSR DOCS free text continued from SSR (segment 11); joined"),
        ("SSR (segment 14)", "SSR DOCS has 3 of its 9 fields; the rest are unknown"),
        ("TIF (segment 17)", "TIF without a surname; its traveller data is ignored"),
        ("RPI (segment 20)", "malformed RPI passenger count 'X'"),
        ("SSR (segment 21)", "unreadable seat '9Z9'; ignored"),
        ("TVL (segment 22)", "TVL without a departure date"),
        ("TVL (segment 22)", "BJS is a city code (Beijing): airports PEK PKX NAY"),
        ("SSR (segment 26)", "unreadable SSR DOCS birth date '31FEB88'"),
        ("UNZ (segment 29)", "missing final segment terminator; added"),
    ]


def test_cli_dict_follows_the_json_contract() -> None:
    result = pnrgov_to_dict(parse(MULTI))
    rossi = result["pnrs"][0]
    assert json.loads(json.dumps(result)) == result
    assert {k: result["flight"][k] for k in ("carrier", "number", "from", "to", "departure")} == {
        "carrier": "EK",
        "number": "308",
        "from": "DXB",
        "to": "PEK",
        "departure": "2020-03-20T10:20:00",
    }
    assert rossi["booking_ref"] == "QX4T7B"
    assert [{k: leg[k] for k in ("from", "to", "carrier", "flight", "departure")} for leg in rossi["itinerary"]] == [
        {"from": "MXP", "to": "DXB", "carrier": "EK", "flight": "92", "departure": "2020-03-19T21:35:00"},
        {"from": "DXB", "to": "PEK", "carrier": "EK", "flight": "308", "departure": "2020-03-20T10:20:00"},
    ]
    marco = rossi["passengers"][0]
    assert (marco["surname"], marco["given_names"], marco["sex"], marco["seat"]) == ("ROSSI", "MARCO", "M", "53J")
    assert {k: marco["documents"][0][k] for k in ("type", "number", "nationality", "birth_date")} == {
        "type": "P",
        "number": "YA4417265",
        "nationality": "ITA",
        "birth_date": "1978-04-14",
    }
    assert rossi["history"][0]["changes"][0]["leg"]["from"] == "FCO"
    assert result["pnrs"][1]["other_segments"][0]["kind"] == "hotel"
    assert result["warnings"] == []


def test_cli_dict_resolves_city_codes_and_lists_warnings() -> None:
    result = pnrgov_to_dict(parse(V13))
    london = result["pnrs"][0]["itinerary"][0]
    assert (london["from"], london["from_airports"], london["to_airports"]) == (
        "LON",
        ["LHR", "LGW", "STN", "LTN", "LCY", "SEN"],
        ["JFK", "LGA", "EWR"],
    )
    assert result["warnings"][0] == {
        "segment": "TVL (segment 15)",
        "message": "LON is a city code (London): airports LHR LGW STN LTN LCY SEN",
    }


# --- layout variants: the same bookings must come out, with a warning where the sender got it wrong ------------


def custom_separators(text: str) -> str:
    body = text.split("\n", 1)[1].translate(str.maketrans(":+'", "|^~"))
    return "UNA|^.! ~\n" + body


LAYOUTS = {
    "custom UNA separators": (custom_separators(MULTI), []),
    "no UNA": (MULTI.split("\n", 1)[1], []),
    "all on one line": (MULTI.replace("\n", ""), []),
    "CRLF, blank lines and spaces between segments": (MULTI.replace("\n", "\r\n  \r\n\t"), []),
    "wrapped at 60 columns": ("\n".join(MULTI.replace("\n", "")[i : i + 60] for i in range(0, len(MULTI), 60)), []),
    "missing final terminator": (
        MULTI.rstrip("'\n"),
        [("UNZ (segment 67)", "missing final segment terminator; added")],
    ),
    "Type B envelope before the interchange": (
        "QU PEKKNCA\n.DXBRMEK 192200\n" + MULTI,
        [("character 28", "27 characters before the interchange ignored")],
    ),
    "unknown segment": (
        MULTI.replace("MSG+:22'", "MSG+:22'\nXYZ+1'"),
        [
            ("XYZ (segment 6)", "unknown segment skipped"),
            ("UNT (segment 66)", "UNT says 62 segments, the message has 63"),
        ],
    ),
    "no UNG/UNE group": ("".join(line for line in MULTI.splitlines(True) if line[:3] not in {"UNG", "UNE"}), []),
    "version 10.1": (MULTI.replace("PNRGOV:13:1", "PNRGOV:10:1"), []),
    "version 11.1": (MULTI.replace("PNRGOV:13:1", "PNRGOV:11:1"), []),
    "changed PNRs only (MSG 141)": (MULTI.replace("MSG+:22'", "MSG+:141'"), []),
}


@pytest.mark.parametrize("text, warnings", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_layout_variants_give_the_same_bookings(text: str, warnings: list[tuple[str, str]]) -> None:
    message, expected = parse(text), parse(MULTI)
    assert (message.flight, message.pnrs) == (expected.flight, expected.pnrs)
    assert messages(message) == warnings


@pytest.mark.parametrize("version", ["10.1", "11.1", "13.1"])
def test_version_is_read_from_unh(version: str) -> None:
    assert parse(MULTI.replace("PNRGOV:13:1", "PNRGOV:" + version.replace(".", ":"))).version == version


def test_unsupported_version_is_read_with_a_warning() -> None:
    message = parse(MULTI.replace("PNRGOV:13:1", "PNRGOV:15:1"))
    assert (message.version, message.pnrs) == ("15.1", parse(MULTI).pnrs)
    assert messages(message) == [("UNH (segment 4)", "PNRGOV version 15.1 is not 10.1, 11.1 or 13.1; read anyway")]


# --- input that cannot be used ----------------------------------------------------------------------------------


def without(text: str, *prefixes: str) -> str:
    return "".join(line for line in text.splitlines(True) if not line.startswith(prefixes))


ERRORS = {
    "plain text": ("hello, world", "character 1", "not EDIFACT"),
    "empty": ("", "character 1", "not EDIFACT"),
    "XML": ("<?xml version='1.0'?><pnr/>", "character 1", "not EDIFACT"),
    "short UNA": ("UNA:+", "character 4", "six service characters"),
    "no UNH": ("UNB+IATA:1+EK+KOUAN+200319:2200+1'UNZ+1+1'", "segment 2 (UNZ)", "no UNH"),
    "not a PNRGOV message": (MULTI.replace("PNRGOV:13:1:IA", "PAXLST:D:05B:UN"), "segment 4 (UNH)", "not PNRGOV"),
    "no SRC at all": (without(MULTI, "SRC"), "segment 4 (UNH)", "without any SRC booking"),
    "unterminated release character": (
        MULTI.rstrip("'\n") + "?",
        f"character {len(MULTI.rstrip(chr(39) + chr(10))) + 1}",
        "unterminated release character",
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
    for text in garbage(samples=[GTAS, V10, V13, MULTI, DIRTY], seed=20200320, step=5, mutations=800):
        try:
            message = parse(text)
            json.dumps(pnrgov_to_dict(message))
            outcomes.add(type(message).__name__)
        except FormatError as error:
            assert error.position and error.message
            outcomes.add("FormatError")
    assert outcomes == {"PnrgovMessage", "FormatError"}
