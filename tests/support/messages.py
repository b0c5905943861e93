"""Small PAXLST messages for tests, written by the project's own writer from plain records."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from kouan.formats.paxlst import write_paxlst
from kouan.formats.records import Document, Leg, PaxlstMessage, Person

DEFAULT_LEGS = [("FCO", "PEK", "2003201830")]


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


def _person(index: int, name: str, *, role: str, embarkation: str | None, seat: bool) -> Person:
    surname, given = name.split(":")
    return Person(
        surname=surname,
        given_names=given,
        role=role,
        sex="F" if index % 2 else "M",  # type: ignore[arg-type]
        birth_date=date(1970 + index, 1, 1 + index),
        nationality="ITA",
        documents=(Document(type="P", number=f"YA{1000000 + index}", issuer="ITA", expiry=date(2028, 1, 1)),),
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
) -> str:
    return _message(names=names, role="passenger", embarkation=embarkation, legs=legs, carrier=carrier, number=number)


def crew_list(*, names: list[str], carrier: str = "CA", number: str = "CA940") -> str:
    return _message(names=names, role="crew", embarkation=None, legs=None, carrier=carrier, number=number)


def _message(
    *,
    names: list[str],
    role: str,
    embarkation: str | None,
    legs: list[tuple[str, str, str]] | None,
    carrier: str,
    number: str,
) -> str:
    legs_ = [_leg(o, d, t, carrier, number) for o, d, t in (legs or DEFAULT_LEGS)]
    people = [
        _person(i, n, role=role, embarkation=embarkation or legs_[0].origin, seat=role == "passenger")
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
