"""`kouan measures designate` and `kouan measures designations`: an analyst's key-region list from the shell."""

from __future__ import annotations

import typer
from pydantic import ValidationError

from kouan.clitools import fail, parse_day, print_json
from kouan.db import unit_of_work
from kouan.measures.classifiers import classifier_by_name
from kouan.measures.designations import UnknownRegion, designate, designations
from kouan.measures.key_regions import key_regions
from kouan.measures.models import DesignationCreate, DesignationRead
from kouan.migrate import ensure_schema
from kouan.settings import get_settings


def designate_command(
    region: str = typer.Option(..., help="ISO alpha-3 country or CN-XX province."),
    level: str = typer.Option(..., help="low, medium or high."),
    valid_from: str = typer.Option(..., "--from", help="First day designated (YYYY-MM-DD)."),
    valid_to: str | None = typer.Option(None, "--to", help="First day no longer designated (open when omitted)."),
    reason: str = typer.Option(..., help="Why, in a sentence."),
    reference: str | None = typer.Option(None, help="The document it rests on."),
    by: str = typer.Option(..., help="Who designates (recorded in the audit)."),
) -> None:
    """Designate a region's level from a date; a correction is a new designation, the old one stays."""
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
            row = DesignationRead.model_validate(designate(session=session, item=item, actor=by))
    except UnknownRegion as error:
        fail(f"--region: {error}")
    print_json(row.model_dump(mode="json"))


def designations_command(region: str | None = typer.Option(None, help="Only this region.")) -> None:
    """Every designation, newest first, with who recorded it and when."""
    ensure_schema()
    with unit_of_work() as session:
        rows = [
            DesignationRead.model_validate(d).model_dump(mode="json")
            for d in designations(session=session, region_code=region)
        ]
    print_json(rows)


def list_command(
    on: str = typer.Option(..., help="The day the levels apply to (YYYY-MM-DD)."),
    known_on: str | None = typer.Option(None, help="As known on this day (YYYY-MM-DD); the same day when omitted."),
) -> None:
    """Every region at medium or above on a day, as known on a day: one JSON object."""
    day, known = parse_day(on), parse_day(known_on)
    if day is None:
        fail("--on: enter a date as YYYY-MM-DD")
    ensure_schema()
    classifier = classifier_by_name(get_settings().classifier)
    with unit_of_work() as session:
        listed = key_regions(session=session, on=day, known_on=known, classifier=classifier)
    print_json(listed.model_dump(mode="json"))
