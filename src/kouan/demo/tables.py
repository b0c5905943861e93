"""The demo's data files under ``data/`` (CSV lines starting with ``#`` are comments)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def read_json(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def weights(text: str) -> tuple[tuple[str, int], ...]:
    """``"CHN:60 ITA:40"`` → ``(("CHN", 60), ("ITA", 40))``."""
    return tuple((code, int(weight)) for code, weight in (item.split(":") for item in text.split()))
