"""Cabin layouts: which physical rows an aircraft has, on which deck, and which crew position serves them.

Distances are counted in physical rows, not row numbers: numbers an airline skips (13) and the jump between cabins
(business 17 → economy 31) are not rows anybody sits in.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from kouan.contacts.seats import Seat

DATA_DIR = Path(__file__).parent / "data"
_UNLUCKY_ROW = 13
_JUMP = 3  # this many or more consecutive empty row numbers are read as a numbering jump, not as empty rows


@dataclass(frozen=True)
class Cabin:
    name: str
    rows: tuple[int, ...]
    letters: str
    deck: str = "main"


@dataclass(frozen=True)
class CrewZone:
    position: str
    cabin: str
    rows: tuple[int, ...]


@dataclass(frozen=True)
class Layout:
    aircraft: str
    cabins: tuple[Cabin, ...]
    crew_zones: tuple[CrewZone, ...] = ()
    inferred: bool = False
    notes: tuple[str, ...] = ()

    @cached_property
    def _places(self) -> dict[int, tuple[Cabin, int]]:
        """Each row number → its cabin and its physical position on its deck, front to back."""
        places: dict[int, tuple[Cabin, int]] = {}
        counts: dict[str, int] = {}
        for cabin in self.cabins:
            for row in cabin.rows:
                places[row] = (cabin, counts.get(cabin.deck, 0))
                counts[cabin.deck] = counts.get(cabin.deck, 0) + 1
        return places

    @cached_property
    def _zones_by_row(self) -> dict[int, tuple[CrewZone, ...]]:
        by_row: dict[int, list[CrewZone]] = {}
        for zone in self.crew_zones:
            for row in zone.rows:
                by_row.setdefault(row, []).append(zone)
        return {row: tuple(zones) for row, zones in by_row.items()}

    def cabin_of(self, seat: Seat) -> Cabin | None:
        place = self._places.get(seat.row)
        return place[0] if place else None

    def has_row(self, row: int) -> bool:
        return row in self._places

    def rows_apart(self, a: Seat, b: Seat) -> int | None:
        """Physical rows between two seats (0: the same row); None on different decks or outside the layout."""
        first, second = self._places.get(a.row), self._places.get(b.row)
        if first is None or second is None or first[0].deck != second[0].deck:
            return None
        return abs(first[1] - second[1])

    def zones_for(self, seat: Seat) -> tuple[CrewZone, ...]:
        return self._zones_by_row.get(seat.row, ())


def layout_for(aircraft: str | None, *, carrier: str | None = None) -> Layout | None:
    """The carrier's own layout of this type when there is one, else the type's; None for an unknown type."""
    if not aircraft:
        return None
    layouts = _layouts()
    kind, operator = aircraft.strip().upper(), (carrier or "").strip().upper()
    return layouts.get((kind, operator)) or layouts.get((kind, ""))


def capacity(layout: Layout) -> int:
    return sum(len(cabin.rows) * len(cabin.letters) for cabin in layout.cabins)


def infer_layout(seats: Iterable[Seat]) -> Layout:
    """One cabin from the occupied seats, numbered conservatively: a doubt always brings rows closer, never farther."""
    occupied = list(seats)
    taken = sorted({seat.row for seat in occupied})
    jumps = _jumps(taken)
    unlucky = bool(taken) and taken[0] < _UNLUCKY_ROW < taken[-1] and _UNLUCKY_ROW not in taken
    dropped = set().union(*jumps) | ({_UNLUCKY_ROW} if unlucky else set())
    rows = tuple(row for row in range(taken[0], taken[-1] + 1) if row not in dropped) if taken else ()
    notes = ["layout inferred from the seats: one cabin, one deck"]
    notes += [f"rows {jump[0]}-{jump[-1]} have nobody in them: taken as a numbering jump" for jump in jumps]
    notes += ["row 13 has nobody in it: taken as a number the airline skips"] if unlucky else []
    letters = "".join(sorted({seat.letter for seat in occupied}))
    return Layout(aircraft="unknown", cabins=(Cabin("Y", rows, letters),), inferred=True, notes=tuple(notes))


def _jumps(taken: list[int]) -> list[range]:
    """Runs of empty row numbers long enough to be a numbering jump rather than rows nobody sat in."""
    gaps = (range(before + 1, after) for before, after in zip(taken, taken[1:], strict=False))
    return [gap for gap in gaps if len(gap) >= _JUMP]


@lru_cache(maxsize=1)
def _layouts() -> dict[tuple[str, str], Layout]:
    cabins: dict[tuple[str, str], list[Cabin]] = {}
    for line in _read_csv("aircraft.csv"):
        cabins.setdefault((line["type"], line.get("carrier") or ""), []).append(_cabin(line))
    zones: dict[tuple[str, str], list[CrewZone]] = {}
    for line in _read_csv("crew_zones.csv"):
        rows = tuple(range(int(line["first_row"]), int(line["last_row"]) + 1))
        zones.setdefault((line["type"], line.get("carrier") or ""), []).append(
            CrewZone(line["position"], line["cabin"], rows)
        )
    return {key: Layout(key[0], tuple(found), tuple(zones.get(key, ()))) for key, found in cabins.items()}


def _cabin(line: dict[str, str]) -> Cabin:
    skipped = {int(number) for number in (line.get("skip_rows") or "").split()}
    rows = tuple(row for row in range(int(line["first_row"]), int(line["last_row"]) + 1) if row not in skipped)
    return Cabin(line["cabin"], rows, line["letters"], line.get("deck") or "main")


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))
