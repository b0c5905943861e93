"""Seating parties side by side on the aircraft layouts of ``kouan.contacts.layouts`` (the type's generic layout)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from kouan.contacts import layouts
from kouan.contacts.layouts import Layout


def _layout(aircraft: str) -> Layout:
    found = layouts.layout_for(aircraft)
    if found is None:
        raise KeyError(aircraft)
    return found


def capacity(aircraft: str) -> int:
    return layouts.capacity(_layout(aircraft))


@dataclass
class SeatMap:
    """The free seats of one flight, row by row."""

    aircraft: str
    free: dict[str, dict[int, list[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for cabin in _layout(self.aircraft).cabins:
            self.free.setdefault(cabin.name, {}).update({row: list(cabin.letters) for row in cabin.rows})

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
