"""PNRGOV writer: what it writes reads back the same flight, bookings, travellers, documents, itinerary and seats."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from kouan.formats.pnr_records import Pnr, PnrDocument, PnrgovMessage, PnrLeg, PnrPassenger, PnrSeat, RecordLocator
from kouan.formats.pnrgov import write_pnrgov
from tests.formats.test_pnrgov import DIRTY, GTAS, MULTI, V10, V13, parse

EK308 = PnrLeg(
    "DXB", "PEK", datetime(2020, 3, 20, 10, 20), datetime(2020, 3, 20, 21, 50), "EK", "308", ("DXB",), ("PEK",)
)
WANG = PnrPassenger(
    surname="WANG",
    given_names="FANG",
    title="MS",
    type="A",
    reference="1",
    sex="F",
    birth_date=date(1990, 12, 9),
    nationality="CHN",
    documents=(
        PnrDocument(
            "P",
            "E58211734",
            "CHN",
            date(2029, 7, 21),
            nationality="CHN",
            birth_date=date(1990, 12, 9),
            sex="F",
            surname="WANG",
            given_names="FANG",
        ),
    ),
    seat="12A",
    seats=(PnrSeat("12A", "DXB", "PEK", "check-in"),),
)


def small_message(**changes: object) -> PnrgovMessage:
    pnr = Pnr(
        booking_ref="R2D8KQ",
        record_locators=(RecordLocator("EK", "R2D8KQ", datetime(2020, 2, 28, 8, 10)),),
        passengers=[WANG],
        itinerary=[replace(EK308, booking_class="B", status="HK", passengers=1)],
    )
    message = PnrgovMessage(
        EK308, [pnr], "13.1", 1, reference="EK0308A", sender="EK", prepared_at=datetime(2020, 3, 19, 22, 0)
    )
    return replace(message, **changes)


def test_writer_output_segment_by_segment() -> None:
    assert write_pnrgov(small_message()).splitlines() == [
        "UNA:+.? '",
        "UNB+IATA:1+EK+KOUAN+200319:2200+1'",
        "UNH+EK0308A+PNRGOV:13:1:IA'",
        "MSG+:22'",
        "TVL+200320:1020:200320:2150+DXB+PEK+EK+308'",
        "EQN+1'",
        "SRC'",
        "RCI+EK:R2D8KQ::280220:0810'",
        "TIF+WANG+FANG MS:A:1'",
        "SSR+DOCS:HK:1:EK:::::/P/CHN/E58211734/CHN/09DEC90/F/21JUL29/WANG/FANG'",
        "TVL+200320:1020:200320:2150+DXB+PEK+EK+308:B'",
        "RPI+1+HK'",
        "TRI'",
        "TIF+WANG+FANG MS:A:1'",
        "SSD+12A'",
        "UNT+14+EK0308A'",
        "UNZ+1+1'",
    ]


def test_written_message_reads_back_equal() -> None:
    assert parse(write_pnrgov(small_message())) == small_message()


@pytest.mark.parametrize("text", [GTAS, V10, V13, MULTI, DIRTY], ids=["gtas", "10.1", "13.1", "multi", "dirty"])
def test_real_messages_survive_write_and_read(text: str) -> None:
    message = parse(text)
    back = parse(write_pnrgov(message))
    assert (back.flight, back.version) == (message.flight, message.version)
    assert [(p.booking_ref, p.record_locators, p.passengers, p.itinerary) for p in back.pnrs] == [
        (p.booking_ref, p.record_locators, p.passengers, p.itinerary) for p in message.pnrs
    ]


@pytest.mark.parametrize("version", ["10.1", "11.1", "13.1"])
def test_writer_uses_the_message_version(version: str) -> None:
    text = write_pnrgov(small_message(version=version))
    assert f"PNRGOV:{version.replace('.', ':')}:IA" in text and parse(text).version == version


def test_writer_escapes_service_characters_and_writes_uppercase_latin() -> None:
    passenger = replace(WANG, surname="O'Neill-Müller", given_names="Zoë", documents=(), seat=None, seats=())
    message = parse(write_pnrgov(small_message(pnrs=[replace(small_message().pnrs[0], passengers=[passenger])])))
    assert (message.pnrs[0].passengers[0].surname, message.pnrs[0].passengers[0].given_names) == (
        "O'NEILL-MULLER",
        "ZOE",
    )
    assert "TIF+O?'NEILL-MULLER+ZOE MS:A:1'" in write_pnrgov(
        small_message(pnrs=[replace(small_message().pnrs[0], passengers=[passenger])])
    )


def test_requested_seats_and_a_booking_without_locators_are_written() -> None:
    requested = replace(WANG, seats=(PnrSeat("41A", "MXP", "DXB", "request"), PnrSeat("12A", "DXB", "PEK", "request")))
    pnr = replace(small_message().pnrs[0], record_locators=(), passengers=[requested])
    back = parse(write_pnrgov(small_message(pnrs=[pnr]))).pnrs[0]
    assert (back.booking_ref, back.record_locators) == ("R2D8KQ", (RecordLocator(None, "R2D8KQ"),))
    assert (back.passengers[0].seats, back.passengers[0].seat) == (requested.seats, "12A")
