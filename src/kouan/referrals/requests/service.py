"""Lawful information requests (依法提供必要的协助): an agency asks about a person under a legal basis, an analyst
decides, and an approved answer, minimised to what the agency's kind may see, can be read by that agency for a
limited time. Every step is audited under the request's legal basis. Services never commit."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan import errors
from kouan.audit.service import record
from kouan.db import utcnow
from kouan.referrals.models import Referral
from kouan.referrals.requests.models import InfoRequest, RequestStatus
from kouan.referrals.service import referral_dict
from kouan.settings import get_settings
from kouan.sharing.agencies.models import Agency
from kouan.sharing.agencies.scope import SUBJECT_FIELDS, scoped_referral
from kouan.travel.registry.models import Stay, Traveller


class RequestNotFound(errors.NotFound):
    """No such request, or not one of the asking agency's (HTTP 404)."""


class AlreadyDecided(errors.Conflict):
    """The request was approved or refused before (HTTP 409)."""


class AnswerExpired(errors.Gone):
    """The answer's reading period is over (HTTP 410)."""


def create_request(
    *, session: Session, agency: Agency, subject: dict[str, Any], legal_basis: str, purpose: str
) -> InfoRequest:
    if not (legal_basis or "").strip() or not (purpose or "").strip():
        raise ValueError("a lawful request needs a legal basis and a purpose")
    if not str(subject.get("document_number") or "").strip():
        raise ValueError("a lawful request names the document number it asks about")
    request = InfoRequest(
        agency_id=agency.id, subject=subject, legal_basis=legal_basis.strip(), purpose=purpose.strip()
    )
    session.add(request)
    session.flush()
    _audit(session=session, request=request, actor=f"agency:{agency.code}", action="request.create")
    return request


def decide(
    *,
    session: Session,
    request: InfoRequest,
    actor: str,
    approve: bool,
    note: str | None,
    now: datetime | None = None,
    answer_hours: int | None = None,
) -> InfoRequest:
    """Approve (the answer is computed and scoped now, readable for ``answer_hours``) or refuse, once."""
    if request.status != RequestStatus.requested.value:
        raise AlreadyDecided(f"request {request.id} was already {request.status}")
    now = now or utcnow()
    request.decided_by, request.decided_at, request.decision_note = actor, now, note
    request.status = (RequestStatus.approved if approve else RequestStatus.refused).value
    if approve:
        agency = session.get(Agency, request.agency_id)
        assert agency is not None
        request.answer = answer_for(session=session, subject=request.subject, kind=agency.kind)
        hours = get_settings().request_answer_hours if answer_hours is None else answer_hours
        request.expires_at = now + timedelta(hours=hours)
    session.flush()
    _audit(session=session, request=request, actor=actor, action=f"request.{request.status}")
    return request


def read_answer(
    *, session: Session, request: InfoRequest, agency: Agency, now: datetime | None = None
) -> dict[str, Any]:
    """The approved answer, for the asking agency only, while it may be read; the read is audited."""
    if request.agency_id != agency.id:
        raise RequestNotFound(f"no request {request.id}")
    if request.status != RequestStatus.approved.value or request.answer is None:
        raise RequestNotFound(f"request {request.id} has no answer (it is {request.status})")
    if request.expires_at is None or (now or utcnow()) >= request.expires_at:
        raise AnswerExpired(f"the answer to request {request.id} expired at {request.expires_at}")
    _audit(session=session, request=request, actor=f"agency:{agency.code}", action="request.read")
    return request.answer


def answer_for(*, session: Session, subject: dict[str, Any], kind: str) -> dict[str, Any]:
    """The referrals about the person, scoped to ``kind``; their stays too when ``kind`` may see stays."""
    referrals = [
        scoped_referral(referral_dict(r), kind=kind) for r in matching_referrals(session=session, subject=subject)
    ]
    answer: dict[str, Any] = {"referrals": referrals}
    if "stays" in SUBJECT_FIELDS.get(kind, frozenset()):
        answer["stays"] = matching_stays(session=session, subject=subject)
    return answer


def matching_referrals(*, session: Session, subject: dict[str, Any]) -> list[Referral]:
    query = select(Referral).where(Referral.subject["document_number"].as_string() == subject["document_number"])
    if subject.get("nationality"):
        query = query.where(Referral.subject["nationality"].as_string() == subject["nationality"])
    return list(session.scalars(query.order_by(Referral.arrival_date, Referral.id)).all())


def matching_stays(*, session: Session, subject: dict[str, Any]) -> list[dict[str, Any]]:
    """Each place and date once, however many manifest versions repeat it."""
    query = select(Stay).join(Traveller).where(Traveller.document_number == subject["document_number"])
    if subject.get("nationality"):
        query = query.where(Traveller.nationality == subject["nationality"])
    stays = {_stay(stay): None for stay in session.scalars(query.order_by(Stay.stay_date, Stay.id))}
    return [dict(zip(("region", "place", "date", "source"), key, strict=True)) for key in stays]


def _stay(stay: Stay) -> tuple[str, str | None, str, str]:
    return (stay.region_code, stay.place, stay.stay_date.isoformat(), stay.source)


def get_request(*, session: Session, request_id: int, agency: Agency | None = None) -> InfoRequest:
    """The request; with ``agency``, only when that agency asked it (another's is as good as missing)."""
    request = session.get(InfoRequest, request_id)
    if request is None or (agency is not None and request.agency_id != agency.id):
        raise RequestNotFound(f"no request {request_id}")
    return request


def list_requests(*, session: Session, agency: Agency | None = None, status: str | None = None) -> list[InfoRequest]:
    query = select(InfoRequest).order_by(InfoRequest.id.desc())
    if agency is not None:
        query = query.where(InfoRequest.agency_id == agency.id)
    if status is not None:
        query = query.where(InfoRequest.status == status)
    return list(session.scalars(query).all())


def _audit(*, session: Session, request: InfoRequest, actor: str, action: str) -> None:
    after: dict[str, Any] = {"agency_id": request.agency_id, "status": request.status}
    if request.answer is not None:
        after |= {"referrals": len(request.answer["referrals"]), "stays": len(request.answer.get("stays", []))}
    record(
        session=session,
        actor=actor,
        action=action,
        entity="info_request",
        entity_id=request.id,
        basis=request.legal_basis,
        after=after,
    )
