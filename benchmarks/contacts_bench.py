"""Close contacts on a full 552-seat A380 (two decks) with its crew: `find_contacts` timed. Figures, never asserted.

    .venv/bin/python benchmarks/contacts_bench.py [--repeat 2000]

What one run does: every seat of kouan's A388 layout taken (552 passengers, some in parties of two on one booking) and
24 cabin crew with their positions; three index cases (upper-deck business, two in main-deck economy) under the
China 2020 aircraft rule, which escalates to their cabins, and once more under rows-2 (no escalation: pure row
arithmetic). Each call is timed --repeat times; median and p99 in milliseconds. The baseline is the same call with one
index case, in the same process. Goal: <= 5 ms a call.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from kouan.contacts.finder import ContactFinding, Occupant, find_contacts, index_by_seat
from kouan.contacts.layouts import Layout, capacity, layout_for
from kouan.contacts.rules import ContactRule, rule_named
from kouan.contacts.seats import Seat

INDEX_SEATS = ["10E", "50D", "80G"]


def full_aircraft(layout: Layout) -> list[Occupant]:
    seats = [Seat(row, letter) for cabin in layout.cabins for row in cabin.rows for letter in cabin.letters]
    passengers = [
        Occupant(str(number), f"PAX{number}", "TEST", "passenger", seat, booking_ref=f"B{number // 2:05d}")
        for number, seat in enumerate(seats)
    ]
    positions = [zone.position for zone in layout.crew_zones]
    crew = [
        Occupant(f"crew{number}", f"CREW{number}", "TEST", "crew", None, position=positions[number % len(positions)])
        for number in range(24)
    ]
    return passengers + crew


def timings(call: Callable[[], ContactFinding], *, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p99(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.99) - 1)]


def measure(occupants: list[Occupant], keys: list[str], rule: ContactRule, layout: Layout, repeat: int) -> list[float]:
    return timings(lambda: find_contacts(occupants=occupants, index_keys=keys, rule=rule, layout=layout), repeat=repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    layout = layout_for("A388")
    assert layout is not None
    occupants = full_aircraft(layout)
    keys = index_by_seat(occupants, INDEX_SEATS)
    print(f"A388: {capacity(layout)} seats, {len(occupants)} on board, index cases in {', '.join(INDEX_SEATS)}")
    baseline = measure(occupants, keys[:1], rule_named("cn-2020-aircraft"), layout, args.repeat)
    base = statistics.median(baseline)
    print(f"{'baseline: cn-2020-aircraft, 1 case':<42} median {base:6.3f} ms  p99 {p99(baseline):6.3f} ms")
    for name in ["cn-2020-aircraft", "rows-2"]:
        rule = rule_named(name)
        figures = measure(occupants, keys, rule, layout, args.repeat)
        close = len(find_contacts(occupants=occupants, index_keys=keys, rule=rule, layout=layout).close)
        median = statistics.median(figures)
        label = f"{name}, 3 cases ({close} close)"
        print(f"{label:<42} median {median:6.3f} ms  p99 {p99(figures):6.3f} ms  x{median / base:.2f} baseline")


if __name__ == "__main__":
    main()
