"""The rest of the demo night's journeys: bookings (PNRGOV) that start before the hub a passenger boarded at, our
own earlier exit records, and health declarations, some of which leave a place out.

One featured traveller has all four: boarded EK308 at Dubai, booked from Milan, left Beijing for Italy in
February, and declared only the Emirates.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from kouan.demo.addresses import phone, stay_address
from kouan.demo.night import DemoMessage
from kouan.formats.paxlst import parse_paxlst
from kouan.formats.pnr_records import Pnr, PnrDocument, PnrgovMessage, PnrLeg, PnrPassenger, RecordLocator
from kouan.formats.pnrgov_write import write_pnrgov
from kouan.formats.records import Leg, Person
from kouan.reference import place

# Feeder flights into the hubs, as booked in March 2020: (carrier, number, origin, block hours).
FEEDERS = {
    "DXB": [("EK", "92", "MXP", 6.0), ("EK", "142", "MAD", 7.0), ("EK", "978", "IKA", 2.0)],
    "DOH": [("QR", "124", "FCO", 5.5), ("QR", "148", "BCN", 6.5)],
    "IST": [("TK", "1874", "MXP", 3.0), ("TK", "878", "IKA", 3.5)],
}
DECLARED_FLIGHTS = ("EK308", "QR892", "TK020")


@dataclass
class DemoJourneys:
    pnr_messages: list[tuple[str, str]] = field(default_factory=list)
    crossings: list[dict[str, Any]] = field(default_factory=list)
    declarations: list[dict[str, Any]] = field(default_factory=list)
    featured: dict[str, str] = field(default_factory=dict)


def _flight_legs(message: DemoMessage) -> tuple[Leg, list[Person]]:
    parsed = parse_paxlst(message.text)
    return parsed.legs[-1], parsed.travellers


def _booking_ref(rng: random.Random) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))


def _pnr_leg(carrier: str, number: str, origin: str, destination: str, departure: datetime, hours: float) -> PnrLeg:
    return PnrLeg(origin, destination, departure, departure + timedelta(hours=hours), carrier, number)


def _pnr_passenger(person: Person) -> PnrPassenger:
    doc = person.documents[0] if person.documents else None
    document = PnrDocument(
        type="P",
        number=doc.number if doc else None,
        issuer=doc.issuer if doc else None,
        expiry=doc.expiry if doc else None,
        nationality=person.nationality,
        birth_date=person.birth_date,
        sex=person.sex,
        surname=person.surname,
        given_names=person.given_names,
    )
    return PnrPassenger(
        surname=person.surname,
        given_names=person.given_names,
        reference="1",
        sex=person.sex,
        birth_date=person.birth_date,
        nationality=person.nationality,
        documents=(document,),
    )


def _booking(*, rng: random.Random, hub_leg: Leg, person: Person, feeder: tuple[str, str, str, float]) -> Pnr:
    carrier, number, origin, hours = feeder
    assert hub_leg.departure is not None and hub_leg.origin is not None
    departs = hub_leg.departure - timedelta(hours=hours + rng.uniform(3, 9))
    legs = [
        _pnr_leg(carrier, number, origin, hub_leg.origin, departs, hours),
        _pnr_leg(
            hub_leg.carrier or carrier,
            _digits(hub_leg.number),
            hub_leg.origin,
            hub_leg.destination or "PEK",
            hub_leg.departure,
            7.5,
        ),
    ]
    ref = _booking_ref(rng)
    return Pnr(
        booking_ref=ref,
        record_locators=(RecordLocator(carrier, ref),),
        passengers=[_pnr_passenger(person)],
        itinerary=legs,
    )


def _digits(number: str | None) -> str:
    return "".join(c for c in (number or "") if c.isdigit())


Booked = tuple[str, Person, str]  # (flight, person, the airport the booking starts from)


def _hub_pushes(*, rng: random.Random, messages: list[DemoMessage], journeys: DemoJourneys) -> list[Booked]:
    booked: list[Booked] = []
    for message in messages:
        leg, people = _flight_legs(message)
        feeders = FEEDERS.get(leg.origin or "")
        if message.message_type != "passengers" or not feeders:
            continue
        boarded_here = [p for p in people if p.embarkation == leg.origin and p.role == "passenger"]
        chosen = rng.sample(boarded_here, k=min(len(boarded_here), max(3, len(boarded_here) // 5)))
        routes = [feeders[0] if n == 0 else rng.choice(feeders) for n in range(len(chosen))]
        pnrs = [_booking(rng=rng, hub_leg=leg, person=p, feeder=f) for p, f in zip(chosen, routes, strict=True)]
        text = write_pnrgov(PnrgovMessage(flight=pnrs[0].itinerary[-1], pnrs=pnrs, version="11.1"))
        journeys.pnr_messages.append((message.filename.replace("_pax.edi", "_pnrgov.edi"), text))
        booked += [
            (f"{message.carrier}{_digits(message.number)}", p, f[2]) for p, f in zip(chosen, routes, strict=True)
        ]
    return booked


def _exit_record(person: Person, *, country: str, day: datetime) -> dict[str, Any]:
    doc = person.documents[0] if person.documents else None
    return {
        "direction": "exit",
        "port": "PEK",
        "crossed_at": day.isoformat(),
        "surname": person.surname,
        "given_names": person.given_names,
        "birth_date": person.birth_date.isoformat() if person.birth_date else None,
        "nationality": person.nationality,
        "document_number": doc.number if doc else None,
        "country": country,
    }


def _country(code: str | None) -> str | None:
    found = place(code) if code else None
    return found.country if found else None


def _exits(*, rng: random.Random, booked: list[Booked], journeys: DemoJourneys) -> None:
    """Half the Chinese nationals among the booked travellers left Beijing for their booking's origin in February."""
    for n, (_flight, person, origin) in enumerate(booked):
        if person.nationality == "CHN" and (n == 0 or rng.random() < 0.5):
            day = datetime.combine(datetime(2020, 2, 1).date() + timedelta(days=rng.randrange(25)), time(10), UTC)
            journeys.crossings.append(_exit_record(person, country=_country(origin) or "ITA", day=day))


def _declaration(*, flight: str, day: str, person: Person, places: list[str]) -> dict[str, Any]:
    doc = person.documents[0] if person.documents else None
    start = (datetime.fromisoformat(day) - timedelta(days=10)).date().isoformat()
    own = (doc.number if doc else None) or person.surname
    return {
        "surname": person.surname,
        "given_names": person.given_names,
        "nationality": person.nationality,
        "birth_date": person.birth_date.isoformat() if person.birth_date else None,
        "document_number": doc.number if doc else None,
        "flight": flight,
        "flight_date": day,
        "places": [{"country": c, "date_from": start, "date_to": day} for c in places],
        "address": stay_address(person.booking_ref or own),
        "phone": phone(own),
    }


def _declarations(
    *, rng: random.Random, messages: list[DemoMessage], booked: list[Booked], journeys: DemoJourneys
) -> None:
    """Every passenger declares (the card was required of all arrivals); on a few flights the featured traveller and
    about one in twenty leave their origin out."""
    origins = {(f, p.surname, p.given_names): o for f, p, o in booked}
    featured = (booked[0][0], booked[0][1].surname, booked[0][1].given_names) if booked else None
    for message in messages:
        flight = f"{message.carrier}{_digits(message.number)}"
        if message.message_type != "passengers":
            continue
        leg, people = _flight_legs(message)
        day = leg.departure.date().isoformat() if leg.departure else ""
        for person in people:
            key = (flight, person.surname, person.given_names)
            origin = origins.get(key)
            places = [c for c in {_country(person.embarkation), _country(origin)} if c]
            if origin and flight in DECLARED_FLIGHTS and (key == featured or rng.random() < 0.05):
                places = [c for c in places if c != _country(origin)]
            journeys.declarations.append(_declaration(flight=flight, day=day, person=person, places=places))


def generate_journeys(*, messages: list[DemoMessage], seed: int = 2020) -> DemoJourneys:
    rng = random.Random(seed)
    journeys = DemoJourneys()
    booked = _hub_pushes(rng=rng, messages=messages, journeys=journeys)
    _exits(rng=rng, booked=booked, journeys=journeys)
    _declarations(rng=rng, messages=messages, booked=booked, journeys=journeys)
    if booked:
        flight, person, origin = booked[0]
        journeys.featured = {
            "flight": flight,
            "surname": person.surname,
            "given_names": person.given_names,
            "booked_from": origin,
        }
    return journeys


def write_journeys(
    *, directory: Path, messages: list[DemoMessage], seed: int = 2020
) -> tuple[list[Path], Path, Path, DemoJourneys]:
    """PNRGOV files beside the manifests, crossings as CSV and declarations as JSON."""
    journeys = generate_journeys(messages=messages, seed=seed)
    directory.mkdir(parents=True, exist_ok=True)
    pushes = []
    for name, text in journeys.pnr_messages:
        (directory / name).write_text(text, encoding="utf-8")
        pushes.append(directory / name)
    crossings = directory / "crossings.csv"
    _write_csv(crossings, journeys.crossings)
    declarations = directory / "declarations.json"
    declarations.write_text(json.dumps(journeys.declarations, ensure_ascii=False, indent=1), encoding="utf-8")
    return pushes, crossings, declarations, journeys


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    columns = [
        "direction",
        "port",
        "crossed_at",
        "surname",
        "given_names",
        "birth_date",
        "nationality",
        "document_number",
        "country",
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
