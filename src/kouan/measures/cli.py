"""`kouan measures …`: region risk figures."""

from __future__ import annotations

from pathlib import Path

import typer

from kouan.clitools import fail, print_json, progress
from kouan.db import unit_of_work
from kouan.formats.records import FormatError
from kouan.measures.jhu import BUNDLED, open_text, read_jhu
from kouan.measures.models import ImportSummary
from kouan.measures.service import import_risk, load_regions
from kouan.migrate import ensure_schema

BUNDLED_JHU = BUNDLED
app = typer.Typer(help="Region risk and the measures built on it.", no_args_is_help=True)


def import_jhu_file(path: Path) -> ImportSummary:
    ensure_schema()
    with unit_of_work() as session:
        load_regions(session=session)
        rows = progress(read_jhu(path), total=_line_count(path), label="JHU rows")
        return import_risk(session=session, rows=rows)


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
        summary = import_jhu_file(file)
    except FormatError as error:
        fail(str(error))
    print_json(summary.model_dump(mode="json"))
