"""The review queue: an officer confirms a hit (it becomes a decision in the person's record, on the entry's legal
basis) or dismisses it, each with a reason, audited. A decision is national: made at one port, it stops the person at
every port's counter. Services never commit: the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kouan import errors
from kouan.audit.service import record
from kouan.db import utcnow
from kouan.users.units import in_ports
from kouan.watchlist.hits.models import DecisionKind, EnforcementDecision, HitStatus, WatchlistHit
from kouan.watchlist.models import ListKind

DECISION_FOR = {
    ListKind.exit_ban: DecisionKind.exit_refused,
    ListKind.entry_ban: DecisionKind.entry_refused,
    ListKind.wanted: DecisionKind.held_for_police,
    ListKind.lost_or_stolen_document: DecisionKind.document_held,
}
DECISION_NAMES = {
    "exit_refused": "Exit refused / 不准出境", "entry_refused": "Entry refused / 不准入境",
    "held_for_police": "Held for police / 扣留移交公安", "document_held": "Document held / 扣留证件",
}  # fmt: skip


class AlreadyReviewed(errors.Conflict, ValueError):
    """The hit was confirmed or dismissed already (HTTP 409)."""


def hits(
    *, session: Session, ports: frozenset[str] | None, status: HitStatus | None, limit: int = 200
) -> list[WatchlistHit]:
    """Hits at ``ports`` (None: every port), newest first; only those of ``status`` when given."""
    query = select(WatchlistHit).where(in_ports(WatchlistHit.port, ports))
    query = query.where(WatchlistHit.status == status.value) if status else query
    return list(session.scalars(query.order_by(WatchlistHit.id.desc()).limit(limit)))


def hit_seen(*, session: Session, hit_id: int, ports: frozenset[str] | None) -> WatchlistHit:
    hit = session.get(WatchlistHit, hit_id)
    if hit is None or (ports is not None and hit.port not in ports):
        raise errors.NotFound(f"no hit {hit_id}")
    return hit


def confirm(*, session: Session, hit: WatchlistHit, reason: str, actor: str) -> EnforcementDecision:
    """The hit confirmed: the decision its list's kind makes, with the entry's legal basis and authority."""
    _review(hit=hit, status=HitStatus.confirmed, reason=reason, actor=actor)
    person = hit.person
    decision = EnforcementDecision(
        hit_id=hit.id, kind=DECISION_FOR[ListKind(hit.kind)].value, traveller_id=hit.traveller_id, port=hit.port,
        surname=person.get("surname") or "", given_names=person.get("given_names") or "",
        document_number=person.get("document_number"), nationality=person.get("nationality"),
        legal_basis=(hit.entry.get("legal_basis") or "")[:300] or None,
        authority=(hit.entry.get("authority") or "")[:200] or None, decided_by=actor, decided_at=utcnow(),
    )  # fmt: skip
    session.add(decision)
    session.flush()
    _audit(session=session, hit=hit, actor=actor, decision=decision.kind)
    return decision


def dismiss(*, session: Session, hit: WatchlistHit, reason: str, actor: str) -> WatchlistHit:
    _review(hit=hit, status=HitStatus.dismissed, reason=reason, actor=actor)
    _audit(session=session, hit=hit, actor=actor, decision=None)
    return hit


def _review(*, hit: WatchlistHit, status: HitStatus, reason: str, actor: str) -> None:
    if hit.status != HitStatus.open.value:
        raise AlreadyReviewed(f"hit {hit.id} is {hit.status} already")
    hit.status, hit.reason, hit.reviewed_by, hit.reviewed_at = status.value, reason, actor, utcnow()


def _audit(*, session: Session, hit: WatchlistHit, actor: str, decision: str | None) -> None:
    record(session=session, actor=actor, action=f"watchlist.hit.{hit.status}", entity="watchlist_hit",
           entity_id=hit.id, basis=hit.reason, before={"status": HitStatus.open.value},
           after={"status": hit.status, "decision": decision, "list": hit.watchlist, "entry": hit.entry_key,
                  "list_version": hit.list_version})  # fmt: skip


def decisions_for(
    *, session: Session, traveller_id: int | None, document_number: str | None, kinds: Sequence[DecisionKind] = ()
) -> list[EnforcementDecision]:
    """The decisions in a person's record: made on this traveller, or on this document (at any port)."""
    said = [EnforcementDecision.traveller_id == traveller_id] if traveller_id is not None else []
    said += [EnforcementDecision.document_number == document_number] if document_number else []
    if not said:
        return []
    query = select(EnforcementDecision).where(or_(*said))
    query = query.where(EnforcementDecision.kind.in_([k.value for k in kinds])) if kinds else query
    return list(session.scalars(query.order_by(EnforcementDecision.id)))


def decisions(*, session: Session, ports: frozenset[str] | None, limit: int = 200) -> list[EnforcementDecision]:
    query = select(EnforcementDecision).where(in_ports(EnforcementDecision.port, ports))
    return list(session.scalars(query.order_by(EnforcementDecision.id.desc()).limit(limit)))
