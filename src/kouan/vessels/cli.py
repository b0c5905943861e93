"""`kouan screen-vessel --mdh FILE --crew FILE`: a vessel and its crew screened against the store's risk figures,
without filing the call."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from kouan.clitools import fail, parse_day, print_json, read_text
from kouan.db import unit_of_work
from kouan.formats.fal import FalList, parse_fal
from kouan.formats.mdh import MaritimeDeclaration, parse_mdh
from kouan.formats.records import FormatError
from kouan.measures.service import has_risk_data
from kouan.migrate import ensure_schema
from kouan.vessels.rules import VesselResult
from kouan.vessels.service import arrival_of, screen


def screen_vessel(
    mdh: Path = typer.Option(..., "--mdh", help="The Maritime Declaration of Health (JSON)."),
    crew: Path | None = typer.Option(None, "--crew", help="The FAL Form 5 crew list (CSV or JSON)."),
    as_of: str | None = typer.Option(None, "--as-of", help="The arrival day (YYYY-MM-DD); default: the MDH's date."),
) -> None:
    """Print the vessel's and each seafarer's level and reasons as JSON."""
    ensure_schema()
    declaration, listed = _read(mdh=mdh, crew=crew)
    with unit_of_work() as session:
        if not has_risk_data(session=session):
            fail("no region risk in the store: run `kouan measures import-jhu` first (make demo does)")
        arrival = parse_day(as_of) or arrival_of(mdh=declaration, eta=None)
        result = screen(session=session, mdh=declaration, crew=listed, arrival=arrival)
    print_json(_as_json(declaration=declaration, result=result))


def _read(*, mdh: Path, crew: Path | None) -> tuple[MaritimeDeclaration, FalList | None]:
    try:
        declaration = parse_mdh(read_text(mdh))
    except FormatError as error:
        fail(f"{mdh}: {error}")
    try:
        listed = parse_fal(read_text(crew)) if crew else None
    except FormatError as error:
        fail(f"{crew}: {error}")
    return declaration, listed


def _as_json(*, declaration: MaritimeDeclaration, result: VesselResult) -> dict[str, Any]:
    ship = declaration.ship
    vessel = {"name": ship.name, "imo": ship.imo, "arrival": result.arrival.isoformat(), "level": result.level,
              "reasons": [r.text for r in result.reasons], "actions": list(result.actions),
              "discrepancies": [r.text for r in result.discrepancies]}  # fmt: skip
    crew = [{"surname": c.surname, "given_names": c.given_names, "level": c.level,
             "reasons": [r.text for r in c.reasons], "actions": list(c.actions), "joined_at": c.joined_at,
             "joined_on": c.joined_on.isoformat() if c.joined_on else None} for c in result.crew]  # fmt: skip
    warnings = [{"at": w.segment, "message": w.message} for w in declaration.warnings]
    return {"vessel": vessel, "crew": crew, "warnings": warnings}
