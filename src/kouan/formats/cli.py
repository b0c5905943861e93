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


@app.command("mrz")
def mrz(lines: list[str] = typer.Argument(..., help="The MRZ lines (2 for TD2/TD3, 3 for TD1), each quoted.")) -> None:
    """Print what an ICAO 9303 MRZ says, with every check digit; exit 0 valid or not, 2 when it is not an MRZ."""
    from kouan.formats.mrz import NotAnMrz, mrz_to_dict, parse_mrz

    try:
        print_json(mrz_to_dict(parse_mrz(lines)))
    except NotAnMrz as error:
        fail(str(error))


@app.command("bcbp")
def bcbp(
    text: str = typer.Argument(..., help="The boarding pass barcode's text (IATA BCBP, Resolution 792)."),
    reference: str | None = typer.Option(None, help="A day near the flight (YYYY-MM-DD) to place its Julian date."),
) -> None:
    """Print a boarding pass as JSON; exit 2 with the position when it cannot be read."""
    from datetime import date

    from kouan.clitools import parse_day
    from kouan.formats.bcbp import bcbp_to_dict, parse_bcbp

    try:
        print_json(bcbp_to_dict(parse_bcbp(text, reference=parse_day(reference) or date.today())))
    except FormatError as error:
        fail(f"boarding pass: {error}")


@app.command("fal")
def fal(
    file: Path = typer.Argument(..., help="An IMO FAL Form 5 crew list or Form 6 passenger list (CSV or JSON)."),
) -> None:
    """Print a FAL crew or passenger list as JSON with its warnings; exit 2 when the file is not a FAL list."""
    from kouan.formats.fal import fal_to_dict, parse_fal

    try:
        print_json(fal_to_dict(parse_fal(read_text(file))))
    except FormatError as error:
        fail(f"{file}: {error}")


@app.command("mdh")
def mdh(file: Path = typer.Argument(..., help="A Maritime Declaration of Health (IHR 2005 Annex 8) as JSON.")) -> None:
    """Print a Maritime Declaration of Health as JSON with its warnings; exit 2 when the file is not one."""
    from kouan.formats.mdh import mdh_to_dict, parse_mdh

    try:
        print_json(mdh_to_dict(parse_mdh(read_text(file))))
    except FormatError as error:
        fail(f"{file}: {error}")
