"""HTTP API of intake: a carrier's PAXLST and PNRGOV, our crossings and bulk declarations, each filed through
:mod:`kouan.intake.flows` (filed, relinked, rescreened)."""

from __future__ import annotations

from fastapi import APIRouter, Body, Depends, HTTPException, Request, status
from sqlalchemy.orm import Session

from kouan.api.body import read_text_body, text_body
from kouan.api.deps import Analysing, SessionDep, Staff
from kouan.formats.paxlst import parse_paxlst
from kouan.formats.pnrgov import parse_pnrgov
from kouan.intake.flows import Authorise, file_crossings, file_declarations, file_paxlst, file_pnrgov
from kouan.screening.models import VoyageScreening
from kouan.travel.journey.models import Declaration
from kouan.travel.journey.schemas import (
    CrossingCreate,
    CrossingsFiled,
    DeclarationCreate,
    DeclarationsFiled,
    PnrIngestResult,
)
from kouan.travel.registry.schemas import IngestResult
from kouan.users.models import User
from kouan.users.scoping import may_file_for, working_port

router = APIRouter(prefix="/api")

PAXLST_BODY = text_body("A raw UN/EDIFACT PAXLST message (D:02B, D:05B or D:12B), as the carrier sent it.")
PNRGOV_BODY = text_body("A raw UN/EDIFACT PNRGOV push (10.1, 11.1 or 13.1), as the carrier sent it.")


class IngestAndScreening(IngestResult):
    screening: VoyageScreening | None  # None for a departure manifest: exits are not screened


def _may_file(*, session: Session, user: User) -> Authorise:
    """A flight of another port's is refused, and the filing rolled back with the request's transaction."""
    return lambda voyage: may_file_for(session=session, user=user, port=voyage.our_port)


@router.post(
    "/voyages/paxlst",
    tags=["voyages"],
    response_model=IngestAndScreening,
    status_code=status.HTTP_201_CREATED,
    openapi_extra=PAXLST_BODY,
)
def post_paxlst(
    *,
    request: Request,
    user: Staff,  # first: no body is read for a caller who is not signed in
    raw: str = Depends(read_text_body),
    session: SessionDep,
) -> IngestAndScreening:
    message = parse_paxlst(raw)
    settings = request.app.state.settings
    _within_travellers_limit(count=len(message.travellers), limit=settings.max_message_travellers)
    filed = file_paxlst(
        session=session, raw=raw, message=message, settings=settings, authorise=_may_file(session=session, user=user)
    )
    screening = filed.screenings[0] if filed.screenings else None
    return IngestAndScreening(**filed.result.model_dump(), screening=screening)


@router.post(
    "/pnrgov",
    tags=["journeys"],
    response_model=PnrIngestResult,
    status_code=status.HTTP_201_CREATED,
    openapi_extra=PNRGOV_BODY,
)
def post_pnrgov(
    *,
    request: Request,
    user: Staff,  # first: no body is read for a caller who is not signed in
    raw: str = Depends(read_text_body),
    session: SessionDep,
) -> PnrIngestResult:
    """A raw PNRGOV push. When the flight's manifest is already filed, its travellers are relinked and rescreened."""
    settings = request.app.state.settings
    authorise = _may_file(session=session, user=user)
    return file_pnrgov(
        session=session, raw=raw, message=parse_pnrgov(raw), settings=settings, authorise=authorise
    ).result


@router.post("/crossings", tags=["journeys"], response_model=CrossingsFiled, status_code=status.HTTP_201_CREATED)
def post_crossings(
    *,
    crossings: list[CrossingCreate] = Body(..., max_length=100_000),
    session: SessionDep,
    user: Analysing,
) -> CrossingsFiled:
    """Our own exit and entry records, in bulk, at the caller's units' ports; records already held are skipped."""
    for port in sorted({crossing.port for crossing in crossings}):
        may_file_for(session=session, user=user, port=port)
    return CrossingsFiled(added=file_crossings(session=session, crossings=crossings).result, received=len(crossings))


@router.post("/declarations", tags=["journeys"], response_model=DeclarationsFiled, status_code=status.HTTP_201_CREATED)
def post_declarations(
    *,
    request: Request,
    declarations: list[DeclarationCreate] = Body(..., max_length=100_000),
    session: SessionDep,
    user: Staff,
) -> DeclarationsFiled:
    """Health declarations in bulk from other channels, each at its flight's port, else the caller's; the voyages
    they name (at the caller's units' ports) are relinked and rescreened."""
    settings = request.app.state.settings
    port = working_port(session=session, user=user, chosen=None, default=settings.port_of_entry)
    filed = file_declarations(session=session, declarations=declarations, settings=settings, port=port,
                              authorise=_may_file(session=session, user=user))  # fmt: skip
    codes = [row.code for i in filed.result if (row := session.get(Declaration, i)) and row.code]
    return DeclarationsFiled(ids=filed.result, codes=codes, voyages_rescreened=filed.voyage_ids)


def _within_travellers_limit(*, count: int, limit: int) -> None:
    if count > limit:
        detail = f"the message lists {count} travellers; this server files at most {limit} in one message"
        raise HTTPException(status_code=status.HTTP_413_CONTENT_TOO_LARGE, detail=detail)
