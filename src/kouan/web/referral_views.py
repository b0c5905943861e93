"""The officers' console for the closed loop (闭环): the open referrals of the user's units (overdue first), one
referral's timeline with the moves an officer may make now, and stating the destination of an unresolved one."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan import errors
from kouan.api.deps import SessionDep
from kouan.api.params import RowId
from kouan.db import utcnow
from kouan.referrals.lifecycle import ACTORS, EVENTS, STATES, describe, label
from kouan.referrals.models import EventIn, Referral
from kouan.referrals.queries import ReferralFilter, page, steps_of
from kouan.referrals.routing import Unresolved, resolve_address
from kouan.referrals.service import Actor, events_for, is_overdue, set_destination
from kouan.referrals.views import apply_event, referral_or_404, scope_of
from kouan.sharing.agencies.models import Agency
from kouan.users.models import ACTING, User
from kouan.web.views import ConsoleUser, templates

router = APIRouter(include_in_schema=False)
MOVERS = ACTING
OFFICER_EVENTS = tuple(event for event in EVENTS if "officer" in ACTORS[event])
ADCODE = re.compile(r"^\d{2}(\d{2}){0,2}$")
SHOWS = {
    "open": "All open / 全部在办",
    "overdue": "Overdue / 超时",
    "unresolved": "Destination unresolved / 待指定目的地",
}
EVENT_LABELS = {
    "create": "Created / 生成",
    "dispatch": "Sent / 推送",
    "acknowledge": "Acknowledged / 签收",
    "hand_over": "Hand over / 移交",
    "accept": "Accepted by customs / 海关接收",
    "transfer": "Transferred / 转运",
    "start_monitoring": "Monitoring started / 落实管控",
    "complete": "Completed / 完成",
    "transfer_elsewhere": "Transferred elsewhere / 转出",
    "lose": "Lost to follow-up / 失联",
    "refuse": "Refuse entry / 拒绝入境",
    "report_test": "Test result / 检测结果",
}
PREFIXES = {
    403: "Not permitted / 无权操作",
    409: "Not allowed now / 当前状态不允许",
    422: "Check the input / 请检查输入",
}


def _where(*, show: str, state: str | None) -> ReferralFilter:
    if state in STATES:
        return ReferralFilter(state=state, limit=500)
    return ReferralFilter(open_only=True, overdue=show == "overdue", unresolved=show == "unresolved", limit=500)


def _agencies(session: Session) -> dict[int, Agency]:
    return {agency.id: agency for agency in session.scalars(select(Agency)).all()}


@router.get("/console/referrals", response_class=HTMLResponse)
def referrals_page(
    *,
    request: Request,
    show: str = Query("open", pattern="^(open|overdue|unresolved)$"),
    state: str | None = Query(None, description="One state of the loop; overrides `show`."),
    session: SessionDep,
    user: ConsoleUser,
) -> Response:
    where = _where(show=show, state=state)
    rows, total, overdue = page(session=session, query=scope_of(session=session, user=user), where=where)
    now = utcnow()
    context = {
        "user": user, "rows": rows, "total": total, "overdue": overdue, "show": show, "shows": SHOWS,
        "state": where.state, "states": describe(), "agencies": _agencies(session), "label": label,
        "late": {r.id for r in rows if is_overdue(r, now=now)},
    }  # fmt: skip
    return templates.TemplateResponse(request, "referrals.html", context)


def _moves(*, user: User, referral: Referral) -> list[str]:
    """The officer's events the loop allows now; none for a user who may not move referrals."""
    if user.role not in MOVERS:
        return []
    return [event for event in events_for(referral=referral) if event in OFFICER_EVENTS]


def _why_unresolved(referral: Referral) -> str | None:
    if referral.destination_agency_id is not None:
        return None
    where = resolve_address(referral.destination_address)
    if isinstance(where, Unresolved):
        return where.reason
    return f"no partner health authority covers division {where.adcode} ({where.name})"


def _detail(
    request: Request,
    *,
    session: Session,
    user: User,
    referral: Referral,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "user": user, "r": referral, "steps": steps_of(session=session, referral_id=referral.id),
        "label": label, "events": EVENT_LABELS, "overdue": is_overdue(referral), "agencies": _agencies(session),
        "flight": referral.flight,
        "moves": _moves(user=user, referral=referral), "can_move": user.role in MOVERS,
        "why_unresolved": _why_unresolved(referral), "errors": errors or {}, "form": form or {},
    }  # fmt: skip
    return templates.TemplateResponse(request, "referral.html", context, status_code=status_code)


@router.get("/console/referrals/{referral_id}", response_class=HTMLResponse)
def referral_page(
    request: Request,
    referral_id: RowId,
    session: SessionDep,
    user: ConsoleUser,
) -> Response:
    referral = referral_or_404(session=session, user=user, referral_id=referral_id)
    return _detail(request, session=session, user=user, referral=referral)


def _message(error: errors.Refusal) -> str:
    prefix = PREFIXES.get(error.status)
    return f"{prefix}: {error}" if prefix else str(error)


def _actor(user: User) -> Actor:
    return Actor(name=f"user:{user.username}")


def _fire(*, session: Session, user: User, referral: Referral, event: str, note: str) -> None:
    """An officer's move through the API's own helper: 403 / 409 / 422 as a refusal, nothing changed then."""
    if user.role not in MOVERS:
        raise errors.NotPermitted(f"role {user.role} may not move referrals")
    try:
        body = EventIn(event=event, note=note.strip() or None)
    except ValidationError as error:
        raise errors.Invalid(error.errors()[0]["msg"]) from error
    apply_event(session=session, referral=referral, body=body, actor=_actor(user))


@router.post("/console/referrals/{referral_id}/events", response_class=HTMLResponse)
def post_event(
    *,
    request: Request,
    referral_id: RowId,
    event: str = Form(""),
    note: str = Form(""),
    session: SessionDep,
    user: ConsoleUser,
) -> Response:
    referral = referral_or_404(session=session, user=user, referral_id=referral_id)
    try:
        _fire(session=session, user=user, referral=referral, event=event, note=note)
    except errors.Refusal as error:
        return _detail(request, session=session, user=user, referral=referral, errors={"event": _message(error)},
                       form={"note": note}, status_code=error.status)  # fmt: skip
    return RedirectResponse(f"/console/referrals/{referral_id}", status_code=303)


def _route(*, session: Session, user: User, referral: Referral, text: str) -> None:
    """States the destination (a Chinese address or an adcode); 422 while it still cannot be routed."""
    if user.role not in MOVERS:
        raise errors.NotPermitted(f"role {user.role} may not route referrals")
    if not text or len(text) > 300:
        raise errors.Invalid("give an address (up to 300 characters) or an adcode")
    is_code = ADCODE.match(text) is not None
    set_destination(session=session, referral=referral, actor=_actor(user),
                    address=None if is_code else text, division=text if is_code else None)  # fmt: skip
    if referral.destination_agency_id is None:
        raise errors.Invalid(f"still unresolved / 仍无法确定: {_why_unresolved(referral)}")


@router.post("/console/referrals/{referral_id}/destination", response_class=HTMLResponse)
def post_destination(
    *,
    request: Request,
    referral_id: RowId,
    address: str = Form(""),
    session: SessionDep,
    user: ConsoleUser,
) -> Response:
    referral = referral_or_404(session=session, user=user, referral_id=referral_id)
    try:
        _route(session=session, user=user, referral=referral, text=address.strip())
    except errors.Refusal as error:
        return _detail(request, session=session, user=user, referral=referral,
                       errors={"destination": _message(error)}, form={"address": address},
                       status_code=error.status)  # fmt: skip
    return RedirectResponse(f"/console/referrals/{referral_id}", status_code=303)
