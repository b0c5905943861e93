"""The analysts' console page for measures: the key-region designations, a form to add one, and the audit."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from kouan.api.deps import SessionDep
from kouan.audit.service import events_for, verify_chain
from kouan.db import utcnow
from kouan.intake.rescreen import Rescreened, after_designation, last_rescreen, visible_to
from kouan.measures.classifiers import classifier_by_name
from kouan.measures.designations import UnknownRegion, designate, designations, zones
from kouan.measures.key_regions import key_regions
from kouan.measures.models import DesignationCreate, KeyRegionList
from kouan.users.models import Role, User
from kouan.users.scoping import sees
from kouan.web.views import ConsoleUser, templates

router = APIRouter(include_in_schema=False)
WRITERS = {Role.analyst.value, Role.admin.value}


def _key_regions(request: Request, *, session: Session, on: date | None, known_on: date | None) -> KeyRegionList:
    classifier = classifier_by_name(request.app.state.settings.classifier)
    return key_regions(session=session, on=on or utcnow().date(), known_on=known_on, classifier=classifier)


def _page(
    request: Request,
    *,
    session: Session,
    user: User,
    form: dict[str, str],
    errors: dict[str, str],
    listed: KeyRegionList | None = None,
) -> Response:
    context = {
        "user": user,
        "listed": listed or _key_regions(request, session=session, on=None, known_on=None),
        "designations": designations(session=session),
        "zones": zones(session=session),
        "audit": events_for(session=session, entity="region_designation", limit=50),
        "chain_intact": verify_chain(session=session) is None,
        "can_write": user.role in WRITERS,
        "form": form,
        "errors": errors,
        "last_rescreen": _last_rescreen(session=session, user=user),
    }
    return templates.TemplateResponse(request, "measures.html", context, status_code=422 if errors else 200)


def _last_rescreen(*, session: Session, user: User) -> Rescreened | None:
    """What the last re-screening raised, among the travellers of the ports this user sees."""
    done = last_rescreen(session=session)
    if done is None:
        return None
    return visible_to(session=session, done=done, sees=lambda port: sees(session=session, user=user, port=port))


@router.get("/console/measures", response_class=HTMLResponse)
def measures_page(
    *,
    request: Request,
    on: date | None = Query(None),
    known_on: date | None = Query(None),
    session: SessionDep,
    user: ConsoleUser,
) -> Response:
    listed = _key_regions(request, session=session, on=on, known_on=known_on)
    return _page(request, session=session, user=user, form={}, errors={}, listed=listed)


@router.post("/console/measures/designations", response_class=HTMLResponse)
def add_designation(
    *,
    request: Request,
    region_code: str = Form(""),
    level: str = Form(""),
    valid_from: str = Form(""),
    valid_to: str = Form(""),
    reason: str = Form(""),
    reference: str = Form(""),
    session: SessionDep,
    user: ConsoleUser,
) -> Response:
    form = {
        "region_code": region_code,
        "level": level,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "reason": reason,
        "reference": reference,
    }
    if user.role not in WRITERS:
        return _page(request, session=session, user=user, form=form, errors={"form": "Analysts only / 仅限研判人员"})
    try:
        item = DesignationCreate.model_validate(
            {
                **form,
                "region_code": region_code.strip().upper(),
                "valid_to": valid_to or None,
                "reference": reference or None,
            }
        )
        row = designate(session=session, item=item, actor=user.username)
    except ValidationError as error:
        errors = {str(e["loc"][0]): e["msg"] for e in error.errors()}
        return _page(request, session=session, user=user, form=form, errors=errors)
    except UnknownRegion as error:
        return _page(request, session=session, user=user, form=form, errors={"region_code": str(error)})
    after_designation(session=session, designation=row, settings=request.app.state.settings)  # shown by the page
    return RedirectResponse("/console/measures", status_code=303)
