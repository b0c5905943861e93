"""The officers' console for seaports: the vessels' calls at a port with their early warnings (ETA in the port's
local time, the highest level first within a day), and one call's screening with its crew; and the form an officer
files a call from (the MDH and the crew list as the ship's agent sent them, the ETA in the port's local time)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from kouan import errors
from kouan.api.deps import SessionDep
from kouan.api.params import RowId
from kouan.formats.fal import FalList
from kouan.formats.mdh import MaritimeDeclaration, parse_mdh
from kouan.formats.records import FormatError
from kouan.measures.classifiers import LEVEL_RANK
from kouan.reference.ports import seaport_zone
from kouan.users.models import ACTING, READING, User
from kouan.users.scoping import may_file_for, sees
from kouan.users.units import visible_ports
from kouan.vessels.models import VesselCall
from kouan.vessels.service import UnusableCall, calls, crew_list, file_call, port_of
from kouan.web.views import ConsoleUser, templates

router = APIRouter(include_in_schema=False)
READERS, FILERS = READING, ACTING
MAX_BYTES = 2 * 1024 * 1024  # an uploaded file's limit
LOCODE = re.compile(r"^[A-Za-z]{2}[A-Za-z2-9]{3}$")
CHECK = {"mdh": "Check the declaration / 请检查健康申报", "crew": "Check the crew list / 请检查船员名单",
         "eta": "Check the ETA / 请检查预抵时间", "port": "Check the port / 请检查港口"}  # fmt: skip
DEFAULT_PORT = "CNMAA"
FLAGGED = ("medium", "high")
LEVEL_WORDS = {"high": "high / 高", "medium": "medium / 中", "low": "low / 低", "unknown": "unknown / 未知"}


@dataclass(frozen=True)
class CallRow:
    call: VesselCall
    eta: datetime | None  # in the port's local time
    day: date  # the local day of arrival
    crew: int
    flagged: int  # crew at medium or high


def local_time(moment: datetime | None, *, zone: ZoneInfo) -> str:
    """A stored UTC moment as the port's clock shows it, with the zone's abbreviation (CST)."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z") if moment else "—"


def _row(call: VesselCall, *, zone: ZoneInfo) -> CallRow:
    eta = call.eta.astimezone(zone) if call.eta else None
    flagged = sum(1 for s in call.seafarers if s.level in FLAGGED)
    return CallRow(call=call, eta=eta, day=eta.date() if eta else call.arrival_date, crew=len(call.seafarers),
                   flagged=flagged)  # fmt: skip


def _order(row: CallRow) -> tuple[date, int, datetime, int]:
    """By local day, the highest level first within a day, then by ETA."""
    eta = row.eta or datetime.max.replace(tzinfo=ZoneInfo("UTC"))
    return (row.day, -LEVEL_RANK.get(row.call.level, 0), eta, row.call.id)


def rows_by_day(
    *, session: Session, port: str, since: date | None, ports: frozenset[str] | None = None
) -> list[tuple[date, list[CallRow]]]:
    zone = seaport_zone(port)
    found = calls(session=session, port=port, ports=ports, since=since)
    rows = sorted((_row(c, zone=zone) for c in found), key=_order)
    days: dict[date, list[CallRow]] = {}
    for row in rows:
        days.setdefault(row.day, []).append(row)
    return list(days.items())


def _reader(user: User) -> User:
    if user.role not in READERS:
        raise errors.NotPermitted(f"role {user.role} may not see vessel calls")
    return user


def _page(request: Request, *, name: str, port: str, context: dict[str, Any], status_code: int = 200) -> Response:
    zone = seaport_zone(port)
    shared = {"words": LEVEL_WORDS, "zone": zone.key, "local": partial(local_time, zone=zone), "flagged": FLAGGED}
    return templates.TemplateResponse(request, name, {**shared, **context}, status_code=status_code)


def _list_page(request: Request, *, session: Session, user: User, port: str, since: date | None,
               errors: dict[str, str] | None = None, form: dict[str, str] | None = None,
               status_code: int = 200) -> Response:  # fmt: skip
    """The calls at a port, with the filing form for officers (the message next to its field, what was typed)."""
    days = rows_by_day(session=session, port=port, since=since, ports=visible_ports(session=session, user=user))
    context = {"user": user, "port": port, "since": since, "days": days, "total": sum(len(rows) for _, rows in days),
               "can_file": user.role in FILERS, "errors": errors or {}, "form": form or {}}  # fmt: skip
    return _page(request, name="vessels.html", port=port, context=context, status_code=status_code)


@router.get("/console/vessels", response_class=HTMLResponse)
def vessels_page(
    *,
    request: Request,
    port: str = Query(DEFAULT_PORT, pattern="^[A-Za-z]{2}[A-Za-z2-9]{3}$", description="UN/LOCODE of the seaport."),
    since: date | None = Query(None, description="Calls arriving on or after this day; default: all."),
    session: SessionDep,
    user: ConsoleUser,
) -> Response:
    return _list_page(request, session=session, user=_reader(user), port=port.upper(), since=since)


class BadUpload(ValueError):
    """A form field that cannot be used: ``field`` is the form's field the message is shown next to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{CHECK[field]}: {message}")
        self.field = field


def upload_text(upload: UploadFile | None, *, field: str, required: bool) -> str | None:
    """An uploaded file's text (UTF-8, a BOM allowed); None for an optional file not chosen."""
    chosen = upload is not None and bool(upload.filename)
    data = upload.file.read(MAX_BYTES + 1) if upload is not None else b""
    if not chosen and not data:
        if required:
            raise BadUpload(field, "no file was chosen / 未选择文件")
        return None
    name = upload.filename if upload is not None and upload.filename else "the file"
    if not data:
        raise BadUpload(field, f"{name} is empty / 文件为空")
    if len(data) > MAX_BYTES:
        raise BadUpload(field, f"{name} is over {MAX_BYTES // (1024 * 1024)} MB / 文件超过 2 MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadUpload(field, f"{name}: byte {error.start} is not UTF-8 / 文件不是 UTF-8 编码") from error


def _parsed(text: str, *, field: str) -> Any:
    """The MDH or the crew list (a Form 5 with people on it, as the API checks it), a FormatError named in place."""
    try:
        return parse_mdh(text) if field == "mdh" else crew_list(text)
    except FormatError as error:
        raise BadUpload(field, f"at {error.position}: {error.message}") from error


def chosen_port(text: str) -> str | None:
    port = text.strip().upper()
    if port and not LOCODE.match(port):
        raise BadUpload("port", f"{text.strip()} is not a UN/LOCODE (5 letters, e.g. CNMAA) / 不是有效的港口代码")
    return port or None


def eta_at_port(text: str, *, mdh: MaritimeDeclaration, port: str | None) -> datetime | None:
    """A `datetime-local` value as the port's clock reads it (Beijing time at CN ports)."""
    if not text.strip():
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise BadUpload("eta", f"{text.strip()} is not a date and time / 不是有效的日期时间") from error
    where = port or (mdh.ship.submitted_at_port.locode if mdh.ship.submitted_at_port else None) or ""
    return moment if moment.tzinfo else moment.replace(tzinfo=seaport_zone(where))


def _file(*, session: Session, user: User, mdh: UploadFile | None, crew: UploadFile | None, eta: str,
          port: str) -> VesselCall:  # fmt: skip
    if user.role not in FILERS:
        raise errors.NotPermitted(f"role {user.role} may not file vessel calls")
    where = chosen_port(port)
    declaration: MaritimeDeclaration = _parsed(upload_text(mdh, field="mdh", required=True) or "", field="mdh")
    crew_text = upload_text(crew, field="crew", required=False)
    crew_read: FalList | None = _parsed(crew_text, field="crew") if crew_text is not None else None
    may_file_for(session=session, user=user, port=_port_of(mdh=declaration, port=where))
    arrival = eta_at_port(eta, mdh=declaration, port=where)
    try:
        return file_call(session=session, mdh=declaration, crew=crew_read, eta=arrival, port=where,
                         actor=f"user:{user.username}")  # fmt: skip
    except UnusableCall as error:
        raise BadUpload("port" if "port" in str(error) else "mdh", str(error)) from error


def _port_of(*, mdh: MaritimeDeclaration, port: str | None) -> str:
    try:
        return port_of(mdh=mdh, port=port)
    except UnusableCall as error:
        raise BadUpload("port", str(error)) from error


@router.post("/console/vessels", response_class=HTMLResponse)
def post_call(
    *,
    request: Request,
    mdh: UploadFile | None = File(None, description="The Maritime Declaration of Health (JSON)."),
    crew: UploadFile | None = File(None, description="The crew list, FAL Form 5 (CSV or JSON); optional."),
    eta: str = Form("", max_length=40, description="`datetime-local`, in the port's local time; optional."),
    port: str = Form("", max_length=40, description="UN/LOCODE; default: where the MDH was submitted."),
    session: SessionDep,
    user: ConsoleUser,
) -> Response:
    _reader(user)
    form = {"eta": eta, "port": port}
    shown = port.strip().upper() if LOCODE.match(port.strip()) else DEFAULT_PORT
    try:
        call = _file(session=session, user=user, mdh=mdh, crew=crew, eta=eta, port=port)
    except errors.NotPermitted as error:
        refused = {"form": f"Not permitted / 无权操作: {error}"}
        return _list_page(request, session=session, user=user, port=shown, since=None, form=form,
                          status_code=error.status, errors=refused)  # fmt: skip
    except BadUpload as error:
        session.rollback()
        return _list_page(request, session=session, user=user, port=shown, since=None, form=form, status_code=422,
                          errors={error.field: str(error)})  # fmt: skip
    return RedirectResponse(f"/console/vessels/{call.id}", status_code=303)


def ports_of_call(call: VesselCall) -> list[dict[str, Any]]:
    """The declared ports of call (name, locode, departure), else the bare locodes kept on the call."""
    declared = (call.declaration or {}).get("ports_of_call") or []
    if declared:
        return [{"port": p.get("port") or {}, "departure": p.get("departure")} for p in declared]
    return [{"port": {"locode": code, "as_written": code}, "departure": None} for code in call.ports_of_call]


@router.get("/console/vessels/{call_id}", response_class=HTMLResponse)
def vessel_page(
    request: Request,
    call_id: RowId,
    session: SessionDep,
    user: ConsoleUser,
) -> Response:
    _reader(user)
    call = session.get(VesselCall, call_id)
    if call is None or not sees(session=session, user=user, port=call.port):
        raise errors.NotFound(f"no vessel call {call_id}")
    context = {"user": user, "c": call, "row": _row(call, zone=seaport_zone(call.port)), "ports": ports_of_call(call)}
    return _page(request, name="vessel.html", port=call.port, context=context)
