"""The console's watchlists: every list with its latest version, and one list's versions with what each changed."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from kouan import errors
from kouan.api.deps import SessionDep
from kouan.db import utcnow
from kouan.users.models import ANALYSING, User
from kouan.watchlist.service import changes, lists, versions
from kouan.watchlist.views import ListName
from kouan.web.views import ConsoleUser, templates

router = APIRouter(include_in_schema=False)
KIND_LABELS = {
    "exit_ban": "Exit ban / 不准出境",
    "entry_ban": "Entry ban / 不准入境",
    "wanted": "Wanted / 通缉",
    "lost_or_stolen_document": "Lost or stolen document / 证件挂失",
}


@router.get("/console/watchlists", response_class=HTMLResponse)
def watchlists_page(request: Request, session: SessionDep, user: ConsoleUser) -> Response:
    _reader(user)
    context = {"user": user, "lists": lists(session=session, on=utcnow().date()), "kinds": KIND_LABELS}
    return templates.TemplateResponse(request, "watchlists.html", context)


@router.get("/console/watchlists/{name}", response_class=HTMLResponse)
def watchlist_page(
    *,
    request: Request,
    name: ListName,
    version: int | None = Query(None, ge=1, le=1_000_000, description="The version whose changes are shown."),
    session: SessionDep,
    user: ConsoleUser,
) -> Response:
    """The list's versions, newest first, and what the chosen one (the newest by default) added, removed and
    changed, each entry before and after."""
    _reader(user)
    listed = versions(session=session, name=name)
    shown = changes(session=session, name=name, version=version or listed[-1].version)
    context = {"user": user, "name": name, "versions": list(reversed(listed)), "changes": shown, "kinds": KIND_LABELS}
    return templates.TemplateResponse(request, "watchlist.html", context)


def _reader(user: User) -> None:
    if user.role not in ANALYSING:
        raise errors.NotPermitted("the lists are read by analysts and administrators; officers see their hits")
