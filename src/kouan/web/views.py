"""The officer console: tonight's arriving voyages and, for each, the flagged travellers with their reasons."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from kouan import errors
from kouan.api.deps import COOKIE, SessionDep, current_user
from kouan.api.params import RowId
from kouan.contacts.views import voyage_or_404
from kouan.measures.classifiers import LEVEL_RANK
from kouan.screening.known_now import answers_read
from kouan.screening.read import voyage_read
from kouan.screening.views import stored_screening
from kouan.travel.journey.views import journey_port, traveller_journey
from kouan.travel.registry.ports import ports_to_choose
from kouan.travel.registry.queries import get_voyage, latest_arrival_night, list_voyages, port_zone
from kouan.users.models import User
from kouan.users.scoping import chosen_ports, sees, working_port
from kouan.users.service import user_for_token
from kouan.watchlist.hits.review import DECISION_NAMES, decisions_for

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


@router.get("/", response_class=RedirectResponse)
def root() -> RedirectResponse:
    return RedirectResponse("/console", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    return templates.TemplateResponse(request, "login.html", {"error": None})


@router.post("/login", response_class=HTMLResponse)
def login(*, request: Request, token: str = Form(""), session: SessionDep) -> Response:
    if not token.strip() or user_for_token(session=session, token=token.strip()) is None:
        context = {"error": "This token is not valid. / 令牌无效。"}
        return templates.TemplateResponse(request, "login.html", context, status_code=401)
    response = RedirectResponse("/console", status_code=303)
    response.set_cookie(COOKIE, token.strip(), httponly=True, samesite="strict")
    return response


@router.get("/logout")
def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


def console_user(request: Request) -> User:
    try:
        return current_user(request, request.cookies.get(COOKIE, ""))
    except HTTPException as error:
        raise HTTPException(status_code=303, headers={"Location": "/login"}) from error


ConsoleUser = Annotated[User, Depends(console_user)]  # a signed-out browser is sent to /login


@router.get("/console", response_class=HTMLResponse)
def console(
    *,
    request: Request,
    night: date | None = Query(None),
    port: str = Query("", max_length=5, description="One of the user's ports; empty: all of them."),
    session: SessionDep,
    user: ConsoleUser,
) -> Response:
    default = request.app.state.settings.port_of_entry
    here, ports = (
        working_port(session=session, user=user, chosen=port, default=default),
        chosen_ports(session=session, user=user, chosen=port),
    )
    night = night or latest_arrival_night(session=session, port=here, ports=ports)
    voyages, total = list_voyages(session=session, night=night, port=here, ports=ports, limit=500) if night else ([], 0)
    items = [voyage_read(session=session, voyage=v) for v in voyages]
    choices = ports_to_choose(session=session, user=user, default=default)
    context = {"user": user, "night": night, "voyages": items, "total": total, "port": port.upper(),
               "ports": choices, "zone": port_zone(here)}  # fmt: skip
    return templates.TemplateResponse(request, "console.html", context)


@router.get("/console/voyages/{voyage_id}", response_class=HTMLResponse)
def voyage_fragment(
    *,
    request: Request,
    voyage_id: RowId,
    all: bool = Query(False, description="Show every traveller, not only the flagged ones."),
    session: SessionDep,
    user: ConsoleUser,
) -> Response:
    voyage = voyage_or_404(session=session, user=user, voyage_id=voyage_id)
    screening = stored_screening(session=session, voyage=voyage)
    shown = [r for r in screening.results if all or LEVEL_RANK.get(r.level, 0) >= LEVEL_RANK["medium"]]
    shown.sort(key=lambda r: (-LEVEL_RANK.get(r.level, 0), r.surname))
    context = {"voyage": voyage, "screening": screening, "shown": shown, "all": all}
    return templates.TemplateResponse(request, "_voyage.html", context)


@router.get("/console/travellers/{traveller_id}", response_class=HTMLResponse)
def traveller_page(
    request: Request,
    traveller_id: RowId,
    session: SessionDep,
    user: ConsoleUser,
) -> Response:
    journey = traveller_journey(session=session, traveller_id=traveller_id)
    if journey is None or not sees(session=session, user=user, port=journey_port(session=session, journey=journey)):
        raise errors.NotFound(f"no traveller {traveller_id}")
    voyage = get_voyage(session=session, voyage_id=journey.voyage_id)
    assert voyage is not None
    screening = stored_screening(session=session, voyage=voyage)
    result = next((r for r in screening.results if r.traveller_id == traveller_id), None)
    answers = answers_read(session=session, traveller_id=traveller_id)
    decided = decisions_for(session=session, traveller_id=traveller_id, document_number=journey.document_number)
    context = {"user": user, "journey": journey, "result": result, "screening": screening, "answers": answers,
               "decisions": decided, "decision_names": DECISION_NAMES}  # fmt: skip
    return templates.TemplateResponse(request, "traveller.html", context)
