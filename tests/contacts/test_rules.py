"""Contact rules as versioned data: names, dates on both sides of effective_from, defaults per conveyance."""

from __future__ import annotations

from datetime import date

import pytest

from kouan.contacts.rules import RULES, NotInForce, UnknownRule, default_rule, rule_named, rules_in_force

REQUIRED = {"cn-2020-aircraft", "rows-2", "cabin", "party", "train-carriage", "coach", "ship-cabin"}


def test_the_required_rules_exist_with_unique_names_sources_and_bilingual_titles() -> None:
    names = [rule.name for rule in RULES]
    assert set(names) >= REQUIRED and len(names) == len(set(names))
    assert all(" / " in rule.title and rule.source for rule in RULES)


def test_chinas_2020_aircraft_rule_is_three_rows_crew_party_and_escalates_to_the_cabin() -> None:
    rule = rule_named("cn-2020-aircraft")
    assert (rule.rows, rule.whole_cabin, rule.crew_serving, rule.party) == (3, False, True, True)
    assert rule.escalate_to == "cabin"
    assert "前后各三排" in rule.source


def test_a_rule_is_not_in_force_the_day_before_it_starts_and_is_on_the_day() -> None:
    with pytest.raises(NotInForce, match="2020-02-06"):
        rule_named("cn-2020-aircraft", on=date(2020, 2, 5))
    assert rule_named("cn-2020-aircraft", on=date(2020, 2, 6)).name == "cn-2020-aircraft"


def test_an_unknown_rule_lists_the_known_ones() -> None:
    with pytest.raises(UnknownRule, match="rows-2") as raised:
        rule_named("rows-9")
    assert "rows-9" in str(raised.value)


def test_rules_in_force_are_by_day_and_conveyance() -> None:
    before = {rule.name for rule in rules_in_force(on=date(2020, 2, 5))}
    after = {rule.name for rule in rules_in_force(on=date(2020, 6, 1))}
    assert before == {"rows-2", "party"}
    assert after == {"cn-2020-aircraft", "rows-2", "cabin", "party"}
    assert [rule.name for rule in rules_in_force(on=date(2020, 6, 1), conveyance="ship")] == ["ship-cabin"]


def test_the_default_is_the_conveyances_usual_rule_else_the_first_in_force() -> None:
    assert default_rule(on=date(2020, 3, 15)).name == "cn-2020-aircraft"
    assert default_rule(on=date(2020, 1, 20)).name == "rows-2"
    assert default_rule(on=date(2020, 3, 15), conveyance="train").name == "train-carriage"


def test_no_default_when_nothing_is_in_force() -> None:
    with pytest.raises(NotInForce, match="coach"):
        default_rule(on=date(2020, 3, 15), conveyance="coach")
    assert default_rule(on=date(2022, 5, 1), conveyance="coach").name == "coach"
