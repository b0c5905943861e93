"""Reading the small hand-written CSV tables shipped in ``reference/data`` (``#`` lines are comments)."""

from __future__ import annotations

import csv
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of ``data/<name>`` as dicts, skipping comment lines."""
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))
