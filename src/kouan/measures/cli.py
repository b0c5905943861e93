"""`kouan measures …`: region risk figures and the classification schemes that grade them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import cast

import typer
from pydantic import BaseModel
from sqlalchemy.orm import Session

from kouan.clitools import fail, print_json, progress
from kouan.db import unit_of_work
from kouan.formats.records import FormatError
from kouan.measures.csv_import import ColumnMapping, RegionKind, read_csv_risk
from kouan.measures.designation_cli import designations_command, list_command
from kouan.measures.jhu import BUNDLED, RiskRow, open_text, read_jhu
from kouan.measures.models import ImportSummary
from kouan.measures.schemes import DesignatedScheme, Scheme, scheme_by_name, scheme_names
from kouan.measures.service import import_risk, load_regions
from kouan.migrate import ensure_schema

BUNDLED_JHU = BUNDLED
app = typer.Typer(help="Region risk and the measures built on it.", no_args_is_help=True)
AfterImport = Callable[[Session, ImportSummary], BaseModel]
AFTER_IMPORT: list[AfterImport] = []  # what runs in the import's transaction (kouan.cli adds the re-screening)


def import_jhu_file(path: Path) -> ImportSummary:
    ensure_schema()
    with unit_of_work() as session:
        load_regions(session=session)
        rows = progress(read_jhu(path), total=_line_count(path), label="JHU rows")
        return import_risk(session=session, rows=rows)


def _imported(path: Path, *, read: Callable[[Path], Iterable[RiskRow | None]], label: str) -> dict[str, object]:
    """Import the figures and run what follows an import, in one transaction: the JSON to print."""
    ensure_schema()
    with unit_of_work() as session:
        load_regions(session=session)
        summary = import_risk(session=session, rows=progress(read(path), total=_line_count(path), label=label))
        printed = summary.model_dump(mode="json")
        for hook in AFTER_IMPORT:
            printed["rescreen"] = hook(session, summary).model_dump(mode="json")
    return printed


def _line_count(path: Path) -> int:
    with open_text(path) as handle:
        return max(sum(1 for _ in handle) - 1, 0)


@app.command("import-jhu")
def import_jhu(
    file: Path = typer.Argument(BUNDLED_JHU, help="JHU CSSE 14-day-rate CSV (.csv or .csv.gz)."),
) -> None:
    """Load daily 14-day rates per country and Chinese province; figures already known are left alone."""
    if not file.exists():
        fail(f"{file}: no such file")
    try:
        printed = _imported(file, read=read_jhu, label="JHU rows")
    except FormatError as error:
        fail(str(error))
    print_json(printed)


@app.command("import-csv")
def import_csv(
    file: Path = typer.Argument(..., help="A region-risk CSV (.csv or .csv.gz) with a header line."),
    region_column: str = typer.Option(..., "--region-column", help="Column with the country/region code or name."),
    date_column: str | None = typer.Option(None, "--date-column", help="Column with the day (YYYY-MM-DD)."),
    week_column: str | None = typer.Option(
        None, "--week-column", help="Column with an ISO year-week (2020-W12 or 2020-12); the figure is its Monday's."
    ),
    rate_column: str | None = typer.Option(None, "--rate-column", help="Column with 14-day cases per 100,000."),
    cases_column: str | None = typer.Option(None, "--cases-column", help="Column with 14-day cases."),
    population_column: str | None = typer.Option(None, "--population-column", help="Column with the population."),
    source: str = typer.Option(..., "--source", help="Name the figures are stored under, e.g. ecdc-weekly."),
    lag_days: int = typer.Option(1, "--lag-days", help="Days after the data day a figure became known."),
    region_kind: str = typer.Option("auto", "--region-kind", help="Regions written as alpha3, alpha2, name or auto."),
    strict: bool = typer.Option(False, "--strict", help="Stop at an unknown region instead of skipping the line."),
) -> None:
    """Load another agency's risk file through a column mapping; prints the same summary as import-jhu."""
    if not file.exists():
        fail(f"{file}: no such file")
    try:
        mapping = ColumnMapping(
            region=region_column,
            date=date_column,
            week=week_column,
            rate=rate_column,
            cases=cases_column,
            population=population_column,
            source=source,
            published_lag_days=lag_days,
            region_kind=cast(RegionKind, region_kind),
        )
        printed = _imported(file, read=partial(read_csv_risk, mapping=mapping, strict=strict), label="rows")
    except ValueError as error:  # a bad mapping, or a FormatError naming the line and column
        fail(str(error))
    print_json(printed)


@app.command("classify")
def classify(
    scheme: str = typer.Option(
        ..., "--scheme", help="Scheme name, e.g. eu-2021-961-v3 (see `kouan measures schemes`)."
    ),
    rate: float | None = typer.Option(None, "--rate", help="N14: 14-day cases per 100,000 (omit if unknown)."),
    positivity: float | None = typer.Option(None, "--positivity", help="P: test positivity over the last week, in %."),
    testing: float | None = typer.Option(None, "--testing", help="T: tests per 100,000 over the last week."),
    level: str | None = typer.Option(None, "--level", help="The level an analyst designated (scheme `designated`)."),
) -> None:
    """Classify one region's figures under a named scheme; prints {scheme, level, reason}."""
    for option, value in (("--rate", rate), ("--positivity", positivity), ("--testing", testing)):
        if value is not None and value < 0:
            fail(f"{option} must not be negative (got {value})")
    chosen = _scheme(scheme)
    try:
        if isinstance(chosen, DesignatedScheme):
            result = chosen.classify(rate14=rate, positivity=positivity, testing=testing, level=level)
        elif level is not None:
            fail(f"--level applies only to the designated scheme, not {scheme}")
        else:
            result = chosen.classify(rate14=rate, positivity=positivity, testing=testing)
    except ValueError as error:
        fail(str(error))
    print_json({"scheme": result.scheme, "level": result.level, "reason": result.reason})


def _scheme(name: str) -> Scheme:
    try:
        return scheme_by_name(name)
    except KeyError as error:
        fail(str(error.args[0]))


@app.command("schemes")
def schemes() -> None:
    """List the schemes: {"schemes": [names], "details": [{name, family, valid_from, source, levels}]}."""
    details = [_details(scheme_by_name(name)) for name in scheme_names()]
    print_json({"schemes": scheme_names(), "details": details})


def _details(scheme: Scheme) -> dict[str, object]:
    valid_from = None if scheme.valid_from is None else scheme.valid_from.isoformat()
    return {
        "name": scheme.name,
        "family": scheme.family,
        "valid_from": valid_from,
        "source": scheme.source,
        "levels": list(scheme.levels),
    }


app.command("designations")(designations_command)
app.command("list")(list_command)
