"""The partner agencies' API: who they are (their referrals are in :mod:`kouan.referrals.agency_views`, their feed
in :mod:`kouan.sharing.outbox.views`). Also the registry of agencies, for administrators."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from kouan.api.deps import Admin, SessionDep, Staff
from kouan.audit.service import record
from kouan.sharing.agencies.auth import AgencyDep
from kouan.sharing.agencies.models import Agency, AgencyCreate, AgencyRead
from kouan.sharing.agencies.service import create_agency, list_agencies

router = APIRouter(prefix="/api", tags=["agencies"])


class AgencyCreated(BaseModel):
    agency: AgencyRead
    token: str
    webhook_secret: str | None


@router.get("/agency/me", response_model=AgencyRead)
def me(agency: AgencyDep) -> Agency:
    return agency


@router.get("/agencies", response_model=list[AgencyRead])
def get_agencies(session: SessionDep, user: Staff) -> list[Agency]:
    return list_agencies(session=session)


@router.post("/agencies", response_model=AgencyCreated, status_code=201)
def post_agency(item: AgencyCreate, session: SessionDep, user: Admin) -> AgencyCreated:
    """Register a partner agency; its API token and webhook secret are shown once."""
    agency, token = create_agency(session=session, item=item)
    record(session=session, actor=f"user:{user.username}", action="agency.create", entity="agency",
           entity_id=agency.id, after={"code": agency.code, "kind": agency.kind})  # fmt: skip
    return AgencyCreated(agency=AgencyRead.model_validate(agency), token=token, webhook_secret=agency.webhook_secret)
