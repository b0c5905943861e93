"""Finding close contacts on real layouts: rows across a skipped 13 and a cabin jump but not across decks, crew by
position, free seating, parties, escalation, compartments; and the conservative choices, each said."""

from __future__ import annotations

import pytest

from kouan.contacts.finder import ContactFinding, Occupant, UnknownIndex, find_contacts, index_by_seat
from kouan.contacts.layouts import layout_for
from kouan.contacts.rules import rule_named
from kouan.contacts.seats import BadSeat, seat_or_none

CN = rule_named("cn-2020-aircraft")


def passengers(*seats: str, booking: dict[str, str] | None = None) -> list[Occupant]:
    booking = booking or {}
    return [
        Occupant(seat, f"PAX{seat}", "TEST", "passenger", seat_or_none(seat), booking_ref=booking.get(seat))
        for seat in seats
    ]


def crew(key: str, *, position: str | None = None, compartment: str | None = None) -> Occupant:
    return Occupant(key, f"CREW{key}", "TEST", "crew", None, position=position, compartment=compartment)


def rider(key: str, compartment: str | None, *, role: str = "passenger") -> Occupant:
    return Occupant(key, f"RIDER{key}", "TEST", role, None, compartment=compartment)


def find(occupants: list[Occupant], *index: str, rule: str = "cn-2020-aircraft", aircraft: str | None = None,
         carrier: str | None = None) -> ContactFinding:  # fmt: skip
    layout = layout_for(aircraft, carrier=carrier)
    return find_contacts(occupants=occupants, index_keys=list(index), rule=rule_named(rule), layout=layout)


def close_keys(finding: ContactFinding) -> set[str]:
    return {contact.occupant.key for contact in finding.close}


def general_keys(finding: ContactFinding) -> set[str]:
    return {occupant.key for occupant in finding.general}


def test_three_rows_either_side_across_a_skipped_row_13() -> None:
    board = passengers("9C", "10C", "12A", "14C", "15K", "16A", "18F", "19A")
    finding = find(board, "14C", aircraft="A321", carrier="LH")
    assert close_keys(finding) == {"10C", "12A", "15K", "16A", "18F"}  # LH has neither 13 nor 17
    assert general_keys(finding) == {"9C", "19A"}
    by_key = {contact.occupant.key: contact for contact in finding.close}
    assert by_key["18F"].rows_from_index == 3
    assert by_key["18F"].reason == "row 18: 3 rows behind the case in 14C"
    assert by_key["12A"].reason == "row 12: 1 row in front of the case in 14C"
    assert all(contact.index_key == "14C" and contact.kind == "close" for contact in finding.close)
    assert finding.index == tuple(occupant for occupant in board if occupant.key == "14C")


def test_rows_cross_the_jump_between_business_and_economy() -> None:
    board = passengers("15A", "16A", "17K", "31A", "32C", "34D", "35A", "36A")
    finding = find(board, "32C", aircraft="B77W")
    assert close_keys(finding) == {"16A", "17K", "31A", "34D", "35A"}
    assert general_keys(finding) == {"15A", "36A"}
    assert [contact.occupant.key for contact in finding.close] == ["31A", "17K", "34D", "16A", "35A"]


def test_rows_never_cross_decks() -> None:
    board = passengers("21A", "24A", "43A", "44K")
    finding = find(board, "24A", aircraft="A388")
    assert close_keys(finding) == {"21A"}
    assert general_keys(finding) == {"43A", "44K"}


def test_crew_serving_a_close_row_are_close_and_the_others_general() -> None:
    board = passengers("33C", "50A") + [crew(p, position=p) for p in ("L1", "L2", "L3", "L4")]
    finding = find(board, "33C", aircraft="B77W")
    # row 17 (L1, business) is 3 physical rows in front of 33
    assert close_keys(finding) == {"L1", "L2"}
    assert general_keys(finding) == {"50A", "L3", "L4"}
    assert {contact.reason for contact in finding.close} == {"cabin crew serving L1", "cabin crew serving L2"}
    assert finding.notes == ()


@pytest.mark.parametrize("position", [None, "X9"])
def test_crew_whose_position_is_unknown_are_all_counted_with_a_note(position: str | None) -> None:
    board = passengers("33C", "60A") + [crew("c1", position=position), crew("c2", position=position)]
    finding = find(board, "33C", aircraft="B77W")
    assert close_keys(finding) == {"c1", "c2"}
    assert "crew positions unknown: all cabin crew counted" in finding.notes
    assert all(contact.rows_from_index is None for contact in finding.close)


def test_a_passenger_with_no_seat_is_close_under_a_rows_rule_and_sorted_last() -> None:
    board = passengers("31A", "32A", "", "60A")
    finding = find(board, "31A", aircraft="B77W")
    assert close_keys(finding) == {"32A", ""}
    last = finding.close[-1]
    assert (last.occupant.key, last.rows_from_index, last.reason) == ("", None, "no seat known: counted as close")


def test_an_index_case_with_no_seat_makes_everyone_close_with_a_note() -> None:
    board = passengers("", "11A", "60K") + [crew("c1", position="L4")]
    finding = find(board, "", aircraft="B77W")
    assert close_keys(finding) == {"11A", "60K", "c1"}
    assert finding.general == ()
    assert any("unknown" in note and "everyone" in note for note in finding.notes)


def test_the_party_on_the_cases_booking_is_close_wherever_they_sit() -> None:
    board = passengers("31A", "58K", "59K", booking={"31A": "ABC123", "58K": "ABC123", "59K": "XYZ999"})
    finding = find(board, "31A", aircraft="B77W")
    assert close_keys(finding) == {"58K"}
    assert finding.close[0].reason == "same booking ABC123"
    assert finding.close[0].rows_from_index == 27


def test_two_cases_widen_the_china_rule_to_their_cabins() -> None:
    board = passengers("2A", "10C", "20A", "35A", "40K")
    finding = find(board, "20A", "35A", aircraft="A359", carrier="LH")
    assert close_keys(finding) == {"40K"}  # the whole economy cabin; business and premium economy are general
    assert general_keys(finding) == {"2A", "10C"}
    assert finding.close[0].rule == "cn-2020-aircraft (escalated: 2 cases)"
    assert "escalated: 2 cases" in finding.applied


def test_two_cases_under_the_cabin_rule_take_the_whole_aircraft() -> None:
    board = passengers("11A", "31A", "45A", "60K")
    finding = find(board, "31A", "45A", rule="cabin", aircraft="B77W")
    assert close_keys(finding) == {"11A", "60K"}
    assert finding.general == ()


def test_the_cabin_rule_takes_the_cases_cabin_and_the_crew_serving_it() -> None:
    board = passengers("11A", "17K", "31A", "60K") + [crew("L1", position="L1"), crew("L3", position="L3")]
    finding = find(board, "11A", rule="cabin", aircraft="B77W")
    assert close_keys(finding) == {"17K", "L1"}
    assert general_keys(finding) == {"31A", "60K", "L3"}
    assert finding.close[0].reason == "cabin J: same cabin as the case in 11A"


def test_two_rows_either_side_leaves_the_third_row_and_the_party_out() -> None:
    board = passengers("31A", "33A", "34A", "50A", booking={"31A": "ABC123", "50A": "ABC123"})
    finding = find(board, "31A", rule="rows-2", aircraft="B77W")
    assert close_keys(finding) == {"33A"}
    assert general_keys(finding) == {"34A", "50A"}


def test_the_party_rule_takes_only_the_booking() -> None:
    board = passengers("31A", "32A", "50A", booking={"31A": "ABC123", "50A": "ABC123"}) + [crew("c1")]
    finding = find(board, "31A", rule="party", aircraft="B77W")
    assert close_keys(finding) == {"50A"}
    assert general_keys(finding) == {"32A", "c1"}


def test_without_a_layout_it_is_inferred_from_the_seats_conservatively() -> None:
    board = passengers("10A", "12A", "14A", "15A", "16A", "17A", "18A", "19A", "30A")
    finding = find(board, "14A")
    # rows 10 11 12 14 15 16 17 18 19 30: no 13, and 20-29 is a numbering jump, so 30 is 6 rows behind 14
    assert close_keys(finding) == {"10A", "12A", "15A", "16A", "17A"}
    assert general_keys(finding) == {"18A", "19A", "30A"}
    assert "layout inferred from the seats: one cabin, one deck" in finding.notes


def test_a_layout_that_lacks_occupied_rows_is_replaced_by_an_inferred_one() -> None:
    board = passengers("31A", "70A")
    finding = find(board, "31A", aircraft="B77W")
    assert any("has no row 70" in note for note in finding.notes)
    assert close_keys(finding) == {"70A"}  # inferred: the empty 32-69 is read as a numbering jump, so 70 is next


def test_index_by_seat_finds_the_holders_and_names_what_is_wrong() -> None:
    board = passengers("31A", "32B")
    assert index_by_seat(board, ["032b", "31A"]) == ["32B", "31A"]
    with pytest.raises(UnknownIndex, match="40C"):
        index_by_seat(board, ["40C"])
    with pytest.raises(BadSeat, match="C40"):
        index_by_seat(board, ["C40"])


def test_an_index_key_not_on_board_is_refused() -> None:
    with pytest.raises(UnknownIndex, match="nobody"):
        find(passengers("31A"), "nobody", aircraft="B77W")


def test_a_sealed_train_takes_the_carriage_and_its_crew() -> None:
    board = [rider("a", "5"), rider("b", "5"), rider("c", "6"), rider("d", None)]
    board += [crew("k5", position="5"), crew("k6", position="6"), crew("k?")]
    finding = find(board, "a", rule="train-carriage")
    assert close_keys(finding) == {"b", "d", "k5", "k?"}
    assert general_keys(finding) == {"c", "k6"}
    reasons = {contact.occupant.key: contact.reason for contact in finding.close}
    assert reasons["b"] == "same carriage 5"
    assert reasons["d"] == "no carriage known: counted as close"
    assert reasons["k5"] == "crew serving carriage 5"
    assert "crew positions unknown: all crew counted as serving the carriage" in finding.notes


def test_a_case_in_an_unknown_carriage_makes_everyone_close() -> None:
    finding = find([rider("a", None), rider("b", "5"), rider("c", "6")], "a", rule="train-carriage")
    assert close_keys(finding) == {"b", "c"}
    assert any("carriage of case a unknown" in note for note in finding.notes)


def test_a_coach_takes_everyone_on_the_same_coach() -> None:
    board = [rider("a", "bus 1"), rider("b", "bus 1"), rider("c", "bus 2"), crew("driver", compartment="bus 1")]
    finding = find(board, "a", rule="coach")
    assert close_keys(finding) == {"b", "driver"}
    assert general_keys(finding) == {"c"}


def test_a_ship_takes_the_cabin_and_the_crew_serving_it() -> None:
    board = [rider("a", "D101"), rider("b", "D101"), rider("c", "D102"), crew("s1", position="D101")]
    board += [crew("s2", position="D102")]
    finding = find(board, "a", rule="ship-cabin")
    assert close_keys(finding) == {"b", "s1"}
    assert general_keys(finding) == {"c", "s2"}
    assert all(contact.rows_from_index is None for contact in finding.close)
