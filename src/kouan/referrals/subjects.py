"""Who a referral is about: a snapshot of the traveller, the screening and the declaration, taken when the referral
is made, so every agency sees the same facts later and the purge can empty it in one place."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan.screening.models import ScreeningResult
from kouan.travel.journey.models import Declaration, TravellerLink
from kouan.travel.registry.models import Traveller, Voyage

REFERRED_LEVELS = ("high",)
REFERRED_DECISIONS = ("refuse_entry",)


def needs_referral(result: ScreeningResult | None) -> bool:
    """High-risk travellers (their actions say: refer to customs, notify the destination) and those refused entry."""
    if result is None:
        return False
    decision = (result.policy or {}).get("decision")
    return result.level in REFERRED_LEVELS or decision in REFERRED_DECISIONS


def subject_key(*, voyage: Voyage, traveller: Traveller) -> str:
    """Stable across manifest versions: the same person on the same voyage is one referral."""
    person = traveller.document_number or f"{traveller.surname}/{traveller.given_names}/{traveller.birth_date}"
    content = f"{voyage.id}|{traveller.nationality}|{person}|{traveller.role}"
    return hashlib.sha256(content.encode()).hexdigest()


def declaration_for(*, session: Session, traveller: Traveller) -> Declaration | None:
    query = (
        select(Declaration)
        .join(TravellerLink, TravellerLink.target_id == Declaration.id)
        .where(TravellerLink.traveller_id == traveller.id, TravellerLink.kind == "declaration")
        .order_by(TravellerLink.score.desc())
    )
    return session.scalars(query).first()


def snapshot(
    *, traveller: Traveller, result: ScreeningResult | None, declaration: Declaration | None
) -> dict[str, Any]:
    return {
        **_identity(traveller),
        "phone": declaration.phone if declaration else None,
        "address": (declaration.address if declaration and declaration.address else traveller.address),
        "seat": traveller.seat,
        "role": traveller.role,
        "stays": [_stay(s) for s in traveller.stays],
        "findings": list(result.findings or []) if result else [],
        "level": result.level if result else "unknown",
        "reasons": [reason.get("text") for reason in result.reasons or []] if result else [],
        "policy_decision": (result.policy or {}).get("decision") if result else None,
    }


def _identity(traveller: Traveller) -> dict[str, Any]:
    return {
        "surname": traveller.surname,
        "given_names": traveller.given_names,
        "sex": traveller.sex,
        "birth_date": traveller.birth_date.isoformat() if traveller.birth_date else None,
        "nationality": traveller.nationality,
        "document_type": traveller.document_type,
        "document_number": traveller.document_number,
    }


def _stay(stay: Any) -> dict[str, Any]:
    return {"region": stay.region_code, "place": stay.place, "date": stay.stay_date.isoformat(), "source": stay.source}


def destination_source(*, traveller: Traveller, declaration: Declaration | None) -> str | None:
    if declaration and declaration.address:
        return "declaration"
    return "manifest" if traveller.address else None
