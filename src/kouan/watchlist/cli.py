"""`kouan watchlist`: the lists and matching against them. `import` and `lists` (``list_cli``) keep the lists;
`compare` checks name pairs from a CSV file."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import typer

from kouan.clitools import fail, utf8_text
from kouan.watchlist.entries import SEXES
from kouan.watchlist.list_cli import add_list_commands
from kouan.watchlist.matching import Entry, Person, compare
from kouan.watchlist.matching.dates import BadDate, parse_birth_date

watchlist_app = typer.Typer(help="Watchlists (布控名单): import, list, match names.", no_args_is_help=True)
add_list_commands(watchlist_app)

NAME_COLUMNS = ("name1", "name2")
OPTIONAL_COLUMNS = ("dob1", "dob2", "nat1", "nat2", "sex1", "sex2")


@watchlist_app.command("compare")
def compare_command(
    pairs: Path = typer.Option(..., "--pairs", help="CSV with columns name1,name2 [,dob1,dob2,nat1,nat2,sex1,sex2]."),
) -> None:
    """Compare each row's two names (name1 as listed, name2 as a traveller's) and print one JSON object per row,
    in order: name1, name2, score (0-1), match and explanation. A bad file or row: exit 2 naming the place."""
    for entry, person in _rows(utf8_text(pairs), pairs.name):
        result = compare(listed=entry, given=person)
        line = {"name1": entry.names[0], "name2": person.names[0], "score": result.score, "match": result.match}
        line["explanation"] = result.explanation
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")


def _rows(text: str, file_name: str) -> Iterator[tuple[Entry, Person]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [column for column in NAME_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        fail(f"{file_name} row 1: no column {', '.join(missing)} (the header must name name1,name2)")
    for number, row in enumerate(reader, start=2):
        yield _pair(row, f"{file_name} row {number}")


def _pair(row: dict[str, str | None], place: str) -> tuple[Entry, Person]:
    values = {column: (row.get(column) or "").strip() for column in (*NAME_COLUMNS, *OPTIONAL_COLUMNS)}
    for column in NAME_COLUMNS:
        if not values[column]:
            fail(f"{place} column {column}: empty name")
    for column in ("dob1", "dob2"):
        try:
            parse_birth_date(values[column])
        except BadDate as error:
            fail(f"{place} column {column}: {error}")
    sex1, sex2 = (_sex(values[column], f"{place} column {column}") for column in ("sex1", "sex2"))
    entry = Entry("name1", (values["name1"],), values["dob1"] or None, values["nat1"] or None, sex=sex1)
    return entry, Person("name2", (values["name2"],), values["dob2"] or None, values["nat2"] or None, sex=sex2)


def _sex(value: str, place: str) -> str | None:
    """M, F or X (or male, female, other); empty: not known."""
    if value and value.upper() not in SEXES:
        fail(f"{place}: {value!r} is not M, F or X")
    return SEXES[value.upper()] if value else None
