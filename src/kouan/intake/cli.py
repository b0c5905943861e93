"""`kouan ingest` (carrier messages as a carrier would send them), `kouan crossings import` and `kouan declarations
import` (our own records and declarations in bulk): each through the intake flows."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import typer
from pydantic import BaseModel, ValidationError

from kouan.clitools import err, fail, print_json, progress, read_text, utf8_text
from kouan.db import unit_of_work
from kouan.formats.records import FormatError, json_value
from kouan.intake.flows import file_crossings, file_declarations, rescreen, store_message
from kouan.migrate import ensure_schema
from kouan.settings import get_settings
from kouan.travel.journey.cli import crossings_app
from kouan.travel.journey.schemas import CrossingCreate, DeclarationCreate
from kouan.travel.registry.history import UnidentifiedVoyage

declarations_app = typer.Typer(help="Health declarations from other channels.", no_args_is_help=True)
Model = TypeVar("Model", bound=BaseModel)


@dataclass
class IngestTally:
    filed: int = 0
    unchanged: int = 0
    rejected: list[str] = field(default_factory=list)
    voyage_ids: set[int] = field(default_factory=set)


def ingest_file(*, path: Path, tally: IngestTally) -> None:
    """File one message in its own transaction, so one bad file loses nothing already filed."""
    raw = read_text(path)
    try:
        with unit_of_work() as session:
            voyage_id, created = store_message(session=session, raw=raw, settings=get_settings())
    except (FormatError, UnidentifiedVoyage) as error:
        tally.rejected.append(f"{path}: {error}")
        return
    if voyage_id is not None:
        tally.voyage_ids.add(voyage_id)
    if created:
        tally.filed += 1
    else:
        tally.unchanged += 1


def ingest_files(paths: list[Path]) -> IngestTally:
    """File each message, then screen every voyage they touched in one engine run."""
    tally = IngestTally()
    for path in progress(paths, total=len(paths), label="messages"):
        ingest_file(path=path, tally=tally)
    with unit_of_work() as session:
        rescreen(session=session, voyage_ids=sorted(tally.voyage_ids), settings=get_settings())
    return tally


def ingest(files: list[Path] = typer.Argument(..., help="PAXLST or PNRGOV files (or folders of *.edi files).")) -> None:
    """File carrier messages in the registry and screen their voyages; the same message twice changes nothing."""
    paths = [p for f in files for p in (sorted(f.glob("*.edi")) if f.is_dir() else [f])]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"no such file: {', '.join(missing)}")
    ensure_schema()
    tally = ingest_files(paths)
    err.print(f"filed {tally.filed}, unchanged {tally.unchanged}, rejected {len(tally.rejected)}")
    for line in tally.rejected:
        err.print(f"[red]rejected[/red] {line}", highlight=False)
    if tally.rejected:
        raise typer.Exit(1)


def validated(*, rows: list[tuple[str, Any]], model: type[Model]) -> tuple[list[Model], list[str]]:
    """Rows that validate, and one line per row that does not, naming where and which field."""
    good, bad = [], []
    for where, row in rows:
        try:
            good.append(model.model_validate(row))
        except ValidationError as error:
            fields = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
            bad.append(f"{where}: {fields}")
    return good, bad


def csv_rows(path: Path) -> list[tuple[str, Any]]:
    reader = csv.DictReader(io.StringIO(utf8_text(path), newline=""))
    try:
        rows = list(reader)
    except csv.Error as error:
        fail(f"{path.name} line {reader.reader.line_num}: not CSV: {error}")
    return [(f"{path.name} line {n}", {k: v or None for k, v in row.items()}) for n, row in enumerate(rows, start=2)]


def json_rows(path: Path) -> list[tuple[str, Any]]:
    try:
        data = json_value(utf8_text(path))
    except FormatError as error:
        fail(f"{path.name} {error}")
    items = data if isinstance(data, list) else [data]
    return [(f"{path.name} item {n}", item) for n, item in enumerate(items)]


def _report(bad: list[str]) -> None:
    for line in bad:
        err.print(f"[red]rejected[/red] {line}", highlight=False, soft_wrap=True)
    if bad:
        raise typer.Exit(1)


@crossings_app.command("import")
def import_crossings(file: Path = typer.Argument(..., help="CSV: direction, port, crossed_at, surname, ...")) -> None:
    """File exit/entry records; valid rows are kept even when others are rejected (exit 1 then)."""
    if not file.exists():
        fail(f"{file}: no such file")
    good, bad = validated(rows=csv_rows(file), model=CrossingCreate)
    ensure_schema()
    with unit_of_work() as session:
        added = file_crossings(session=session, crossings=good).result
    print_json({"added": added, "valid": len(good), "rejected": len(bad)})
    _report(bad)


@declarations_app.command("import")
def import_declarations(file: Path = typer.Argument(..., help="JSON: one declaration or a list of them.")) -> None:
    """File declarations and relink (and rescreen) the voyages they name."""
    if not file.exists():
        fail(f"{file}: no such file")
    good, bad = validated(rows=json_rows(file), model=DeclarationCreate)
    ensure_schema()
    with unit_of_work() as session:
        filed = file_declarations(session=session, declarations=good, settings=get_settings())
    print_json({"filed": len(filed.result), "voyages_rescreened": filed.voyage_ids, "rejected": len(bad)})
    _report(bad)
