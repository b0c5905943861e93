"""Which port a carrier's message is for, when one installation works several ports.

A manifest names its legs; the voyage is filed at the first port of the installation it arrives at (the port of
entry: a flight London → Shanghai → Beijing enters at Shanghai). The installation's ports are those its units work
plus ``KOUAN_PORT_OF_ENTRY``, which stays the default of a single-port installation and the answer when a message
names none of them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from kouan.formats.records import PaxlstMessage
from kouan.reference import city_airports
from kouan.settings import Settings
from kouan.users.models import User
from kouan.users.units import unit_ports, visible_ports


def installation_ports(*, session: Session, default: str) -> frozenset[str]:
    """The ports the installation's units work, and its default port."""
    return unit_ports(session=session) | {default}


def entry_port(*, destinations: Iterable[str | None], ports: frozenset[str], default: str) -> str:
    """The first destination that is one of ``ports`` (or an airport of a city code among them); else ``default``."""
    known = {airport for port in ports for airport in (port, *city_airports(port))}
    return next((d for d in destinations if d and d in known), default)


def manifest_port(*, session: Session, message: PaxlstMessage, settings: Settings) -> str:
    ports = installation_ports(session=session, default=settings.port_of_entry)
    return entry_port(
        destinations=(leg.destination for leg in message.legs), ports=ports, default=settings.port_of_entry
    )


def ports_to_choose(*, session: Session, user: User, default: str) -> list[str]:
    """The ports a page offers the user: their units' (every port of the installation at national level)."""
    seen = visible_ports(session=session, user=user)
    return sorted(installation_ports(session=session, default=default) if seen is None else seen)
