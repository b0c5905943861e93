"""`kouan overstays --on DATE [--port P]`: the foreigners past their permitted stay on a day, as JSON."""

from __future__ import annotations

from datetime import date

import typer

from kouan.clitools import err, fail, print_json
from kouan.db import read_only
from kouan.migrate import ensure_schema
from kouan.overstays.service import overstays


def overstays_command(
    on: str = typer.Option(..., "--on", help="The day (YYYY-MM-DD, the port's local date)."),
    port: str = typer.Option("", "--port", help="Only those who entered at this port (IATA or UN/LOCODE)."),
) -> None:
    """Print a JSON array of the foreigners past their permitted stay on the day with no exit, most days first;
    how many could not be judged (no basis of stay recorded) goes to standard error."""
    try:
        day = date.fromisoformat(on)
    except ValueError:
        fail(f"--on {on!r} is not a date (YYYY-MM-DD)")
    ensure_schema()
    with read_only() as session:
        found = overstays(session=session, on=day, ports=frozenset({port.strip().upper()}) if port.strip() else None)
    print_json([item.model_dump(mode="json") for item in found.items])
    if found.cannot_say:
        err.print(f"{found.cannot_say} foreigners with no exit have no known stay basis: not listed", highlight=False)
