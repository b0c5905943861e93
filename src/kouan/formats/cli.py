"""`kouan formats …`: parse a carrier message and print what was read, as JSON."""

from __future__ import annotations

from pathlib import Path

import typer

from kouan.clitools import fail, print_json, read_text
from kouan.formats.paxlst import parse_paxlst, paxlst_to_dict
from kouan.formats.pnrgov import parse_pnrgov, pnrgov_to_dict
from kouan.formats.records import FormatError

app = typer.Typer(help="Parse carrier messages (pure parsers, nothing is stored).", no_args_is_help=True)


@app.command("paxlst")
def paxlst(file: Path = typer.Argument(..., help="A UN/EDIFACT PAXLST message.")) -> None:
    """Print a PAXLST message as JSON; exit 2 with the position when it cannot be read."""
    try:
        message = parse_paxlst(read_text(file))
    except FormatError as error:
        fail(f"{file}: {error}")
    print_json(paxlst_to_dict(message))


@app.command("pnrgov")
def pnrgov(file: Path = typer.Argument(..., help="A UN/EDIFACT PNRGOV push message (10.1, 11.1 or 13.1).")) -> None:
    """Print a PNRGOV message's bookings as JSON; exit 2 with the position when it cannot be read."""
    try:
        message = parse_pnrgov(read_text(file))
    except FormatError as error:
        fail(f"{file}: {error}")
    print_json(pnrgov_to_dict(message))
