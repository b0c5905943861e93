"""`kouan measures designations` and `kouan measures list`: an analyst's key-region list from the shell (`kouan measures
designate` rescreens past arrivals, so it lives in :mod:`kouan.intake.rescreen_cli`)."""

from __future__ import annotations

import typer

from kouan.clitools import fail, parse_day, print_json
from kouan.db import unit_of_work
from kouan.measures.classifiers import classifier_by_name
from kouan.measures.designations import designations
from kouan.measures.key_regions import key_regions
from kouan.measures.models import DesignationRead
from kouan.migrate import ensure_schema
from kouan.settings import get_settings


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
