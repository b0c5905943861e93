"""The console's review queue: the open hits of the officer's ports, each explained (which alias of which list
entry, how each feature scored, the list version, the legal basis), confirmed or dismissed with a reason; and the
decisions confirmed hits made."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from kouan import errors
from kouan.api.body import posted_form
from kouan.api.deps import SessionDep
from kouan.api.params import RowId
from kouan.users.models import ACTING, User
from kouan.users.units import visible_ports
from kouan.watchlist.hits.models import HitStatus
from kouan.watchlist.hits.review import DECISION_NAMES, confirm, decisions, dismiss, hit_seen, hits
from kouan.web.views import ConsoleUser, templates

router = APIRouter(include_in_schema=False)
KINDS = {
    "exit_ban": "Exit ban / 不准出境", "entry_ban": "Entry ban / 不准入境", "wanted": "Wanted / 在逃",
    "lost_or_stolen_document": "Lost or stolen document / 证件挂失被盗",
}  # fmt: skip
REVIEWS = {"confirm": confirm, "dismiss": dismiss}


@router.get("/console/hits", response_class=HTMLResponse)
def hits_page(request: Request, session: SessionDep, user: ConsoleUser) -> Response:
    return _page(request, session=session, user=user, error=None)


@router.post("/console/hits/{hit_id}/{review}", response_class=HTMLResponse)
def review_hit(
    request: Request, hit_id: RowId, review: str, session: SessionDep, user: ConsoleUser,
    form: FormData = Depends(posted_form),
) -> Response:  # fmt: skip
    reason = str(form.get("reason") or "").strip()
    try:
        hit = hit_seen(session=session, hit_id=hit_id, ports=visible_ports(session=session, user=user))
        _may_review(user=user, review=review, reason=reason)
        REVIEWS[review](session=session, hit=hit, reason=reason[:2000], actor=f"user:{user.username}")
    except errors.Refusal as error:
        if isinstance(error, errors.NotFound):
            raise
        return _page(request, session=session, user=user, error=f"hit {hit_id}: {error}", status_code=error.status)
    return RedirectResponse("/console/hits", status_code=303)


def _may_review(*, user: User, review: str, reason: str) -> None:
    """Checked before anything is written: the role, the review's name and a reason."""
    if user.role not in ACTING:
        raise errors.NotPermitted(f"role {user.role} may not review a hit")
    if review not in REVIEWS:
        raise errors.NotFound(f"no review {review!r}")
    if not reason:
        raise errors.FieldInvalid("a reason is required / 须填写理由", field="reason")


def _page(request: Request, *, session: Session, user: User, error: str | None, status_code: int = 200) -> Response:
    ports = visible_ports(session=session, user=user)
    context = {"user": user, "hits": hits(session=session, ports=ports, status=HitStatus.open, limit=200),
               "decisions": decisions(session=session, ports=ports, limit=50), "kinds": KINDS,
               "decision_names": DECISION_NAMES, "error": error, "can_review": user.role in ACTING}  # fmt: skip
    return templates.TemplateResponse(request, "hits.html", context, status_code=status_code)
