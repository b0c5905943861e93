"""Registering partner agencies and resolving an agency's bearer token. Services never commit."""

from __future__ import annotations

import base64
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan import errors
from kouan.audit.service import record
from kouan.sharing.agencies.models import Agency, AgencyCreate
from kouan.sharing.agencies.refs import AgencyRef


class AgencyExists(errors.Conflict, ValueError):
    pass


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def create_agency(*, session: Session, item: AgencyCreate, token_bytes: int = 32) -> tuple[Agency, str]:
    """The agency and its API token (only the digest is stored: show the token once)."""
    if session.scalar(select(Agency).where(Agency.code == item.code)) is not None:
        raise AgencyExists(f"agency {item.code!r} already exists")
    token = "agt_" + secrets.token_urlsafe(token_bytes)
    agency = Agency(
        **item.model_dump(mode="json"),
        token_sha256=_digest(token),
        webhook_secret=new_webhook_secret(),  # signs its webhooks and its Kafka messages alike
    )
    session.add(agency)
    session.flush()
    return agency, token


def issue_agency_token(*, session: Session, agency: Agency, token_bytes: int = 32) -> str:
    """A new token for the agency; the old one stops working."""
    token = "agt_" + secrets.token_urlsafe(token_bytes)
    agency.token_sha256 = _digest(token)
    session.flush()
    return token


def agency_for_token(*, session: Session, token: str) -> Agency | None:
    return session.scalar(select(Agency).where(Agency.token_sha256 == _digest(token), Agency.active.is_(True)))


def agency_by_code(*, session: Session, code: str) -> Agency | None:
    return session.scalar(select(Agency).where(Agency.code == code))


def list_agencies(*, session: Session) -> list[Agency]:
    return list(session.scalars(select(Agency).order_by(Agency.code)).all())


def routing_refs(*, session: Session) -> list[AgencyRef]:
    agencies = session.scalars(select(Agency).where(Agency.active.is_(True))).all()
    return [AgencyRef(id=a.id, kind=a.kind, port=a.port, division=a.division) for a in agencies]


def audit_agency_read(*, session: Session, agency: Agency, what: str, ids: list[int]) -> None:
    """An agency read these referrals (``what``: list, one, feed): one audit event, none when it read nothing."""
    if ids:
        record(session=session, actor=f"agency:{agency.code}", action=f"agency.read.{what}", entity="referral",
               entity_id=",".join(map(str, ids))[:64], after={"referrals": ids})  # fmt: skip
