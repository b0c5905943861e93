"""`kouan history`: the crossing history. `sync` appends the operational store's arrived crossings to it."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from datetime import UTC, datetime

import typer

from kouan.clitools import fail, print_json, progress
from kouan.db import utcnow
from kouan.history.sync import BATCH_VOYAGES, sync_history
from kouan.migrate import ensure_schema
from kouan.settings import get_settings

history_app = typer.Typer(help="The crossing history (Parquet by day, read by DuckDB or Spark).", no_args_is_help=True)


@history_app.command("sync")
def sync(
    until: str | None = typer.Option(
        None,
        help="Append the voyages arrived by this instant (ISO date-time, UTC when it names no zone); now when omitted.",
    ),  # fmt: skip
    every: float = typer.Option(
        0, min=0, help="Keep running: sync again every this many seconds (a service beside the relay); 0: once."
    ),
) -> None:
    """Append every screened crossing of the voyages that have arrived and were not appended yet to the history
    (KOUAN_CROSSING_HISTORY_DIR). Prints one JSON object per run: voyages, crossings, stays and days appended."""
    ensure_schema()
    while True:
        _sync_once(until=_instant(until) if until else utcnow(), bar=not every)
        if not every:
            return
        time.sleep(every)


def _sync_once(*, until: datetime, bar: bool) -> None:
    settings = get_settings()
    done = sync_history(url=settings.database_url, root=settings.crossing_history_path(), until=until,
                        port=settings.port_of_entry, progress=_bar if bar else None)  # fmt: skip
    if bar:
        print_json(done.as_json())
    else:  # a service: one compact line per run, written at once
        print(json.dumps(done.as_json()), flush=True)


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        fail(f"--until: {text!r} is not a date-time (YYYY-MM-DDTHH:MM[:SS][+HH:MM])")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _bar(batches: Iterable[str], total: int) -> Iterable[str]:
    return progress(batches, total=total, label=f"history sync, batches of {BATCH_VOYAGES} voyages")
