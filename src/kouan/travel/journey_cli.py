"""`kouan crossings import` and `kouan declarations import`: our own records and declarations in bulk."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa
import pyarrow.parquet as pq
import typer
from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from kouan.clitools import err, fail, parse_day, print_json, utf8_text
from kouan.db import unit_of_work
from kouan.formats.records import FormatError, json_value
from kouan.migrate import ensure_schema
from kouan.settings import get_settings
from kouan.travel.journey_service import add_crossings, add_declarations
from kouan.travel.source_models import CrossingCreate, DeclarationCreate
from kouan.travel.sources import Crossing

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


def _crossings_table(*, session: Any, start: datetime, end: datetime) -> pa.Table:
    from kouan.travel.batch_linking import PERSON_SCHEMA  # Splink is loaded only when linking

    rows = session.scalars(select(Crossing).where(Crossing.crossed_at >= start, Crossing.crossed_at < end)).all()
    return pa.Table.from_pylist(
        [
            {
                "record_id": str(c.id),
                "surname": c.surname,
                "given_names": c.given_names,
                "birth_date": c.birth_date,
                "nationality": c.nationality,
                "document_number": c.document_number,
                "sex": None,
                "event_date": c.crossed_at.date(),
            }
            for c in rows
        ],
        schema=PERSON_SCHEMA,
    )


@crossings_app.command("link")
def link_day(
    day: str = typer.Option(..., "--day", help="The day whose crossings are linked (YYYY-MM-DD, UTC)."),
    history_days: int = typer.Option(30, help="How many earlier days of crossings to link them against."),
    backend: str = typer.Option("duckdb", help="duckdb, or spark for a cluster."),
    out: Path | None = typer.Option(None, help="Write the links (with score and evidence) to this Parquet file."),
) -> None:
    """Link a day's crossings to the same people's earlier crossings: documents first, then Splink."""
    from kouan.travel.batch_linking import link_batch

    start = datetime.combine(parse_day(day) or date.today(), time(0), UTC)
    ensure_schema()
    with unit_of_work() as session:
        arrivals = _crossings_table(session=session, start=start, end=start + timedelta(days=1))
        history = _crossings_table(session=session, start=start - timedelta(days=history_days), end=start)
    links = link_batch(arrivals=arrivals, history=history, backend=backend, spark_session=_spark(backend))
    if out is not None:
        pq.write_table(links, out)
    methods = Counter(links.column("method").to_pylist())
    print_json(
        {
            "crossings": arrivals.num_rows,
            "history": history.num_rows,
            "links": links.num_rows,
            "by_method": dict(methods),
            "written_to": str(out) if out else None,
        }
    )


def _spark(backend: str) -> Any:
    if backend != "spark":
        return None
    from pyspark.sql import SparkSession

    return SparkSession.builder.master("local[*]").config("spark.ui.enabled", "false").getOrCreate()
