"""`kouan crossings import` and `kouan declarations import`: our own records and declarations in bulk."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, TypeVar

import typer
from pydantic import BaseModel, ValidationError

from kouan.clitools import err, fail, print_json
from kouan.db import unit_of_work
from kouan.migrate import ensure_schema
from kouan.settings import get_settings
from kouan.travel.journey_service import add_crossings, add_declarations
from kouan.travel.source_models import CrossingCreate, DeclarationCreate

crossings_app = typer.Typer(help="Our own exit and entry records.", no_args_is_help=True)
declarations_app = typer.Typer(help="Health declarations from other channels.", no_args_is_help=True)
Model = TypeVar("Model", bound=BaseModel)


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
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [(f"{path.name} line {n}", {k: v or None for k, v in row.items()}) for n, row in enumerate(rows, start=2)]


def json_rows(path: Path) -> list[tuple[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        fail(f"{path.name} line {error.lineno} column {error.colno}: {error.msg}")
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
        added = add_crossings(session=session, crossings=good)
    print_json({"added": added, "valid": len(good), "rejected": len(bad)})
    _report(bad)


@declarations_app.command("import")
def import_declarations(file: Path = typer.Argument(..., help="JSON: one declaration or a list of them.")) -> None:
    """File declarations and relink (and rescreen) the voyages they name."""
    from kouan.screening.service import screen_voyages

    if not file.exists():
        fail(f"{file}: no such file")
    good, bad = validated(rows=json_rows(file), model=DeclarationCreate)
    ensure_schema()
    settings = get_settings()
    with unit_of_work() as session:
        ids, voyages = add_declarations(session=session, declarations=good, port=settings.port_of_entry)
        if voyages:
            screen_voyages(
                session=session, voyages=voyages, classifier=settings.classifier, backend=settings.screening_backend
            )
    print_json({"filed": len(ids), "voyages_rescreened": [v.id for v in voyages], "rejected": len(bad)})
    _report(bad)
