"""`kouan crossings link`: a day's crossings linked in batch to the same people's earlier crossings."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import typer
from sqlalchemy import select

from kouan.clitools import parse_day, print_json
from kouan.db import unit_of_work
from kouan.migrate import ensure_schema
from kouan.travel.journey.models import Crossing

crossings_app = typer.Typer(help="Our own exit and entry records.", no_args_is_help=True)


def _crossings_table(*, session: Any, start: datetime, end: datetime) -> pa.Table:
    from kouan.travel.journey.batch_linking import PERSON_SCHEMA  # Splink is loaded only when linking

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
    from kouan.travel.journey.batch_linking import link_batch

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


@crossings_app.command("persons")
def link_persons(
    day: str = typer.Option(..., "--day", help="The day whose crossings join the person index (YYYY-MM-DD, UTC)."),
    out: Path | None = typer.Option(None, help="Write each crossing's person and evidence to this Parquet file."),
) -> None:
    """Link a day's crossings to persons in the person index (beside the crossing history), each crossing once."""
    from kouan.settings import get_settings
    from kouan.travel.persons.index import link_day as link_to_persons

    start = datetime.combine(parse_day(day) or date.today(), time(0), UTC)
    ensure_schema()
    with unit_of_work() as session:
        crossings = _crossings_table(session=session, start=start, end=start + timedelta(days=1))
    root = get_settings().crossing_history_path() / "persons"
    linked = link_to_persons(root=root, day=start.date(), records=crossings)
    if out is not None:
        pq.write_table(linked, out)
    methods = Counter(linked.column("method").to_pylist())
    print_json({"crossings": crossings.num_rows, "by_method": dict(methods), "index": str(root)})
