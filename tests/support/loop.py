"""A small world for the closed loop: the demo organisation, two screened flights from Milan/Rome on 15 March 2020
(Italy high then) into PEK and PVG, and their referrals. Addresses are set as a manifest's NAD would carry them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from kouan.demo.organisation import Organisation, seed_organisation
from kouan.formats.paxlst import parse_paxlst
from kouan.referrals.models import Referral
from kouan.referrals.service import Actor, refer_voyage
from kouan.screening.service import current_travellers, screen_voyage
from kouan.travel.registry.queries import get_voyage
from kouan.travel.registry.service import ingest_paxlst
from tests.support.messages import passenger_list

PEK_ADDRESSES = {
    "ROSSI": "北京市朝阳区建国路88号",
    "BIANCHI": "上海市浦东新区张江路1号",
    "VERDI": "朝阳区建国路1号",  # which Chaoyang? Beijing's or Changchun's: the unresolved queue
    "NERI": None,  # no address at all: the unresolved queue
}
PVG_ADDRESSES = {"CONTI": "北京市海淀区中关村大街1号"}


@dataclass
class LoopWorld:
    org: Organisation
    referrals: dict[str, Referral]  # by surname


def _screened_voyage(*, session: Session, port: str, addresses: dict[str, str | None], number: str) -> list[Referral]:
    names = [f"{surname}:X" for surname in addresses]
    raw = passenger_list(names=names, legs=[("FCO", port, "2003141830")], number=number)
    result = ingest_paxlst(session=session, message=parse_paxlst(raw), raw=raw, port=port)
    voyage = get_voyage(session=session, voyage_id=result.voyage_id)
    assert voyage is not None
    for traveller in current_travellers(session=session, voyage_id=voyage.id):
        traveller.address = addresses[traveller.surname]
    session.flush()
    screen_voyage(session=session, voyage=voyage)
    return refer_voyage(session=session, voyage=voyage, actor=Actor(name="user:officer1"), port=port)


def build_loop(session: Session, *, webhooks: dict[str, str] | None = None) -> LoopWorld:
    org = seed_organisation(session=session, webhooks=webhooks)
    made = _screened_voyage(session=session, port="PEK", addresses=PEK_ADDRESSES, number="CA940")
    made += _screened_voyage(session=session, port="PVG", addresses=PVG_ADDRESSES, number="CA968")
    return LoopWorld(org=org, referrals={r.subject["surname"]: r for r in made})
