"""Small PAXLST messages for tests, written by the project's own writer from plain records."""

from __future__ import annotations

import zlib
from datetime import UTC, date, datetime, timedelta

from kouan.formats.paxlst import write_paxlst
from kouan.formats.pnr_records import Pnr, PnrDocument, PnrgovMessage, PnrLeg, PnrPassenger, RecordLocator
from kouan.formats.pnrgov_write import write_pnrgov
from kouan.formats.records import Document, Leg, PaxlstMessage, Person
from kouan.travel.journey.schemas import CrossingCreate

DEFAULT_LEGS = [("FCO", "PEK", "2003201830")]


def document_number(name: str) -> str:
    """A passport number of one's own for each test person ("SURNAME:GIVEN"), the same in every message."""
    return f"YA{zlib.crc32(name.encode()) % 10_000_000:07d}"


def _leg(origin: str, destination: str, departs: str, carrier: str, number: str) -> Leg:
    departure = datetime.strptime(departs, "%y%m%d%H%M")
    arrival = departure + timedelta(hours=11)  # local clock times, as a carrier sends them
    return Leg(
        origin=origin,
        destination=destination,
        departure=departure,
        arrival=arrival,
        carrier=carrier,
        number=number,
    )


def _person(
    index: int,
    name: str,
    *,
    role: str,
    embarkation: str | None,
    seat: bool,
    nationality: str = "ITA",
    visa_issued: date | None = None,
) -> Person:
    surname, given = name.split(":")
    return Person(
        surname=surname,
        given_names=given,
        role=role,
        sex="F" if index % 2 else "M",  # type: ignore[arg-type]
        birth_date=date(1970 + index % 50, 1 + index // 28 % 12, 1 + index % 28),  # as before for 28 people
        nationality=nationality,
        documents=(
            Document(type="P", number=document_number(name), issuer="ITA", expiry=date(2028, 1, 1)),
            *(
                [
                    Document(
                        type="V",
                        number="V" + document_number(name)[2:],
                        issuer="CHN",
                        expiry=date(2021, 1, 1),
                        issued=visa_issued,
                    )
                ]
                if visa_issued
                else []
            ),
        ),
        embarkation=embarkation,
        debarkation="PEK",
        seat=f"{10 + index}A" if seat else None,
    )


def passenger_list(
    *,
    names: list[str],
    embarkation: str | None = None,
    legs: list[tuple[str, str, str]] | None = None,
    carrier: str = "CA",
    number: str = "CA940",
    nationality: str = "ITA",
    visa_issued: date | None = None,
) -> str:
    return _message(
        visa_issued=visa_issued,
        names=names,
        role="passenger",
        embarkation=embarkation,
        legs=legs,
        carrier=carrier,
        number=number,
        nationality=nationality,
    )


def crew_list(
    *,
    names: list[str],
    carrier: str = "CA",
    number: str = "CA940",
    visa_issued: date | None = None,
    legs: list[tuple[str, str, str]] | None = None,
) -> str:
    return _message(
        visa_issued=visa_issued, names=names, role="crew", embarkation=None, legs=legs, carrier=carrier, number=number
    )


def _message(
    *,
    names: list[str],
    role: str,
    embarkation: str | None,
    legs: list[tuple[str, str, str]] | None,
    carrier: str,
    number: str,
    nationality: str = "ITA",
    visa_issued: date | None = None,
) -> str:
    legs_ = [_leg(o, d, t, carrier, number) for o, d, t in (legs or DEFAULT_LEGS)]
    people = [
        _person(
            i,
            n,
            role=role,
            embarkation=embarkation or legs_[0].origin,
            seat=role == "passenger",
            nationality=nationality,
            visa_issued=visa_issued,
        )
        for i, n in enumerate(names)
    ]
    message = PaxlstMessage(
        message_type="crew" if role == "crew" else "passengers",
        carrier=carrier,
        number=number,
        legs=legs_,
        travellers=people,
        declared_count=len(people),
    )
    return write_paxlst(message)


def pnr_push(
    *,
    booking_ref: str,
    people: list[str],
    legs: list[tuple[str, str, str, str, str]],
    documents: list[str | None] | None = None,
) -> str:
    """A PNRGOV push for the last leg's flight; legs are (carrier, number, from, to, departs YYMMDDHHMM)."""
    pnr_legs = [_pnr_leg(*leg) for leg in legs]
    numbers = documents or [None] * len(people)
    passengers = [
        _pnr_passenger(index, name, number) for index, (name, number) in enumerate(zip(people, numbers, strict=True))
    ]
    pnr = Pnr(
        booking_ref=booking_ref,
        record_locators=(RecordLocator(system=legs[-1][0], locator=booking_ref),),
        passengers=passengers,
        itinerary=pnr_legs,
    )
    return write_pnrgov(PnrgovMessage(flight=pnr_legs[-1], pnrs=[pnr], version="11.1"))


def _pnr_leg(carrier: str, number: str, origin: str, destination: str, departs: str) -> PnrLeg:
    departure = datetime.strptime(departs, "%y%m%d%H%M")
    return PnrLeg(
        origin=origin,
        destination=destination,
        departure=departure,
        arrival=departure + timedelta(hours=6),
        carrier=carrier,
        number=number,
    )


def _pnr_passenger(index: int, name: str, number: str | None) -> PnrPassenger:
    surname, given = name.split(":")
    birth = date(1970 + index, 1, 1 + index)
    document = PnrDocument(
        type="P",
        number=number,
        issuer="ITA",
        expiry=date(2028, 1, 1),
        nationality="ITA",
        birth_date=birth,
        sex="F" if index % 2 else "M",
        surname=surname,
        given_names=given,
    )
    return PnrPassenger(
        surname=surname,
        given_names=given,
        reference=str(index + 1),
        sex=document.sex,
        birth_date=birth,
        nationality="ITA",
        documents=(document,) if number else (),
    )


def rossi_crossing(*, direction: str, when: str, country: str) -> CrossingCreate:
    """Our own record of ROSSI MARIO (born 1970-01-01, ITA) crossing at PEK."""
    return CrossingCreate(
        direction=direction,  # type: ignore[arg-type]
        port="PEK",
        crossed_at=datetime.fromisoformat(when).astimezone(UTC),
        surname="ROSSI",
        given_names="MARIO",
        birth_date=date(1970, 1, 1),
        nationality="ITA",
        document_number=document_number("ROSSI:MARIO"),
        country=country,
    )


def manifest(
    *, people: list[Person], legs: list[tuple[str, str, str]] | None = None, carrier: str = "CA", number: str = "CA940"
) -> str:
    """A passenger list of the given people (their documents, dates of birth and nationalities as they are)."""
    legs_ = [_leg(o, d, t, carrier, number) for o, d, t in (legs or DEFAULT_LEGS)]
    message = PaxlstMessage(message_type="passengers", carrier=carrier, number=number, legs=legs_,
                            travellers=people, declared_count=len(people))  # fmt: skip
    return write_paxlst(message)


def person(
    name: str, *, born: date, nationality: str, document: str | None = None, sex: str = "M", seat: str | None = None
) -> Person:
    """One traveller ("SURNAME:GIVEN") with a passport of their nationality (its number: ``document`` or their own)."""
    surname, given = name.split(":")
    number = document or document_number(name)
    passport = Document(type="P", number=number, issuer=nationality, expiry=date(2028, 1, 1))
    return Person(surname=surname, given_names=given, role="passenger", sex=sex, birth_date=born,  # type: ignore[arg-type]
                  nationality=nationality, seat=seat, documents=(passport,))  # fmt: skip
