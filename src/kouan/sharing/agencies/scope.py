"""Pure core: what each kind of agency may see of a referral (field-level minimisation).

Customs health quarantine at the port identifies the person and sees health, seat and travel history; a local health
authority sees identity, contact, destination and the reason; an embassy sees identity and where the loop stands.
Everything else is left out, including fields added later: a field is shared only when it is listed here.
"""

from __future__ import annotations

from typing import Any

IDENTITY = frozenset({"surname", "given_names", "sex", "birth_date", "nationality", "document_type", "document_number"})
CONTACT = frozenset({"phone"})
DESTINATION = frozenset({"address"})
SEAT = frozenset({"seat", "role"})
HISTORY = frozenset({"stays", "findings"})
HEALTH = frozenset({"level", "reasons", "temperature", "symptoms", "test_results"})
REASON = frozenset({"level", "reasons"})

SUBJECT_FIELDS: dict[str, frozenset[str]] = {
    "customs_quarantine": frozenset({"surname", "given_names", "nationality", "document_number"})
    | SEAT
    | HISTORY
    | HEALTH,
    "health_commission": IDENTITY | CONTACT | DESTINATION | REASON,
    "local_government": IDENTITY | CONTACT | DESTINATION | REASON,
    "embassy": frozenset({"surname", "given_names", "nationality", "document_number"}),
}

# Fields of the referral itself (not the person) each kind sees; every kind sees where the loop stands.
LOOP = frozenset({"id", "state", "state_since", "port", "flight", "arrival_date", "created_at", "closed_at"})
REFERRAL_FIELDS: dict[str, frozenset[str]] = {
    "customs_quarantine": LOOP | {"level", "due_at"},
    "health_commission": LOOP | {"level", "due_at", "destination_address", "destination_division"},
    "local_government": LOOP | {"level", "due_at", "destination_address", "destination_division"},
    "embassy": LOOP,
}


def scoped_subject(subject: dict[str, Any], *, kind: str) -> dict[str, Any]:
    allowed = SUBJECT_FIELDS.get(kind, frozenset())
    return {key: value for key, value in subject.items() if key in allowed}


def scoped_referral(referral: dict[str, Any], *, kind: str) -> dict[str, Any]:
    """The referral as an agency of ``kind`` may see it: its own fields, and the person under ``subject``."""
    allowed = REFERRAL_FIELDS.get(kind, frozenset())
    view = {key: value for key, value in referral.items() if key in allowed}
    view["subject"] = scoped_subject(referral.get("subject") or {}, kind=kind)
    return view


def visible_fields(*, kind: str) -> frozenset[str]:
    """Every field name an agency of ``kind`` may receive, at either level (for tests and the docs)."""
    return REFERRAL_FIELDS.get(kind, frozenset()) | SUBJECT_FIELDS.get(kind, frozenset()) | {"subject"}


# A vessel's early warning (no referral): customs health quarantine boards the ship and sees the crew; the maritime
# authority (pilots, anchorage, berthing) sees the vessel, its level, the reasons and the actions, and no person.
VESSEL = frozenset(
    {"call_id", "imo", "name", "flag", "port", "eta", "arrival_date", "level", "reasons", "actions", "crew_count"}
)
VESSEL_FIELDS: dict[str, frozenset[str]] = {
    "customs_quarantine": VESSEL | {"discrepancies", "crew"},
    "maritime_authority": VESSEL,
}


# Reasons name the ill seafarer (kind "ill_on_board") and the crew list's differences: customs only.
NAMELESS_REASONS = frozenset({"port_of_call", "health_answer", "no_ports"})


def scoped_vessel(warning: dict[str, Any], *, kind: str) -> dict[str, Any]:
    allowed = VESSEL_FIELDS.get(kind, frozenset())
    view = {key: value for key, value in warning.items() if key in allowed}
    if "crew" not in allowed and "reasons" in view:
        view["reasons"] = [r for r in view["reasons"] if r.get("kind") in NAMELESS_REASONS]
    return view
