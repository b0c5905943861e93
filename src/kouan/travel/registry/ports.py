"""Which port a carrier's message is for, and in which direction, when one installation works several ports.

A manifest names its legs. The first leg that crosses the border decides (Hong Kong, Macao and Taiwan are abroad
for border control, as in the airports' countries of :mod:`kouan.reference`):

- a leg from abroad (or from a place we do not know) makes an **entry**, filed at the first of the installation's
  ports the message arrives at from there on (the port of entry: a flight London → Shanghai → Beijing enters at
  Shanghai; with Beijing alone among our ports, at Beijing, as before);
- a leg leaving mainland China for a place known to be abroad makes an **exit** (a departure manifest: Beijing →
  London, or Beijing → Hong Kong), filed at that leg's origin when it is one of ours, else at the latest of our
  ports on the legs before it (Beijing → Shanghai → London with Beijing alone among our ports leaves at Beijing).
  When none of ours comes before it, the legs after it are read on.

A message with no such leg, or whose exit names none of our ports, is an entry at the first of our ports it arrives
at, else at the default, as before. The installation's ports are those its units work plus ``KOUAN_PORT_OF_ENTRY``,
which stays the default of a single-port installation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from kouan.formats.records import PaxlstMessage
from kouan.reference import city_airports, place
from kouan.settings import Settings
from kouan.travel.registry.models import Direction
from kouan.users.models import User
from kouan.users.units import unit_ports, visible_ports

MAINLAND = "CHN"
Route = Sequence[tuple[str | None, str | None]]  # the legs' (origin, destination), in order


@dataclass(frozen=True)
class Crossing:
    direction: Direction
    port: str


def installation_ports(*, session: Session, default: str) -> frozenset[str]:
    """The ports the installation's units work, and its default port."""
    return unit_ports(session=session) | {default}


def _airports(ports: frozenset[str]) -> set[str]:
    return {airport for port in ports for airport in (port, *city_airports(port))}


def entry_port(*, destinations: Iterable[str | None], ports: frozenset[str], default: str) -> str:
    """The first destination that is one of ``ports`` (or an airport of a city code among them); else ``default``."""
    known = _airports(ports)
    return next((d for d in destinations if d and d in known), default)


def _country(code: str | None) -> str | None:
    found = place(code) if code else None
    return found.country if found else None


def in_mainland(code: str | None) -> bool:
    return _country(code) == MAINLAND


def abroad(code: str | None) -> bool:
    return _country(code) not in (None, MAINLAND)


def crossing(*, route: Route, ports: frozenset[str], default: str) -> Crossing:
    """The direction of a message with these legs and the port it is filed at (see the module)."""
    for index, (origin, destination) in enumerate(route):
        if not in_mainland(origin):
            later = (d for _, d in route[index:])
            return Crossing("entry", entry_port(destinations=later, ports=ports, default=default))
        if abroad(destination) and (port := _exit_port(route[: index + 1], ports=ports)):
            return Crossing("exit", port)
    return Crossing("entry", entry_port(destinations=(d for _, d in route), ports=ports, default=default))


def _exit_port(route: Route, *, ports: frozenset[str]) -> str | None:
    """The origin of the last leg when it is ours, else the latest of our ports on the legs before it."""
    known = _airports(ports)
    places = [code for origin, destination in route[:-1] for code in (origin, destination)] + [route[-1][0]]
    return next((code for code in reversed(places) if code and code in known), None)


def manifest_crossing(*, session: Session, message: PaxlstMessage, settings: Settings) -> Crossing:
    ports = installation_ports(session=session, default=settings.port_of_entry)
    route = [(leg.origin, leg.destination) for leg in message.legs]
    return crossing(route=route, ports=ports, default=settings.port_of_entry)


def manifest_port(*, session: Session, message: PaxlstMessage, settings: Settings) -> str:
    return manifest_crossing(session=session, message=message, settings=settings).port


def ports_to_choose(*, session: Session, user: User, default: str) -> list[str]:
    """The ports a page offers the user: their units' (every port of the installation at national level)."""
    seen = visible_ports(session=session, user=user)
    return sorted(installation_ports(session=session, default=default) if seen is None else seen)
