"""`kouan db …` and `kouan ingest`: the store's schema, and filing carrier messages as a carrier would."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import typer

from kouan.clitools import err, fail, progress, read_text
from kouan.db import unit_of_work
from kouan.formats.paxlst import parse_paxlst
from kouan.formats.records import FormatError
from kouan.migrate import ensure_schema, upgrade
from kouan.screening.service import screen_voyages
from kouan.settings import get_settings
from kouan.travel.history import UnidentifiedVoyage
from kouan.travel.queries import get_voyage
from kouan.travel.service import ingest_paxlst

app = typer.Typer(help="The operational store.", no_args_is_help=True)


@app.command("upgrade")
def db_upgrade() -> None:
    """Apply the schema migrations (creates the SQLite file when it does not exist)."""
    upgrade(get_settings().database_url)
    err.print(f"database at revision head: {get_settings().database_url}")


@dataclass
class IngestTally:
    filed: int = 0
    unchanged: int = 0
    rejected: list[str] = field(default_factory=list)
    voyage_ids: set[int] = field(default_factory=set)


def ingest_file(*, path: Path, tally: IngestTally) -> None:
    """File one message in its own transaction, so one bad file loses nothing already filed."""
    settings = get_settings()
    raw = read_text(path)
    try:
        with unit_of_work() as session:
            result = ingest_paxlst(session=session, message=parse_paxlst(raw), raw=raw, port=settings.port_of_entry)
    except (FormatError, UnidentifiedVoyage) as error:
        tally.rejected.append(f"{path}: {error}")
        return
    tally.voyage_ids.add(result.voyage_id)
    if result.created:
        tally.filed += 1
    else:
        tally.unchanged += 1


def ingest_files(paths: list[Path]) -> IngestTally:
    """File each message, then screen every voyage they touched in one engine run."""
    tally = IngestTally()
    for path in progress(paths, total=len(paths), label="messages"):
        ingest_file(path=path, tally=tally)
    settings = get_settings()
    with unit_of_work() as session:
        voyages = [v for i in sorted(tally.voyage_ids) if (v := get_voyage(session=session, voyage_id=i))]
        screen_voyages(
            session=session, voyages=voyages, classifier=settings.classifier, backend=settings.screening_backend
        )
    return tally


def ingest(files: list[Path] = typer.Argument(..., help="PAXLST files (or folders of *.edi files).")) -> None:
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
