"""Pure core: the loop (闭环) as a declared state machine, validated when the class is defined.

created (pre-arrival) → sent → acknowledged → handed_over (at the port) → accepted (by customs) → transferred (to the
destination) → monitoring → closed, where closed is one of four final states: completed, transferred_elsewhere,
lost_to_follow_up, refused. ``report_test`` records a result without moving the loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from statemachine import State, StateMachine
from statemachine.exceptions import TransitionNotAllowed

from kouan import errors

CLOSED = ("completed", "transferred_elsewhere", "lost_to_follow_up", "refused")


@dataclass(frozen=True)
class Guard:
    """A condition a move needs: the fact it reads on the referral, and why the move is refused without it."""

    name: str
    refusal: str


HAS_DESTINATION = Guard("has_destination", "the destination's health authority is not resolved yet")
GUARDS = (HAS_DESTINATION,)


class Loop(StateMachine):  # type: ignore[misc]
    created = State("Created before arrival / 已生成", initial=True)
    sent = State("Sent / 已推送")
    acknowledged = State("Acknowledged / 已签收")
    handed_over = State("Handed over at the port / 已现场移交")
    accepted = State("Accepted by customs / 海关已接收")
    transferred = State("Transferred to the destination / 已转运目的地")
    monitoring = State("Monitoring started / 已落实管控")
    completed = State("Closed: completed / 闭环：完成", final=True)
    transferred_elsewhere = State("Closed: transferred elsewhere / 闭环：转出", final=True)
    lost_to_follow_up = State("Closed: lost to follow-up / 闭环：失联", final=True)
    refused = State("Closed: refused entry / 闭环：拒绝入境", final=True)

    dispatch = created.to(sent)
    acknowledge = sent.to(acknowledged) | created.to(acknowledged)  # a receipt proves the sending
    hand_over = acknowledged.to(handed_over)
    accept = handed_over.to(accepted)
    transfer = accepted.to(transferred, cond=HAS_DESTINATION.name)
    start_monitoring = transferred.to(monitoring)
    complete = monitoring.to(completed)
    transfer_elsewhere = transferred.to(transferred_elsewhere) | monitoring.to(transferred_elsewhere)
    lose = (
        sent.to(lost_to_follow_up)
        | acknowledged.to(lost_to_follow_up)
        | handed_over.to(lost_to_follow_up)
        | accepted.to(lost_to_follow_up)
        | transferred.to(lost_to_follow_up)
        | monitoring.to(lost_to_follow_up)
    )
    refuse = created.to(refused) | sent.to(refused) | acknowledged.to(refused) | handed_over.to(refused)
    report_test = (
        accepted.to.itself(internal=True) | transferred.to.itself(internal=True) | monitoring.to.itself(internal=True)
    )


EVENTS: tuple[str, ...] = tuple(event.id for event in Loop.events)  # type: ignore[attr-defined]
STATES: tuple[str, ...] = tuple(state.id for state in Loop.states)

# Who may fire each event: the port's customs quarantine, the destination's health authority, our officers, or
# the relay when a delivery succeeds. An agency also acknowledges; the first acknowledgement moves the loop.
ACTORS: dict[str, frozenset[str]] = {
    "dispatch": frozenset({"system"}),
    "acknowledge": frozenset({"port_agency", "destination_agency"}),
    "hand_over": frozenset({"officer"}),
    "accept": frozenset({"port_agency"}),
    "transfer": frozenset({"port_agency"}),
    "start_monitoring": frozenset({"destination_agency"}),
    "complete": frozenset({"destination_agency"}),
    "transfer_elsewhere": frozenset({"destination_agency"}),
    "lose": frozenset({"officer", "port_agency", "destination_agency"}),
    "refuse": frozenset({"officer"}),
    "report_test": frozenset({"port_agency", "destination_agency"}),
}


class IllegalMove(errors.Conflict):
    """The event is not allowed in the referral's state (HTTP 409)."""


@dataclass
class _Model:
    state: str
    has_destination: bool


def next_state(*, state: str, event: str, has_destination: bool) -> str:
    """The state after ``event``; :class:`IllegalMove` if the loop does not allow it from ``state``."""
    if event not in EVENTS:
        raise IllegalMove(f"unknown event {event!r}; the loop knows {', '.join(EVENTS)}")
    return _after(state=state, event=event, has_destination=has_destination)


@cache
def _after(*, state: str, event: str, has_destination: bool) -> str:
    """Asked of the machine once per (state, event, fact): moving thousands of referrals costs one machine."""
    model = _Model(state=state, has_destination=has_destination)
    try:
        Loop(model=model, state_field="state").send(event)
    except TransitionNotAllowed as error:
        raise IllegalMove(_why(model=model, event=event)) from error
    return model.state


def _why(*, model: _Model, event: str) -> str:
    refused = [guard.refusal for guard in _guards(state=model.state, event=event) if not getattr(model, guard.name)]
    return f"cannot {event}: {refused[0]}" if refused else f"{event} is not allowed when the referral is {model.state}"


def _guards(*, state: str, event: str) -> list[Guard]:
    """The guards on the moves ``event`` has from ``state``, read from the machine's transitions."""
    transitions = [t for s in Loop.states if s.id == state for t in s.transitions if t.match(event)]
    names = {spec.attr_name for transition in transitions for spec in transition.cond}
    return [guard for guard in GUARDS if guard.name in names]


def allowed_events(*, state: str, has_destination: bool) -> list[str]:
    """The events the loop allows now, its guards evaluated."""
    machine = Loop(model=_Model(state=state, has_destination=has_destination), state_field="state")
    return [event.id for event in machine.enabled_events()]


def sources(event: str) -> tuple[str, ...]:
    """The states ``event`` may fire from (guards aside): where a bulk move looks for its referrals."""
    return tuple(s.id for s in Loop.states if any(t.match(event) for t in s.transitions))


def is_closed(state: str) -> bool:
    return state in CLOSED


def label(state: str) -> str:
    return str(next(s.name for s in Loop.states if s.id == state))


def mermaid() -> str:
    """The lifecycle as a Mermaid state diagram, generated from the machine itself (docs/referral-lifecycle.md)."""
    lines = ["stateDiagram-v2", "    [*] --> created"]
    for state in Loop.states:
        for transition in state.transitions:
            if transition.source is not transition.target:
                lines.append(f"    {transition.source.id} --> {transition.target.id}: {transition.event}")
    lines += [f"    {state} --> [*]" for state in CLOSED]
    return "\n".join(lines) + "\n"


def describe() -> list[dict[str, Any]]:
    """Every state with its label and whether it closes the loop (for the API and the console)."""
    return [{"state": s.id, "label": s.name, "closed": s.final} for s in Loop.states]
