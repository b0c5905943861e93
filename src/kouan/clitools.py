"""Small helpers every domain's commands share: JSON out, clear errors out, a progress bar."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

T = TypeVar("T")
err = Console(stderr=True)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def read_bytes(path: Path) -> bytes:
    """The file's bytes; exit 2 naming the file when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        fail(f"{path}: {error.strerror}")


def decoded_message(data: bytes) -> str:
    """A carrier message's bytes as text: UTF-8, or Latin-1 as some carriers still send."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_text(path: Path) -> str:
    """A carrier message file as text (see ``decoded_message``)."""
    return decoded_message(read_bytes(path))


def utf8_text(path: Path) -> str:
    """The file's text; exit 2 naming the file when it cannot be read, or the first byte that is not UTF-8."""
    data = read_bytes(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        fail(f"{path.name} byte {error.start + 1}: not UTF-8 text")


def parse_day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"--as-of {text!r} is not a date (YYYY-MM-DD)")


def progress(items: Iterable[T], *, total: int, label: str) -> Iterator[T]:
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=False) as bar:
        task = bar.add_task(label, total=total)
        for item in items:
            yield item
            bar.advance(task)
