"""The counter in the console (现场查验): scan a passport, a boarding pass or an e-declaration code; see who it is,
what screening and the declaration say and what is flagged; enter the temperature; decide with a reason."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from kouan import errors
from kouan.api.body import posted_form
from kouan.api.deps import SessionDep
from kouan.api.params import RowId
from kouan.counter.identify import Unreadable
from kouan.counter.schemas import DecisionIn, ScanIn, TemperatureIn
from kouan.counter.service import AlreadyDecided, NotAtExit, decide, record_temperature, scan_in, view
from kouan.counter.views import check_or_404
from kouan.travel.registry.ports import ports_to_choose
from kouan.users.models import ACTING, User
from kouan.users.scoping import may_file_for, working_port
from kouan.web.views import ConsoleUser, templates

router = APIRouter(include_in_schema=False)
KINDS = {"mrz": "Passport MRZ / 护照机读区", "bcbp": "Boarding pass / 登机牌", "code": "E-declaration code / 申明码"}
DECISIONS = {"release": "Release / 放行", "refer": "Refer to customs / 移交海关", "refuse": "Refuse entry / 拒绝入境",
             "divert": "Divert / 转指定口岸"}  # fmt: skip
EXIT_DECISIONS = {"release": "Cleared to leave / 准予出境", "refuse": "Refuse exit / 不准出境"}
DIRECTIONS = {"entry": "Entry / 入境", "exit": "Exit / 出境"}
SYMPTOMS = ("fever", "fatigue", "dry_cough", "sputum", "headache", "sore_throat", "shortness_of_breath", "dyspnoea",
            "chest_tightness", "conjunctival_congestion", "diarrhoea")  # fmt: skip


def _officer(user: User) -> User:
    if user.role not in ACTING:
        raise errors.NotPermitted("only officers work the counter")
    return user


def _page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    base = {"kinds": KINDS, "decisions": DECISIONS, "symptoms": SYMPTOMS, "directions": DIRECTIONS}
    return templates.TemplateResponse(request, name, base | context, status_code=status_code)


@router.get("/console/counter", response_class=HTMLResponse)
def counter_page(request: Request, session: SessionDep, user: ConsoleUser) -> Response:
    here = working_port(
        session=session, user=_officer(user), chosen=None, default=request.app.state.settings.port_of_entry
    )
    context = {
        "user": user,
        "form": {"port": here},
        "error": None,
        "ports": _ports(request, session=session, user=user),
    }
    return _page(request, "counter.html", context)


def _ports(request: Request, *, session: Session, user: User) -> list[str]:
    return ports_to_choose(session=session, user=user, default=request.app.state.settings.port_of_entry)


@router.post("/console/counter", response_class=HTMLResponse)
def counter_scan(
    *,
    request: Request,
    kind: str = Form(""),
    data: str = Form(""),
    reference: str = Form(""),
    port: str = Form(""),
    direction: str = Form("entry"),
    session: SessionDep,
    user: ConsoleUser,
) -> Response:
    form = {"kind": kind, "data": data, "reference": reference, "port": port, "direction": direction}
    try:
        scan = ScanIn.model_validate({"kind": kind, "data": data, "reference": reference or None, "port": port or None,
                                      "direction": direction})  # fmt: skip
        default = request.app.state.settings.port_of_entry
        port = working_port(session=session, user=_officer(user), chosen=scan.port, default=default)
        may_file_for(session=session, user=_officer(user), port=port)
        check = scan_in(session=session, scan=scan, port=port, officer=f"user:{user.username}")
    except (ValidationError, Unreadable) as error:
        context = {"user": user, "form": form, "error": _first_error(error), "ports": _ports(request, session=session,
                                                                                             user=user)}  # fmt: skip
        return _page(request, "counter.html", context, status_code=422)
    return RedirectResponse(f"/console/counter/{check.id}", status_code=303)


def _first_error(error: ValidationError | Unreadable) -> str:
    if isinstance(error, Unreadable):
        return str(error)
    first = error.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"


def _check_page(request: Request, *, session: Session, user: User, check_id: int, error: str | None = None,
                status_code: int = 200) -> Response:  # fmt: skip
    check = check_or_404(session=session, user=user, check_id=check_id)
    context = {"user": user, "v": view(session=session, check=check), "error": error}
    if check.direction == "exit":
        context["decisions"] = EXIT_DECISIONS
    return _page(request, "counter_check.html", context, status_code=status_code)


@router.get("/console/counter/{check_id}", response_class=HTMLResponse)
def check_page(request: Request, check_id: RowId, session: SessionDep, user: ConsoleUser) -> Response:
    return _check_page(request, session=session, user=_officer(user), check_id=check_id)


@router.post("/console/counter/{check_id}/temperature", response_class=HTMLResponse)
def check_temperature(
    *,
    request: Request,
    check_id: RowId,
    user: ConsoleUser,
    form: FormData = Depends(posted_form),
    session: SessionDep,
) -> Response:
    raw = str(form.get("temperature") or "").strip()
    try:
        body = TemperatureIn(
            temperature=float(raw) if raw else None, symptoms=[str(s) for s in form.getlist("symptom")]
        )
        check = check_or_404(session=session, user=_officer(user), check_id=check_id)
        record_temperature(session=session, check=check, body=body)
    except (ValueError, AlreadyDecided) as error:
        message = f"temperature: {error}" if not isinstance(error, AlreadyDecided) else str(error)
        return _check_page(request, session=session, user=user, check_id=check_id, error=message, status_code=422)
    return RedirectResponse(f"/console/counter/{check_id}", status_code=303)


@router.post("/console/counter/{check_id}/decision", response_class=HTMLResponse)
def check_decision(
    *,
    request: Request,
    check_id: RowId,
    decision: str = Form(""),
    reason: str = Form(""),
    session: SessionDep,
    user: ConsoleUser,
) -> Response:
    try:
        body = DecisionIn.model_validate({"decision": decision, "reason": reason})
        check = check_or_404(session=session, user=_officer(user), check_id=check_id)
        decide(session=session, check=check, body=body, actor=f"user:{user.username}")
    except (ValidationError, AlreadyDecided, NotAtExit) as error:
        message = _first_error(error) if isinstance(error, ValidationError) else str(error)
        return _check_page(request, session=session, user=user, check_id=check_id, error=message, status_code=422)
    return RedirectResponse(f"/console/counter/{check_id}", status_code=303)
