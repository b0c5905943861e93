"""What the lists say of the person at a counter: the decisions in their record (at any port) and the hits of a
check against the lists in force now. A traveller on a manifest is checked as their voyage was, so a hit already
raised (open, confirmed or dismissed) is that same hit, not a new one; a person on no manifest is checked as the
counter check. Services never commit: the caller owns the transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from kouan.watchlist.hits.checks import Subject, Where, check
from kouan.watchlist.hits.models import DecisionKind, EnforcementDecision, HitStatus, WatchlistHit
from kouan.watchlist.hits.review import decisions_for

DECIDED_AT = {  # the decisions that stop a person crossing in a direction
    "exit": (DecisionKind.exit_refused, DecisionKind.held_for_police, DecisionKind.document_held),
    "entry": (DecisionKind.entry_refused, DecisionKind.held_for_police, DecisionKind.document_held),
}
FLAG_OF_DECISION = {
    DecisionKind.exit_refused: "exit_ban", DecisionKind.entry_refused: "entry_ban",
    DecisionKind.held_for_police: "wanted", DecisionKind.document_held: "document_held",
}  # fmt: skip


@dataclass(frozen=True)
class Finding:
    """A counter flag's kind and what it shows: the legal basis of a decision, or the list of an open hit."""

    kind: str  # exit_ban, entry_ban, wanted, document_held (decided); watchlist_hit (waiting for review)
    value: str
    stop: bool


def counter_findings(*, session: Session, subject: Subject, where: Where, on: date) -> list[Finding]:
    decided = decisions_for(session=session, traveller_id=subject.traveller_id,
                            document_number=subject.document_number, kinds=DECIDED_AT[where.direction])  # fmt: skip
    found = [_decided(d) for d in decided]
    hits = check(session=session, where=where, subjects=[subject], on=on)
    return found + [_waiting(h) for h in hits if h.status == HitStatus.open.value]


def _decided(decision: EnforcementDecision) -> Finding:
    basis = " · ".join(part for part in (decision.legal_basis, decision.authority) if part) or "—"
    return Finding(kind=FLAG_OF_DECISION[DecisionKind(decision.kind)], value=basis, stop=True)


def _waiting(hit: WatchlistHit) -> Finding:
    return Finding(kind="watchlist_hit", value=f"{hit.watchlist} ({hit.kind}) #{hit.id}", stop=True)
