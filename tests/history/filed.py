"""Arrivals filed into the operational store the way a carrier files them (PAXLST through ``file_paxlst``, screened
on arrival), for the tests that sync them into the history."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from kouan.db import unit_of_work
from kouan.formats.paxlst import parse_paxlst
from kouan.history.sync import Synced, sync_history
from kouan.intake.flows import file_paxlst
from kouan.settings import Settings
from tests.support.messages import crew_list, passenger_list

# flight number → (passengers "SURNAME:GIVEN", legs (origin, destination, local departure yymmddHHMM))
FLIGHTS: dict[str, tuple[list[str], list[tuple[str, str, str]]]] = {
    "CA902": (["BATBAYAR:ANU", "BOLD:TEMUULEN"], [("ULN", "PEK", "2003140800")]),  # Mongolia, inside March
    "CA904": (["DORJ:BOLD"], [("ULN", "PEK", "2002010800")]),  # Mongolia, long before
    "CA906": (["GANBOLD:SARNAI"], [("ULN", "PEK", "2003010800")]),  # Mongolia, on the first day of March
    "CA908": (["SUKH:ORGIL"], [("ULN", "PEK", "2002250800")]),  # Mongolia, before March: arrived before
    "CA940": (["ROSSI:MARIO", "BIANCHI:ANNA"], [("FCO", "PEK", "2003141830")]),  # Italy only
    "CA950": (["VERDI:LUCA"], [("ULN", "FCO", "2003100800"), ("FCO", "PEK", "2003111830")]),  # Mongolia, Rome (high)
    "CA910": (["ORLOV:IVAN"], [("ULN", "SVO", "2003080800"), ("SVO", "PEK", "2003091830")]),  # Mongolia, Moscow
}
LATE = "CA960"  # lands at 05:30 on 21 March 2020 in Beijing (20 March, 21:30 UTC): after the syncs that stop earlier
LATE_FLIGHT = (["NERI:PAOLA"], [("FCO", "PEK", "2003201830")])
UNTIL_MARCH_20 = datetime(2020, 3, 20, 0, 0, tzinfo=UTC)


def settings_for(url: str) -> Settings:
    return Settings(database_url=url, port_of_entry="PEK")


def file_flight(session: Session, url: str, *, number: str, names: list[str], legs: list[tuple[str, str, str]]) -> None:
    raw = passenger_list(names=names, legs=legs, carrier="CA", number=number)
    file_paxlst(session=session, raw=raw, message=parse_paxlst(raw), settings=settings_for(url))


def file_crew(session: Session, url: str, *, number: str, names: list[str], legs: list[tuple[str, str, str]]) -> None:
    raw = crew_list(names=names, legs=legs, carrier="CA", number=number)
    file_paxlst(session=session, raw=raw, message=parse_paxlst(raw), settings=settings_for(url))


def file_arrivals(url: str, *, late: bool = True) -> None:
    """Every flight of :data:`FLIGHTS` (with a crew list on CA902), and the late one unless told not to."""
    with unit_of_work(url) as session:
        for number, (names, legs) in FLIGHTS.items():
            file_flight(session, url, number=number, names=names, legs=legs)
        file_crew(session, url, number="CA902", names=["TSEND:BAT"], legs=FLIGHTS["CA902"][1])
        if late:
            file_flight(session, url, number=LATE, names=LATE_FLIGHT[0], legs=LATE_FLIGHT[1])


def sync(url: str, root: object, until: datetime = UNTIL_MARCH_20) -> Synced:
    return sync_history(url=url, root=str(root), until=until, port="PEK")
