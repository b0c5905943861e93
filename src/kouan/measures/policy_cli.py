"""`kouan policy check`: which entry policies apply to one arrival, as JSON; bad input exits 2 naming the option."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

import typer

from kouan.clitools import fail, print_json
from kouan.measures.policies import VISA_TYPES, PolicyQuery, beijing_time, decide
from kouan.reference import country, place

app = typer.Typer(help="Entry policies (effective-dated, each citing its legal source).", no_args_is_help=True)


def _moment(text: str) -> datetime:
    try:
        return beijing_time(datetime.fromisoformat(text.strip()))
    except ValueError:
        fail(f"--date {text!r} is not a date and time (YYYY-MM-DDTHH:MM, optionally +08:00 or Z)")


def _arrival(code: str) -> str:
    found = place(code)
    if found is None:
        fail(f"--arrival {code!r} is not a known airport or IATA city code")
    if found.country != "CHN":
        fail(f"--arrival {code!r} is not a port in mainland China")
    return found.code


def _destination(code: str | None) -> str | None:
    if code is None:
        return None
    found = place(code)
    if found is None:
        fail(f"--final-destination {code!r} is not a known airport or IATA city code")
    return found.code


def _nationality(code: str) -> str:
    found = country(code.strip())
    if found is None:
        fail(f"--nationality {code!r} is not a country code (ISO 3166 alpha-3, or an MRZ nationality code)")
    return found.code


def _visa(code: str | None, issued: str | None) -> tuple[str | None, date | None]:
    if code is not None and code.strip().upper() not in VISA_TYPES:
        fail(f"--visa-type {code!r} is not one of {', '.join(sorted(VISA_TYPES))}")
    if issued is not None and code is None:
        fail("--visa-issued needs --visa-type")
    try:
        return (code.strip().upper() if code else None), (date.fromisoformat(issued) if issued else None)
    except ValueError:
        fail(f"--visa-issued {issued!r} is not a date (YYYY-MM-DD)")


@app.command("check")
def check(
    when: str = typer.Option(
        ..., "--date", help="Arrival time, YYYY-MM-DDTHH:MM; Beijing time unless an offset is given."
    ),
    arrival: str = typer.Option(..., "--arrival", help="IATA code of the first point of entry (BJS = Beijing)."),
    nationality: str = typer.Option(..., "--nationality", help="Nationality, ISO 3166 alpha-3 (or an MRZ code)."),
    final_destination: str | None = typer.Option(None, "--final-destination", help="IATA code of the flight's end."),
    visa_type: str | None = typer.Option(None, "--visa-type", help="L, M, Z, C, DIPLOMATIC, TRANSIT-144, PORT, APEC…"),
    visa_issued: str | None = typer.Option(None, "--visa-issued", help="Visa issue date, YYYY-MM-DD."),
    residence_permit: bool = typer.Option(False, "--residence-permit", help="Holds a Chinese residence permit."),
    flight: str | None = typer.Option(None, "--flight", help="Flight number, e.g. CA934."),
) -> None:
    """Decide allowed / allowed_with_conditions / divert / refuse_entry, listing every rule that applied."""
    visa, issued = _visa(visa_type, visa_issued)
    query = PolicyQuery(
        at=_moment(when),
        arrival=_arrival(arrival),
        nationality=_nationality(nationality),
        final_destination=_destination(final_destination),
        visa_type=visa,
        visa_issued=issued,
        residence_permit=residence_permit,
        flight=flight,
    )
    result = decide(query)
    print_json({"at": query.at.isoformat(), "decision": result.decision, "rules": [asdict(r) for r in result.rules]})
