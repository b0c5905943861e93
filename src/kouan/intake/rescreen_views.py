"""HTTP API of retroactive re-screening: recording a designation (which rescreens the past arrivals it changes and
answers with that), re-screening a window by hand, and a traveller's two answers ("then" and "now")."""

from __future__ import annotations

from datetime import date
from functools import partial

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from kouan import errors
from kouan.api.deps import Analysing, SessionDep, Staff
from kouan.api.params import RowId
from kouan.db import utcnow
from kouan.intake.rescreen import Rescreened, after_designation, rescreen_arrivals, visible_to
from kouan.measures.designations import designate
from kouan.measures.models import DesignationCreate, DesignationRead
from kouan.screening.known_now import AnswersRead, answers_read
from kouan.travel.journey.views import journey_port, traveller_journey
from kouan.users.models import User
from kouan.users.scoping import sees

router = APIRouter(prefix="/api")


class DesignationRescreened(DesignationRead):
    rescreen: Rescreened


class RescreenIn(BaseModel):
    arrived_since: date
    arrived_until: date | None = None
    regions: list[str] = Field(default=[], max_length=300)


@router.post(
    "/measures/designations",
    response_model=DesignationRescreened,
    status_code=status.HTTP_201_CREATED,
    tags=["measures"],
)
def post_designation(
    *, request: Request, item: DesignationCreate, session: SessionDep, user: Analysing
) -> DesignationRescreened:
    """Designate a region's level from a date, with the reason and the document; a correction is a new one. Past
    arrivals it changes are screened again with what is known now: the answer carries that under ``rescreen``."""
    row = designate(session=session, item=item, actor=user.username)
    done = after_designation(session=session, designation=row, settings=request.app.state.settings)
    shown = visible_to(session=session, done=done, sees=partial(_sees, session=session, user=user))
    return DesignationRescreened(**DesignationRead.model_validate(row).model_dump(), rescreen=shown)


@router.post("/rescreen", response_model=Rescreened, tags=["measures"])
def post_rescreen(*, request: Request, body: RescreenIn, session: SessionDep, user: Analysing) -> Rescreened:
    """Screen the arrivals of a window again with what is known now; refer those whose level rose (once)."""
    until = body.arrived_until or utcnow().date()
    if body.arrived_since > until:
        raise errors.FieldInvalid("arrived_since is after arrived_until", field="arrived_since")
    regions = [r.strip().upper() for r in body.regions]
    done = rescreen_arrivals(session=session, settings=request.app.state.settings, since=body.arrived_since,
                             until=until, regions=regions, actor=f"user:{user.username}")  # fmt: skip
    return visible_to(session=session, done=done, sees=partial(_sees, session=session, user=user))


def _sees(port: str | None, *, session: Session, user: User) -> bool:
    return sees(session=session, user=user, port=port)


@router.get("/travellers/{traveller_id}/screening", response_model=AnswersRead, tags=["voyages"])
def get_answers(traveller_id: RowId, session: SessionDep, user: Staff) -> AnswersRead:
    """The traveller's answer at arrival ("then") beside the answer with what is known now ("now", once rescreened)."""
    journey = traveller_journey(session=session, traveller_id=traveller_id)
    if journey is None or not sees(session=session, user=user, port=journey_port(session=session, journey=journey)):
        raise errors.NotFound(f"no traveller {traveller_id}")
    return answers_read(session=session, traveller_id=traveller_id)
