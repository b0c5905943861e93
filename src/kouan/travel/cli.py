"""`kouan ingest`: filing carrier messages as a carrier would."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import typer
from sqlalchemy.orm import Session

from kouan.clitools import err, fail, progress, read_text
from kouan.db import unit_of_work
from kouan.formats.paxlst import parse_paxlst
from kouan.formats.pnrgov import parse_pnrgov
from kouan.formats.records import FormatError
from kouan.migrate import ensure_schema
from kouan.screening.service import screen_voyages
from kouan.settings import get_settings
from kouan.travel.history import UnidentifiedVoyage
from kouan.travel.journey_service import ingest_pnrgov
from kouan.travel.queries import get_voyage
from kouan.travel.service import ingest_paxlst


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
            voyage_id, created = _file_message(session=session, raw=raw, port=get_settings().port_of_entry)
    except (FormatError, UnidentifiedVoyage) as error:
        tally.rejected.append(f"{path}: {error}")
        return
    if voyage_id is not None:
        tally.voyage_ids.add(voyage_id)
    if created:
        tally.filed += 1
    else:
        tally.unchanged += 1


def message_type(raw: str) -> str:
    """PAXLST or PNRGOV, from the UNH segment (PAXLST when it does not say)."""
    found = re.search(r"UNH.{1,40}?(PAXLST|PNRGOV)", raw[:4000], flags=re.DOTALL)
    return found.group(1) if found else "PAXLST"


def _file_message(*, session: Session, raw: str, port: str) -> tuple[int | None, bool]:
    if message_type(raw) == "PNRGOV":
        booking = ingest_pnrgov(session=session, message=parse_pnrgov(raw), raw=raw, port=port)
        return booking.voyage_id, booking.created
    result = ingest_paxlst(session=session, message=parse_paxlst(raw), raw=raw, port=port)
    return result.voyage_id, result.created


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
