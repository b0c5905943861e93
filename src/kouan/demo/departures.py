"""The demo's departures evening at Beijing Capital (PEK), 15 March 2020: three outbound flights' passenger lists
(exit manifests), with people planted among the generated passengers so that the exit lane has work:

- 陳志明, on the exit-ban list in Han characters, travelling to Hong Kong as CHAN CHI MING (a Cantonese spelling);
- 張偉國, on it too, travelling to London on a Taiwan passport as CHANG WEI-KUO (Wade-Giles);
- a British passport reported stolen, presented by someone else (its number alone finds it);
- two foreigners past their permitted stay: a 30-day L visa from January, and a 144-hour transit from March;
- 刘洋, whose exit ban ended on 29 February: she is not stopped.

The lists (``data/exit_bans.csv``, ``data/stolen_documents.csv``) and every person are invented.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import lru_cache

from kouan.demo.night import DemoMessage, message, passengers
from kouan.demo.schedule import Flight, _flight
from kouan.demo.tables import DATA_DIR, read_json
from kouan.formats.paxlst import write_paxlst
from kouan.formats.records import Document, Person

SCALE = 0.35  # the evening is a few hundred passengers: enough to show the lanes, quick to file
PORT = "PEK"


@dataclass(frozen=True)
class Planted:
    """A planted traveller, why they are there, and (for an overstay) how they entered."""

    person: Person
    flight: str
    why: str
    entered: datetime | None = None
    basis: str | None = None  # the entry's permitted stay: visa, transit_144h ...
    visa_type: str | None = None
    stay_days: int | None = None


def _passport(number: str, issuer: str, expiry: date = date(2027, 6, 30)) -> tuple[Document, ...]:
    return (Document(type="P", number=number, issuer=issuer, expiry=expiry),)


def _person(surname: str, given: str, *, nationality: str, born: date, sex: str, passport: str) -> Person:
    return Person(surname=surname, given_names=given, role="passenger", sex=sex, birth_date=born,  # type: ignore[arg-type]
                  nationality=nationality, documents=_passport(passport, nationality), embarkation=PORT)  # fmt: skip


PLANTED = (
    Planted(_person("CHAN", "CHI MING", nationality="CHN", born=date(1968, 9, 12), sex="M", passport="KJ0417735"),
            "CA101", "exit ban, Cantonese spelling of 陳志明"),
    Planted(_person("CHANG", "WEI-KUO", nationality="TWN", born=date(1975, 2, 3), sex="M", passport="302118406"),
            "CA937", "exit ban, Wade-Giles spelling of 張偉國"),
    Planted(_person("BRENNAN", "MARK", nationality="GBR", born=date(1983, 11, 5), sex="M", passport="533918204"),
            "CA937", "a passport reported stolen"),
    Planted(_person("OKAFOR", "CHUKWUEMEKA", nationality="NGA", born=date(1990, 7, 14), sex="M", passport="A07731942"),
            "CA937", "overstay: 30-day L visa", entered=datetime(2020, 1, 20, 6, 35, tzinfo=UTC), basis="visa",
            visa_type="L", stay_days=30),
    Planted(_person("NGUYEN", "VAN AN", nationality="VNM", born=date(1986, 3, 22), sex="M", passport="C5583104"),
            "CA985", "overstay: 144-hour transit", entered=datetime(2020, 3, 1, 9, 10, tzinfo=UTC),
            basis="transit_144h"),
    Planted(_person("LIU", "YANG", nationality="CHN", born=date(1982, 6, 30), sex="F", passport="E39104485"),
            "CA985", "exit ban ended 29 February: not stopped"),
)  # fmt: skip


@lru_cache(maxsize=1)
def departure_flights() -> tuple[Flight, ...]:
    return tuple(_flight(item) for item in read_json("departures.json")["flights"])


def generate_departures(*, night: date, seed: int = 2020) -> list[DemoMessage]:
    """The evening's exit manifests: generated passengers, and the planted people on their flights."""
    out: list[DemoMessage] = []
    for flight in departure_flights():
        rng = random.Random(f"{seed}:departures:{flight.number}")
        travellers = passengers(rng, flight, night, SCALE) + _planted_on(flight=flight, night=night)
        text = write_paxlst(message(flight, night, "passengers", travellers), interchange_ref=f"D{len(out) + 1}")
        out.append(DemoMessage(f"{night:%Y%m%d}_{flight.number}_{flight.origin}_exit.edi", text, flight.carrier,
                               flight.number, flight.origin, "passengers"))  # fmt: skip
    return out


def _planted_on(*, flight: Flight, night: date) -> list[Person]:
    return [replace(p.person, debarkation=flight.destination) for p in PLANTED if p.flight == flight.number]


def list_text(name: str) -> str:
    """A bundled list as CSV, without the provenance comments at its head."""
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(line for line in lines if not line.startswith("#"))
