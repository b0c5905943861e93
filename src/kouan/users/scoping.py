"""Staff see the ports of their units (``visible_ports``), in the API and the console alike: a row of another port
answers 404 (its existence is not revealed), a list leaves it out, and filing for a port outside one's units is 403."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kouan import errors
from kouan.users.models import User
from kouan.users.units import home_port, visible_ports


def sees(*, session: Session, user: User, port: str | None) -> bool:
    """Whether the port is one of the user's; a row with no port is seen at national level only."""
    ports = visible_ports(session=session, user=user)
    return ports is None or port in ports


def seen_or_404(*, session: Session, user: User, port: str | None, what: str) -> None:
    if not sees(session=session, user=user, port=port):
        raise errors.NotFound(f"no {what}")


def may_file_for(*, session: Session, user: User, port: str | None) -> None:
    """Filing (a call, a scan, a message) for a port outside the user's units is forbidden."""
    if not sees(session=session, user=user, port=port):
        raise errors.NotPermitted(f"port {port} is not one of your units'")


def working_port(*, session: Session, user: User, chosen: str | None, default: str) -> str:
    """The port a page or a scan is for: the one chosen (it must be one of the user's), else the user's own
    (:func:`home_port`), else the installation's default (``KOUAN_PORT_OF_ENTRY``)."""
    if chosen:
        port = chosen.strip().upper()
        may_file_for(session=session, user=user, port=port)
        return port
    return home_port(session=session, user=user) or default


def chosen_ports(*, session: Session, user: User, chosen: str | None) -> frozenset[str] | None:
    """The ports a list shows: the one chosen (it must be one of the user's), else every port the user sees."""
    if chosen:
        return frozenset({working_port(session=session, user=user, chosen=chosen, default="")})
    return visible_ports(session=session, user=user)
