"""The demo's seaport: a week of ship calls at Ma'anshan (CNMAA) in March 2020, written as the files a ship's agent
sends (MDH JSON and FAL Form 5 CSV), filed and screened, and warned to the port's customs and maritime authority."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from kouan.db import unit_of_work
from kouan.demo.vessels import DemoCall, week_of_calls
from kouan.formats.fal import parse_fal
from kouan.formats.mdh import parse_mdh
from kouan.reference.ports import seaport_zone
from kouan.vessels.models import VesselCall
from kouan.vessels.service import file_call

PORT = "CNMAA"  # Ma'anshan


def write_week(*, folder: Path, calls: list[DemoCall]) -> list[tuple[Path, Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for call in calls:
        stem = f"{call.eta.astimezone(seaport_zone(PORT)):%Y%m%d}_{call.imo}"
        mdh, crew = folder / f"{stem}_mdh.json", folder / f"{stem}_crew.csv"
        mdh.write_text(call.mdh_json, encoding="utf-8")
        crew.write_text(call.crew_csv, encoding="utf-8")
        written.append((mdh, crew))
    return written


def file_week(*, url: str, folder: Path) -> list[int]:
    """The week's calls written under ``folder`` and filed (again: a call filed twice is replaced, not doubled)."""
    calls = week_of_calls(port=PORT)
    write_week(folder=folder, calls=calls)
    with unit_of_work(url) as session:
        return [_filed(session=session, call=call) for call in calls]


def _filed(*, session: Session, call: DemoCall) -> int:
    mdh, crew = parse_mdh(call.mdh_json), parse_fal(call.crew_csv)
    return file_call(session=session, mdh=mdh, crew=crew, eta=call.eta, port=None, actor="demo").id


def harbour_table(*, url: str, call_ids: list[int], out: Console) -> None:
    """The week's calls as a table, then why each call that is not low stands out."""
    table = Table(title="Vessels arriving at Ma'anshan / 马鞍山港预抵船舶")
    for heading in ("ETA (UTC+8)", "ship", "IMO", "level", "crew ≥ medium", "warned"):
        table.add_column(heading, no_wrap=True)
    with unit_of_work(url) as session:
        calls = [call for call_id in call_ids if (call := session.get(VesselCall, call_id)) is not None]
        for call in calls:
            table.add_row(*_row(call))
        out.print(table)
        for call in calls:
            if call.level != "low" and call.reasons:
                out.print(f"{call.name}: {call.reasons[0]['text']}", highlight=False)


def _row(call: VesselCall) -> list[str]:
    flagged = sum(1 for s in call.seafarers if s.level in ("medium", "high"))
    eta = call.eta.astimezone(seaport_zone(call.port)).strftime("%m-%d %H:%M") if call.eta else "?"
    return [eta, call.name, call.imo, call.level, f"{flagged}/{len(call.seafarers)}", "yes" if call.warned_at else "no"]
