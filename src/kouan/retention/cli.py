"""`kouan purge`: remove personal data past its retention period, once or on a schedule."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import Annotated

import typer

from kouan.clitools import fail, print_json
from kouan.db import unit_of_work
from kouan.retention.service import purge as purge_store
from kouan.settings import get_settings


def purge(
    now: Annotated[
        str | None, typer.Option("--now", help="Purge as of this day (YYYY-MM-DD, UTC); today when left out.")
    ] = None,
    every: Annotated[
        float | None,
        typer.Option("--every", min=0.001, help="Run again every HOURS, forever (a schedule); once when left out."),
    ] = None,
) -> None:
    """Remove personal data past its retention period (KOUAN_RETENTION_DAYS), keeping daily counts; prints the
    counts as JSON."""
    _moment(now)  # a bad date fails before the first run
    while True:
        _run_once(moment=_moment(now))
        if every is None:
            return
        time.sleep(every * 3600)


def _moment(text: str | None) -> datetime:
    """The start of the given day (UTC), or the current time."""
    if text is None:
        return datetime.now(UTC)
    try:
        return datetime.combine(date.fromisoformat(text), datetime.min.time(), tzinfo=UTC)
    except ValueError:
        fail(f"--now {text!r} is not a date (YYYY-MM-DD)")


def _run_once(*, moment: datetime) -> None:
    settings = get_settings()
    with unit_of_work(settings.database_url) as session:
        report = purge_store(session=session, now=moment, retention=settings.retention_days)
    print_json({"now": report.now, **report.counts()})
