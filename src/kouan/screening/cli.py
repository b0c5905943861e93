"""`kouan screen FILE`: screen a carrier message against the risk figures in the store, without filing it."""

from __future__ import annotations

from pathlib import Path

import typer

from kouan.clitools import fail, parse_day, print_json, read_text
from kouan.db import unit_of_work
from kouan.formats.paxlst import parse_paxlst
from kouan.formats.pnrgov import PnrgovMessage, parse_pnrgov
from kouan.formats.records import FormatError
from kouan.measures.service import has_risk_data
from kouan.migrate import ensure_schema
from kouan.screening.adhoc import screen_message
from kouan.settings import get_settings
from kouan.travel.registry.history import UnidentifiedVoyage
from kouan.travel.registry.ports import manifest_crossing


def screen(
    file: Path = typer.Argument(..., help="A PAXLST message."),
    as_of: str | None = typer.Option(None, "--as-of", help="Screen with what was known on this day (YYYY-MM-DD)."),
    backend: str | None = typer.Option(None, help="duckdb (default) or spark."),
    pnr: list[Path] = typer.Option([], "--pnr", help="PNRGOV messages whose bookings join the manifest's travellers."),
) -> None:
    """Print each traveller's level, reasons and actions as JSON."""
    ensure_schema()
    settings = get_settings()
    day = parse_day(as_of)
    try:
        message = parse_paxlst(read_text(file))
        bookings = [_pnr(path) for path in pnr]
        with unit_of_work() as session:
            if not has_risk_data(session=session):
                fail("no region risk in the store: run `kouan measures import-jhu` first (make demo does)")
            crossing = manifest_crossing(session=session, message=message, settings=settings)
            if crossing.direction == "exit":
                fail(f"{file}: a departure manifest (an exit at {crossing.port}): departures are not screened for the "
                     "epidemic; file it (`kouan ingest`) to check its travellers against the lists")  # fmt: skip
            result = screen_message(
                session=session,
                message=message,
                port=crossing.port,
                as_of=day,
                classifier=settings.classifier,
                backend=backend or settings.screening_backend,
                pnrs=bookings,
            )
    except (FormatError, UnidentifiedVoyage, ValueError) as error:
        fail(f"{file}: {error}")
    print_json(result)


def _pnr(path: Path) -> PnrgovMessage:
    try:
        return parse_pnrgov(read_text(path))
    except FormatError as error:
        fail(f"{path}: {error}")
