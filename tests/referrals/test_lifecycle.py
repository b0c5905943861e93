"""The loop as a declared machine: every state reachable, closed states final, the diagram in the docs current."""

from __future__ import annotations

from pathlib import Path

import pytest

from kouan.referrals.cli import lifecycle_doc
from kouan.referrals.lifecycle import (
    ACTORS,
    CLOSED,
    EVENTS,
    GUARDS,
    HAS_DESTINATION,
    STATES,
    IllegalMove,
    Loop,
    allowed_events,
    next_state,
    sources,
)

ROOT = Path(__file__).resolve().parents[2]


def test_every_state_is_reachable_from_created() -> None:
    seen, todo = {"created"}, ["created"]
    while todo:
        state = todo.pop()
        for event in allowed_events(state=state, has_destination=True):
            after = next_state(state=state, event=event, has_destination=True)
            if after not in seen:
                seen.add(after)
                todo.append(after)
    assert seen == set(STATES)


@pytest.mark.parametrize("state", CLOSED)
def test_a_closed_loop_allows_nothing(state: str) -> None:
    assert allowed_events(state=state, has_destination=True) == []
    with pytest.raises(IllegalMove, match=f"when the referral is {state}"):
        next_state(state=state, event="lose", has_destination=True)


@pytest.mark.parametrize(
    ("state", "event", "after"),
    [
        ("created", "dispatch", "sent"),
        ("created", "acknowledge", "acknowledged"),
        ("sent", "acknowledge", "acknowledged"),
        ("acknowledged", "hand_over", "handed_over"),
        ("handed_over", "accept", "accepted"),
        ("accepted", "transfer", "transferred"),
        ("transferred", "start_monitoring", "monitoring"),
        ("monitoring", "complete", "completed"),
        ("monitoring", "transfer_elsewhere", "transferred_elsewhere"),
        ("accepted", "lose", "lost_to_follow_up"),
        ("handed_over", "refuse", "refused"),
        ("monitoring", "report_test", "monitoring"),
    ],
)
def test_legal_moves(state: str, event: str, after: str) -> None:
    assert next_state(state=state, event=event, has_destination=True) == after


@pytest.mark.parametrize(
    ("state", "event"),
    [("created", "hand_over"), ("sent", "accept"), ("accepted", "refuse"), ("created", "report_test"),
     ("transferred", "accept"), ("created", "no_such_event")],
)  # fmt: skip
def test_illegal_moves(state: str, event: str) -> None:
    with pytest.raises(IllegalMove):
        next_state(state=state, event=event, has_destination=True)


def test_transfer_is_guarded_by_a_resolved_destination() -> None:
    assert "transfer" not in allowed_events(state="accepted", has_destination=False)
    with pytest.raises(IllegalMove, match="not resolved"):
        next_state(state="accepted", event="transfer", has_destination=False)


def test_every_condition_on_a_move_is_a_declared_guard() -> None:
    conditions = {spec.attr_name for state in Loop.states for move in state.transitions for spec in move.cond}
    assert conditions == {guard.name for guard in GUARDS} == {HAS_DESTINATION.name}
    with pytest.raises(IllegalMove, match=f"cannot transfer: {HAS_DESTINATION.refusal}$"):
        next_state(state="accepted", event="transfer", has_destination=False)


def test_a_move_refused_without_a_guard_says_so_plainly() -> None:
    with pytest.raises(IllegalMove, match="^transfer is not allowed when the referral is created$"):
        next_state(state="created", event="transfer", has_destination=False)


@pytest.mark.parametrize(
    ("event", "states"),
    [
        ("dispatch", {"created"}),
        ("acknowledge", {"created", "sent"}),
        ("report_test", {"accepted", "transferred", "monitoring"}),
        ("refuse", {"created", "sent", "acknowledged", "handed_over"}),
    ],
)
def test_the_states_an_event_fires_from_are_read_from_the_machine(event: str, states: set[str]) -> None:
    assert set(sources(event)) == states


def test_every_event_names_who_may_fire_it() -> None:
    assert set(ACTORS) == set(EVENTS)


def test_the_diagram_in_the_docs_is_generated_from_the_machine() -> None:
    assert (ROOT / "docs" / "referral-lifecycle.md").read_text(encoding="utf-8") == lifecycle_doc()
    assert all(f"--> {state}" in lifecycle_doc() for state in STATES)
