"""The console's overstays (非法居留): the foreigners who entered at the officer's ports and are past their permitted
stay with no exit, on a day chosen (today at the port by default), most days overstayed first."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from kouan.api.deps import SessionDep
from kouan.overstays.models import Overstay
from kouan.overstays.service import overstays, zone_of
from kouan.overstays.views import today_at
from kouan.travel.registry.ports import ports_to_choose
from kouan.users.scoping import chosen_ports
from kouan.web.views import ConsoleUser, templates

router = APIRouter(include_in_schema=False)
BASES = {
    "visa": "Visa / 签证", "residence_permit": "Residence permit / 居留许可",
    "transit_24h": "24-hour transit / 24小时过境", "transit_72h": "72-hour transit / 72小时过境免签",
    "transit_144h": "144-hour transit / 144小时过境免签", "visa_free": "Visa-free / 免签",
}  # fmt: skip


@router.get("/console/overstays", response_class=HTMLResponse)
def overstays_page(
    *,
    request: Request,
    on: date | None = Query(None),
    port: str = Query("", max_length=5, description="One of the user's ports; empty: all of them."),
    session: SessionDep,
    user: ConsoleUser,
) -> Response:
    default = request.app.state.settings.port_of_entry
    day = on or today_at(session=session, user=user, chosen=port, default=default)
    found = overstays(session=session, on=day, ports=chosen_ports(session=session, user=user, chosen=port))
    choices = ports_to_choose(session=session, user=user, default=default)
    context = {"user": user, "on": day, "port": port.strip().upper(), "rows": [_row(i) for i in found.items],
               "cannot_say": found.cannot_say, "ports": choices}  # fmt: skip
    return templates.TemplateResponse(request, "overstays.html", context)


def _row(item: Overstay) -> dict[str, Any]:
    entered = item.entered_at.astimezone(zone_of(item.entry_port))
    basis = BASES.get(item.basis, item.basis) + (f" {item.visa_type}" if item.visa_type else "")
    return {"item": item, "entered": entered.strftime("%Y-%m-%d %H:%M"), "basis": basis}
