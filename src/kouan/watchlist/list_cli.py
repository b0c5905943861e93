"""`kouan watchlist import FILE --list NAME --kind KIND` and `kouan watchlist lists`."""

from __future__ import annotations

from pathlib import Path

import typer

from kouan.clitools import fail, print_json, read_text
from kouan.db import unit_of_work, utcnow
from kouan.errors import Refusal
from kouan.formats.records import FormatError
from kouan.migrate import ensure_schema
from kouan.watchlist.entries import read_entries
from kouan.watchlist.models import ListKind
from kouan.watchlist.service import Source, import_list, lists

FORMS = {".csv": "csv", ".json": "json", ".jsonl": "ftm", ".ftm": "ftm"}


def import_file(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV, JSON or FollowTheMoney entities."),
    name: str = typer.Option(..., "--list", help="The list's name (created by its first import)."),
    kind: ListKind = typer.Option(..., help="exit_ban, entry_ban, wanted or lost_or_stolen_document."),
    form: str = typer.Option("", "--format", help="csv, json or ftm; by default from the file's suffix."),
    by: str = typer.Option("cli", help="Who imports it (kept with the version and in the audit trail)."),
) -> None:
    """Import the file as the list's next version; prints the version with what it added, removed and changed."""
    ensure_schema()
    chosen = form or FORMS.get(file.suffix.lower(), "csv")
    try:
        read = read_entries(read_text(file), form=chosen)
        with unit_of_work() as session:
            version = import_list(session=session, name=name, kind=kind, read=read,
                                  source=Source(name=file.name, form=chosen, actor=by))  # fmt: skip
    except (FormatError, Refusal) as error:
        fail(f"{file}: {error}")
    print_json(version.model_dump(mode="json"))


def show_lists() -> None:
    """Every list with its latest version and the entries in force today, as JSON."""
    ensure_schema()
    with unit_of_work() as session:
        found = lists(session=session, on=utcnow().date())
    print_json([item.model_dump(mode="json") for item in found])


def add_list_commands(app: typer.Typer) -> None:
    app.command("import")(import_file)
    app.command("lists")(show_lists)
