"""A world for the scope matrix: the loop's two flights (CA940 into PEK, CA968 into PVG, screened and referred), a
contact trace on each, a departure from each (CA937 PEK → LHR, MU551 PVG → FCO), a ship's call at Ma'anshan
(CNMAA, warned to its customs and maritime authority) and at Shanghai (CNSHA), counter checks at PEK and PVG, dead
outbox events to re-send, and a principal at every level: stations, a duty team without a port, general stations, a
unit-level analyst, a national analyst and administrator."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from kouan.contacts.models import TraceIn
from kouan.contacts.service import trace_contacts
from kouan.counter.models import CounterCheck
from kouan.formats.mdh import parse_mdh
from kouan.formats.paxlst import parse_paxlst
from kouan.referrals.service import Actor
from kouan.sharing.outbox.models import OutboxStatus
from kouan.sharing.outbox.service import enqueue
from kouan.travel.registry.models import EXIT, Voyage
from kouan.travel.registry.service import ingest_paxlst
from kouan.users.models import Role, UnitLevel
from kouan.users.service import create_user
from kouan.users.units import create_unit
from kouan.vessels.service import file_call
from kouan.watchlist.hits.models import WatchlistHit
from tests.support.loop import LoopWorld, build_loop
from tests.support.messages import passenger_list

QUIET_MDH = json.loads((Path(__file__).parents[1] / "formats" / "data" / "mdh_jin_hai_fortune_all_no.json").read_text())
SEAPORT_UNITS = (  # code, name, level, parent, port: a seaport beside the demo's (Ma'anshan is one of them)
    ("SH-WSK", "吴淞边防检查站 Wusong Station", UnitLevel.station, "SH", "CNSHA"),
)
PRINCIPALS = {  # name → (role, unit; None at national level)
    "officer-pek": (Role.officer, "BJ-PEK"),
    "officer-team": (Role.officer, "BJ-PEK-1"),
    "officer-bj": (Role.officer, "BJ"),
    "officer-pvg": (Role.officer, "SH-PVG"),
    "officer-sh": (Role.officer, "SH"),
    "analyst-sh": (Role.analyst, "SH"),
    "officer-maa": (Role.officer, "AH-MAA"),
    "analyst": (Role.analyst, None),
    "admin": (Role.admin, None),
}
SEES = {  # name → the ports it sees, written out by hand (None: every port)
    "officer-pek": {"PEK"},
    "officer-team": set(),  # a duty team holds no port of its own: nothing, not everything
    "officer-bj": {"PEK"},  # the general station: its stations' ports
    "officer-pvg": {"PVG"},
    "officer-sh": {"PVG", "CNSHA"},
    "analyst-sh": {"PVG", "CNSHA"},
    "officer-maa": {"CNMAA"},
    "analyst": None,
    "admin": None,
}
AIRPORTS, SEAPORTS = ("PEK", "PVG"), ("CNSHA", "CNMAA")
REFERRED = {"PEK": "ROSSI", "PVG": "CONTI"}  # a referred traveller on each flight
DEPARTING = {"PEK": ("CA", "CA937", "LHR"), "PVG": ("MU", "MU551", "FCO")}  # a departure from each airport
PORT_AGENCY = {"PEK": "CUSTOMS-PEK", "PVG": "CUSTOMS-PVG", "CNMAA": "CUSTOMS-MAA"}


@dataclass
class ScopeWorld:
    loop: LoopWorld
    tokens: dict[str, str] = field(default_factory=dict)  # principal → token
    voyages: dict[str, int] = field(default_factory=dict)  # port → id
    departures: dict[str, int] = field(default_factory=dict)  # port → id of an exit voyage
    travellers: dict[str, int] = field(default_factory=dict)
    referrals: dict[str, int] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    checks: dict[tuple[str, str], int] = field(default_factory=dict)  # (principal, port) → a check of its own
    dead: dict[tuple[str, str], str] = field(default_factory=dict)  # (principal, port) → a dead event of its own
    hits: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (principal, port, confirm|dismiss) → open


def build_scope_world(session: Session) -> ScopeWorld:
    world = ScopeWorld(loop=build_loop(session))
    _units_and_principals(session=session, world=world)
    for port, surname in REFERRED.items():
        referral = world.loop.referrals[surname]
        assert referral.voyage_id is not None and referral.traveller_id is not None
        world.voyages[port], world.travellers[port] = referral.voyage_id, referral.traveller_id
        world.referrals[port] = referral.id
        _trace(session=session, voyage_id=referral.voyage_id, traveller_id=referral.traveller_id, port=port)
    for port, (carrier, number, destination) in DEPARTING.items():
        raw = passenger_list(names=["WANG:FANG"], legs=[(port, destination, "2003151330")], carrier=carrier,
                             number=number)  # fmt: skip
        filed = ingest_paxlst(session=session, message=parse_paxlst(raw), raw=raw, port=port, direction=EXIT)
        world.departures[port] = filed.voyage_id
    for port in SEAPORTS:
        mdh = parse_mdh(json.dumps(QUIET_MDH))
        world.calls[port] = file_call(session=session, mdh=mdh, crew=None, eta=None, port=port, actor="user:seed").id
    for name in PRINCIPALS:
        _own_rows(session=session, world=world, name=name)
    session.flush()
    return world


def _units_and_principals(*, session: Session, world: ScopeWorld) -> None:
    units = world.loop.org.units
    for code, name, level, parent, port in SEAPORT_UNITS:
        units[code] = create_unit(session=session, code=code, name=name, level=level, parent=units.get(parent or ""),
                                  port=port)  # fmt: skip
    for name, (role, unit) in PRINCIPALS.items():
        user, world.tokens[name] = create_user(session=session, username=name, role=role)
        user.unit_id = units[unit].id if unit else None


def _trace(*, session: Session, voyage_id: int, traveller_id: int, port: str) -> None:
    voyage = session.get(Voyage, voyage_id)
    assert voyage is not None
    body = TraceIn(traveller_ids=[traveller_id], refer=False)
    trace_contacts(session=session, voyage=voyage, body=body, actor=Actor(name="user:seed"), port=port)


def _hit(*, session: Session, port: str, subject: str) -> int:
    hit = WatchlistHit(subject=subject, status="open", direction="exit", port=port, person={"surname": "CHAN"},
                       watchlist="SCOPE", kind="exit_ban", list_version=1, entry_key="E1", entry={}, score=1.0,
                       explanation={})  # fmt: skip
    session.add(hit)
    session.flush()
    return hit.id


def _own_rows(*, session: Session, world: ScopeWorld, name: str) -> None:
    """A counter check and a dead event per port for each principal, so that each may decide and re-send its own."""
    for port in AIRPORTS:
        check = CounterCheck(officer="user:seed", port=port, scanned="mrz", surname=REFERRED[port], flags=[])
        session.add(check)
        session.flush()
        world.checks[name, port] = check.id
        for review in ("confirm", "dismiss"):
            world.hits[name, port, review] = _hit(session=session, port=port, subject=f"{name}:{port}:{review}")
    for port, agency in PORT_AGENCY.items():
        referral = world.referrals.get(port)  # the seaport's event is the vessel's early warning: no referral
        event = enqueue(session=session, agency=world.loop.org.agencies[agency], type="test.dead", payload={},
                        referral_id=referral, port=port if referral else None)  # fmt: skip
        event.status = OutboxStatus.dead.value
        world.dead[name, port] = event.event_id
