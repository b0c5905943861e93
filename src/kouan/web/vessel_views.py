"""The officers' console for seaports: the vessels' calls at a port with their early warnings (ETA in the port's
local time, the highest level first within a day), and one call's screening with its crew."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from kouan.measures.classifiers import LEVEL_RANK
from kouan.users.models import Role, User
from kouan.users.views import db_session
from kouan.vessels.models import VesselCall
from kouan.vessels.service import calls
from kouan.web.params import RowId
from kouan.web.views import console_user, templates

router = APIRouter(include_in_schema=False)
READERS = {Role.officer.value, Role.analyst.value, Role.admin.value}
DEFAULT_PORT = "CNMAA"
ZONES = {"CN": "Asia/Shanghai"}  # a seaport's zone by the country of its UN/LOCODE; UTC elsewhere
FLAGGED = ("medium", "high")
LEVEL_WORDS = {"high": "high / 高", "medium": "medium / 中", "low": "low / 低", "unknown": "unknown / 未知"}


@dataclass(frozen=True)
class CallRow:
    call: VesselCall
    eta: datetime | None  # in the port's local time
    day: date  # the local day of arrival
    crew: int
    flagged: int  # crew at medium or high


def port_zone(port: str) -> ZoneInfo:
    return ZoneInfo(ZONES.get(port[:2].upper(), "UTC"))


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


def rows_by_day(*, session: Session, port: str, since: date | None) -> list[tuple[date, list[CallRow]]]:
    zone = port_zone(port)
    rows = sorted((_row(c, zone=zone) for c in calls(session=session, port=port, since=since)), key=_order)
    days: dict[date, list[CallRow]] = {}
    for row in rows:
        days.setdefault(row.day, []).append(row)
    return list(days.items())


def _reader(user: User) -> User:
    if user.role not in READERS:
        raise HTTPException(status_code=403, detail=f"role {user.role} may not see vessel calls")
    return user


def _page(request: Request, *, name: str, port: str, context: dict[str, Any]) -> Response:
    zone = port_zone(port)
    shared = {"words": LEVEL_WORDS, "zone": zone.key, "local": partial(local_time, zone=zone), "flagged": FLAGGED}
    return templates.TemplateResponse(request, name, {**shared, **context})


@router.get("/console/vessels", response_class=HTMLResponse)
def vessels_page(
    request: Request,
    port: str = Query(DEFAULT_PORT, pattern="^[A-Za-z]{2}[A-Za-z2-9]{3}$", description="UN/LOCODE of the seaport."),
    since: date | None = Query(None, description="Calls arriving on or after this day; default: all."),
    session: Session = Depends(db_session),
    user: User = Depends(console_user),
) -> Response:
    _reader(user)
    port = port.upper()
    days = rows_by_day(session=session, port=port, since=since)
    context = {"user": user, "port": port, "since": since, "days": days,
               "total": sum(len(rows) for _, rows in days)}  # fmt: skip
    return _page(request, name="vessels.html", port=port, context=context)


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
    session: Session = Depends(db_session),
    user: User = Depends(console_user),
) -> Response:
    _reader(user)
    call = session.get(VesselCall, call_id)
    if call is None:
        raise HTTPException(status_code=404, detail=f"no vessel call {call_id}")
    context = {"user": user, "c": call, "row": _row(call, zone=port_zone(call.port)), "ports": ports_of_call(call)}
    return _page(request, name="vessel.html", port=call.port, context=context)
