"""Entry policies and special arrival zones applied to a screened voyage (the same rules the public is told).

A manifest may carry a visa (DOC type V, with its issue date) but never its category. Crew travel on C visas
(crew visas), which R3 leaves alone; a passenger's visa is taken as an ordinary one (L), so one issued before
2020-03-27 gives R3's "refuse entry" — unless the counter finds it is a C, diplomatic, service or courtesy visa.
Without a visa document R3 is checked as for a visa-exempt foreigner. Either way, once R3 is in force every
foreigner gets the action to check the visa's category and issue date at the counter.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from kouan.measures.classifiers import LEVEL_RANK
from kouan.measures.designations import zones
from kouan.measures.policies import BEIJING_TZ, PolicyQuery, decide
from kouan.screening.models import PolicyRead, TravellerResult
from kouan.travel.registry.models import Traveller, Voyage

R3_FROM = datetime(2020, 3, 28, tzinfo=BEIJING_TZ)
NOT_FOREIGN = {"CHN", "HKG", "MAC", "TWN"}
CHECK_VISA = (
    "Check the visa's type and issue date: entry on visas issued before 2020-03-27 is suspended (R3)"
    " / 核查签证种类及签发日期"
)
REFUSE = "Refuse entry (R3) / 不准入境"
DIVERT = "Flight must land first at a designated point of entry: {} / 须经指定第一入境点入境"


def arrival_moment(voyage: Voyage) -> datetime:
    return voyage.scheduled_arrival or datetime.combine(voyage.flight_date, time(12), BEIJING_TZ)


def traveller_policy(*, voyage: Voyage, traveller: Traveller) -> PolicyRead | None:
    try:
        query = PolicyQuery(
            at=arrival_moment(voyage),
            arrival=voyage.destination or "",
            nationality=traveller.nationality or "XXX",
            final_destination=traveller.debarkation,
            flight=f"{voyage.carrier}{voyage.number}",
            **_visa(traveller),
        )
    except ValueError:  # a visa type the rules do not know: no policy, not a failure
        return None
    return _decided(query)


@lru_cache(maxsize=4096)
def _decided(query: PolicyQuery) -> PolicyRead | None:
    """The rules are fixed and a flight's travellers ask a handful of distinct questions (nationality, destination,
    visa): each is decided once, not once per traveller (read-only: results share it)."""
    try:
        decision = decide(query)
    except ValueError:  # an airport or nationality the rules do not know: no policy, not a failure
        return None
    return PolicyRead(decision=decision.decision, rules=[_rule(r) for r in decision.rules])


def _visa(traveller: Traveller) -> dict[str, Any]:
    """The visa the manifest lists (DOC type V): its category as far as a manifest can tell, and its issue date."""
    visa = next((d for d in traveller.documents or [] if (d.get("type") or "").upper().startswith("V")), None)
    if visa is None:
        return {}
    issued = date.fromisoformat(visa["issued"]) if visa.get("issued") else None
    return {"visa_type": "C" if traveller.role == "crew" else "L", "visa_issued": issued}


def _rule(rule: Any) -> dict[str, Any]:
    return {
        "id": rule.id,
        "source": rule.source,
        "text": rule.text,
        "text_zh": rule.text_zh,
        "effect": rule.effect,
        "divert_to": list(rule.divert_to),
    }


def policy_actions(*, voyage: Voyage, traveller: Traveller, policy: PolicyRead | None) -> list[str]:
    actions = []
    if policy and policy.decision == "refuse_entry":
        actions.append(REFUSE)
    divert = sorted({a for r in (policy.rules if policy else []) for a in r["divert_to"]})
    if divert:
        actions.append(DIVERT.format(", ".join(divert)))
    if arrival_moment(voyage) >= R3_FROM and (traveller.nationality or "XXX") not in NOT_FOREIGN:
        actions.append(CHECK_VISA)
    return actions


def assign_zone(*, session: Session, voyage: Voyage, results: list[TravellerResult]) -> None:
    """A flight whose departure points (any leg) are at a zone's level or above goes to that zone."""
    legs = [r for t in results for r in t.reasons if (r.source or "").startswith("manifest")]
    voyage.zone_id, voyage.zone_reason = None, None
    for zone in zones(session=session, airport=voyage.destination):
        hits = [r for r in legs if LEVEL_RANK.get(r.level, 0) >= LEVEL_RANK[zone.min_level]]
        if hits:
            voyage.zone_id = zone.id
            voyage.zone_reason = f"{zone.name}: {hits[0].text}"[:300]
            return


def voyage_policy(*, results: list[TravellerResult]) -> dict[str, Any] | None:
    """The flight's own measure (R2): the diversion any traveller's decision carries."""
    for result in results:
        if result.policy and any(r["divert_to"] for r in result.policy.rules):
            rules = [r for r in result.policy.rules if r["divert_to"]]
            return {"decision": "divert", "rules": rules}
    return None
