"""Seat maps from ``data/aircraft.csv`` and seating parties side by side."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache

from kouan.demo.tables import read_csv


@dataclass(frozen=True)
class Cabin:
    name: str  # J business, Y economy
    rows: range
    letters: str


@lru_cache(maxsize=1)
def _layouts() -> dict[str, tuple[Cabin, ...]]:
    layouts: dict[str, list[Cabin]] = {}
    for row in read_csv("aircraft.csv"):
        cabin = Cabin(row["cabin"], range(int(row["first_row"]), int(row["last_row"]) + 1), row["letters"])
        layouts.setdefault(row["type"], []).append(cabin)
    return {kind: tuple(cabins) for kind, cabins in layouts.items()}


def capacity(aircraft: str) -> int:
    return sum(len(cabin.rows) * len(cabin.letters) for cabin in _layouts()[aircraft])


@dataclass
class SeatMap:
    """The free seats of one flight, row by row."""

    aircraft: str
    free: dict[str, dict[int, list[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for cabin in _layouts()[self.aircraft]:
            self.free[cabin.name] = {row: list(cabin.letters) for row in cabin.rows}

    def take(self, rng: random.Random, count: int, cabin: str) -> list[str]:
        """``count`` seats, side by side in one row when one has room; fewer only when the aircraft is full."""
        rows = self.free.get(cabin) or self.free["Y"]
        roomy = [row for row, letters in rows.items() if len(letters) >= count]
        if roomy:
            row = rng.choice(roomy)
            start = rng.randrange(len(rows[row])) if count == 1 else 0
            return [f"{row}{rows[row].pop(start)}" for _ in range(count)]
        return [seat for _ in range(count) for seat in self.take_one(rng)]

    def take_one(self, rng: random.Random) -> list[str]:
        open_rows = [(name, row) for name, rows in self.free.items() for row, letters in rows.items() if letters]
        if not open_rows:
            return []
        name, row = rng.choice(open_rows)
        return [f"{row}{self.free[name][row].pop(0)}"]
