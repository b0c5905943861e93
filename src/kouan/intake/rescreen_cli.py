"""`kouan rescreen` (past arrivals screened again with what is known now) and `kouan measures designate` (which
rescreens by itself): both print the re-screening's JSON. They live in intake because they cross screening and
referrals; `kouan.cli` hangs them where the user looks for them."""

from __future__ import annotations

from datetime import date

import typer
from pydantic import ValidationError
from sqlalchemy.orm import Session

from kouan.clitools import fail, parse_day, print_json
from kouan.db import unit_of_work, utcnow
from kouan.intake.rescreen import Rescreened, after_designation, after_import, rescreen_arrivals
from kouan.measures.designations import UnknownRegion, designate
from kouan.measures.models import DesignationCreate, DesignationRead, ImportSummary
from kouan.migrate import ensure_schema
from kouan.settings import get_settings


def rescreen(
    arrived_since: str = typer.Option(..., "--arrived-since", help="First arrival day screened again (YYYY-MM-DD)."),
    arrived_until: str | None = typer.Option(
        None, "--arrived-until", help="Last arrival day screened again (YYYY-MM-DD); today when omitted."
    ),
    region: list[str] = typer.Option([], "--region", help="Only travellers with a stay in this region (repeatable)."),
    by: str = typer.Option("cli", help="Who asks (recorded in the audit and on the referrals made)."),
) -> None:
    """Screen past arrivals again with what is known now; refer those whose level rose (once). Prints one JSON
    object: rescreened, raised (each traveller whose level rose) and referrals."""
    since = _day(arrived_since, option="--arrived-since")
    until = _day(arrived_until, option="--arrived-until") if arrived_until else utcnow().date()
    if since > until:
        fail(f"--arrived-since {since} is after --arrived-until {until}")
    ensure_schema()
    regions = [r.strip().upper() for r in region]
    with unit_of_work() as session:
        done = rescreen_arrivals(
            session=session, settings=get_settings(), since=since, until=until, regions=regions, actor=by
        )
    print_json(done.model_dump(mode="json"))


def _day(text: str, *, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{option}: {text!r} is not a date (YYYY-MM-DD)")


def designate_command(
    region: str = typer.Option(..., help="ISO alpha-3 country or CN-XX province."),
    level: str = typer.Option(..., help="low, medium or high."),
    valid_from: str = typer.Option(..., "--from", help="First day designated (YYYY-MM-DD)."),
    valid_to: str | None = typer.Option(None, "--to", help="First day no longer designated (open when omitted)."),
    reason: str = typer.Option(..., help="Why, in a sentence."),
    reference: str | None = typer.Option(None, help="The document it rests on."),
    by: str = typer.Option(..., help="Who designates (recorded in the audit)."),
) -> None:
    """Designate a region's level from a date; a correction is a new designation, the old one stays. Past arrivals
    it changes are screened again at once: the JSON printed carries that re-screening under "rescreen"."""
    try:
        fields = {"region_code": region.upper(), "level": level, "valid_from": parse_day(valid_from)}
        item = DesignationCreate.model_validate(
            {**fields, "valid_to": parse_day(valid_to), "reason": reason, "reference": reference}
        )
    except ValidationError as error:
        fail("; ".join(f"--{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()))
    ensure_schema()
    try:
        with unit_of_work() as session:
            row = designate(session=session, item=item, actor=by)
            done = after_designation(session=session, designation=row, settings=get_settings())
            shown = DesignationRead.model_validate(row).model_dump(mode="json")
    except UnknownRegion as error:
        fail(f"--region: {error}")
    print_json({**shown, "rescreen": done.model_dump(mode="json")})


def rescreen_after_import(session: Session, summary: ImportSummary) -> Rescreened:
    """What `kouan measures import-jhu` and `import-csv` run after the figures are in (same transaction)."""
    return after_import(session=session, summary=summary, settings=get_settings())
