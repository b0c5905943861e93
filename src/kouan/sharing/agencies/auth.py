"""Authentication of partner agencies: each calls the API with its own bearer token (``agt_…``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials

from kouan.api.deps import SessionDep, bearer, unauthorised
from kouan.sharing.agencies.models import Agency
from kouan.sharing.agencies.service import agency_for_token


def current_agency(
    *,
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
    session: SessionDep,
) -> Agency:
    agency = agency_for_token(session=session, token=credentials.credentials) if credentials else None
    if agency is None:
        raise unauthorised("an agency bearer token is required")
    return agency


AgencyDep = Annotated[Agency, Depends(current_agency)]
