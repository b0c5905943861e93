"""The console's violations register: the counts per unit and type, the cases of the officer's ports, and the form an
officer records a case from (people one per line: SURNAME, given names, nationality, birth date, document)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from kouan import errors
from kouan.api.body import posted_form
from kouan.api.deps import SessionDep
from kouan.travel.registry.queries import port_zone
from kouan.users.models import ACTING, User
from kouan.users.scoping import may_file_for, working_port
from kouan.users.units import visible_ports
from kouan.violations.models import ViolationCreate
from kouan.violations.service import counts, record_violation, violations
from kouan.web.views import ConsoleUser, templates

router = APIRouter(include_in_schema=False)
TYPES = {
    "illegal_crossing": "Illegal crossing / 偷渡", "forged_document": "Forged or altered document / 伪造变造证件",
    "overstay": "Overstay / 非法居留", "smuggling_goods": "Smuggling of goods / 走私货物",
    "smuggling_drugs": "Smuggling of drugs / 毒品", "epidemic_breach": "Breach of epidemic rules / 违反防疫规定",
}  # fmt: skip
DISPOSITIONS = {
    "warning": "Warning / 警告", "fine": "Fine / 罚款", "detention": "Detention / 拘留",
    "refusal": "Refused entry / 不准入境", "handed_to_police": "Handed to police / 移交公安",
}  # fmt: skip
PERSON_FIELDS = ("surname", "given_names", "nationality", "birth_date", "document_number")


@router.get("/console/violations", response_class=HTMLResponse)
def violations_page(request: Request, session: SessionDep, user: ConsoleUser) -> Response:
    return _page(request, session=session, user=user, form={}, error=None)


@router.post("/console/violations", response_class=HTMLResponse)
def record_case(
    request: Request, session: SessionDep, user: ConsoleUser, form: FormData = Depends(posted_form)
) -> Response:
    fields = {key: str(form.get(key) or "") for key in ("type", "port", "occurred_at", "people", "goods_kind",
                                                         "goods_quantity", "goods_unit", "disposition",
                                                         "disposition_detail", "summary")}  # fmt: skip
    try:
        if user.role not in ACTING:
            raise errors.NotPermitted(f"role {user.role} may not record a case")
        item = _case(fields)
        may_file_for(session=session, user=user, port=item.port)
        record_violation(session=session, item=item, user=user)
    except (ValidationError, ValueError, errors.Refusal) as error:
        status = error.status if isinstance(error, errors.Refusal) else 422  # another port or role: 403, said why
        return _page(request, session=session, user=user, form=fields, error=_message(error), status_code=status)
    return RedirectResponse("/console/violations", status_code=303)


def _case(fields: dict[str, str]) -> ViolationCreate:
    port = fields["port"].strip().upper()
    occurred = datetime.fromisoformat(fields["occurred_at"]) if fields["occurred_at"] else None
    goods = None
    if fields["goods_kind"] or fields["goods_quantity"]:
        goods = {
            "kind": fields["goods_kind"],
            "quantity": fields["goods_quantity"] or "0",
            "unit": fields["goods_unit"],
        }
    return ViolationCreate.model_validate({
        "type": fields["type"], "port": port, "people": _people(fields["people"]), "goods": goods,
        "occurred_at": occurred.replace(tzinfo=ZoneInfo(port_zone(port).key)) if occurred else None,
        "disposition": fields["disposition"], "disposition_detail": fields["disposition_detail"] or None,
        "summary": fields["summary"],
    })  # fmt: skip


def _people(text: str) -> list[dict[str, Any]]:
    people = []
    for line in (line for line in text.splitlines() if line.strip()):
        parts = [p.strip() for p in line.split(",")] + [""] * len(PERSON_FIELDS)
        people.append({k: v for k, v in zip(PERSON_FIELDS, parts, strict=False) if v} | {"surname": parts[0].upper()})
    return people


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}" if where else str(first["msg"])
    return str(error)


def _page(request: Request, *, session: Session, user: User, form: dict[str, str], error: str | None,
          status_code: int = 200) -> Response:  # fmt: skip
    ports = visible_ports(session=session, user=user)
    default = working_port(session=session, user=user, chosen=None, default=request.app.state.settings.port_of_entry)
    context = {"user": user, "counts": counts(session=session, ports=ports), "types": TYPES,
               "cases": violations(session=session, ports=ports, limit=100), "dispositions": DISPOSITIONS,
               "form": {"port": default} | form, "error": error, "can_record": user.role in ACTING}  # fmt: skip
    return templates.TemplateResponse(request, "violations.html", context, status_code=status_code)
