"""Layouts: physical rows (a skipped 13 and a jump between cabins are not rows), decks, crew zones, inference."""

from __future__ import annotations

import pytest

from kouan.contacts.layouts import capacity, infer_layout, layout_for
from kouan.contacts.seats import Seat, parse_seat
from kouan.demo import cabin as demo_cabin

DEMO_TYPES = ["B748", "B77W", "B789", "B788", "A359", "A333", "A332", "A343", "A321", "B738"]


def apart(aircraft: str, first: str, second: str, *, carrier: str | None = None) -> int | None:
    layout = layout_for(aircraft, carrier=carrier)
    assert layout is not None
    return layout.rows_apart(parse_seat(first), parse_seat(second))


@pytest.mark.parametrize("aircraft", DEMO_TYPES)
def test_every_demo_type_has_a_layout_and_crew_zones_covering_its_rows(aircraft: str) -> None:
    layout = layout_for(aircraft)
    assert layout is not None and not layout.inferred
    served = {row for zone in layout.crew_zones for row in zone.rows}
    assert served == {row for cabin in layout.cabins for row in cabin.rows}


def test_a_carrier_without_row_13_counts_12_and_14_as_neighbours() -> None:
    lufthansa = layout_for("A321", carrier="LH")
    assert lufthansa is not None
    assert lufthansa.cabin_of(Seat(13, "A")) is None
    assert apart("A321", "12A", "14A", carrier="LH") == 1
    assert apart("A321", "16A", "18F", carrier="LH") == 1  # no row 17 either
    assert apart("A321", "12A", "14A") == 2  # the generic A321 has a row 13


def test_the_jump_from_business_to_economy_is_one_row() -> None:
    assert apart("B77W", "17C", "31C") == 1
    assert apart("B77W", "15C", "33C") == 5
    layout = layout_for("B77W")
    assert layout is not None
    assert [layout.cabin_of(parse_seat(seat)).name for seat in ["17C", "31C"]] == ["J", "Y"]  # type: ignore[union-attr]


def test_rows_on_different_decks_are_never_near() -> None:
    assert apart("A388", "24A", "43A") is None
    assert apart("A388", "1A", "24K") == 22  # 23 upper-deck rows: there is no row 5
    assert apart("A388", "43A", "88K") == 45


def test_rows_outside_the_layout_have_no_distance() -> None:
    assert apart("B77W", "20A", "31A") is None


def test_a_carriers_own_layout_comes_first_then_the_type() -> None:
    assert layout_for("A359", carrier="LH") != layout_for("A359")
    assert layout_for("a359 ", carrier="XX") == layout_for("A359")
    assert layout_for("B77W", carrier=None) == layout_for("B77W")
    assert layout_for("ZZZZ") is None
    assert layout_for(None) is None


def test_the_benchmark_layout_seats_about_550_on_two_decks() -> None:
    a388 = layout_for("A388")
    assert a388 is not None
    assert capacity(a388) == 552
    assert {cabin.deck for cabin in a388.cabins} == {"upper", "main"}


def test_crew_zones_are_found_by_row() -> None:
    b77w = layout_for("B77W")
    assert b77w is not None
    assert [zone.position for zone in b77w.zones_for(Seat(33, "A"))] == ["L2"]
    assert [zone.position for zone in b77w.zones_for(Seat(12, "A"))] == ["L1"]
    assert b77w.zones_for(Seat(20, "A")) == ()


def test_the_demo_reads_the_same_capacities() -> None:
    assert demo_cabin.capacity("B77W") == 7 * 6 + 30 * 10
    assert demo_cabin.capacity("A321") == 3 * 4 + 28 * 6
    with pytest.raises(KeyError):
        demo_cabin.capacity("ZZZZ")


def test_inferring_skips_an_empty_13_and_collapses_long_gaps_but_keeps_short_ones() -> None:
    seats = [parse_seat(text) for text in ["10A", "12C", "14A", "16B", "30B", "31K"]]
    layout = infer_layout(seats)
    assert layout.inferred
    assert layout.cabins[0].rows == (10, 11, 12, 14, 15, 16, 30, 31)
    assert layout.cabins[0].letters == "ABCK"
    assert layout.rows_apart(parse_seat("12C"), parse_seat("14A")) == 1
    assert layout.rows_apart(parse_seat("16B"), parse_seat("30B")) == 1
    assert any("17-29" in note for note in layout.notes)
    assert any("row 13" in note for note in layout.notes)


def test_inferring_keeps_13_when_someone_sits_in_it() -> None:
    layout = infer_layout([Seat(12, "A"), Seat(13, "A"), Seat(14, "A")])
    assert layout.cabins[0].rows == (12, 13, 14)
    assert not any("row 13" in note for note in layout.notes)


def test_inferring_from_nobody_gives_an_empty_cabin() -> None:
    layout = infer_layout([])
    assert capacity(layout) == 0
    assert layout.rows_apart(Seat(1, "A"), Seat(1, "A")) is None
