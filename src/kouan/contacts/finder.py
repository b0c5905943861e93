"""Finding the close contacts of index cases on one voyage, by a contact rule and a cabin layout.

Conservative throughout: someone whose place on board is unknown counts as close, never as general, and each
such judgement is said in the contact's reason or the finding's notes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from kouan import errors
from kouan.contacts.layouts import Cabin, Layout, infer_layout
from kouan.contacts.rules import ContactRule
from kouan.contacts.seats import Seat, parse_seat

_COMPARTMENT = {"train": "carriage", "coach": "coach", "ship": "cabin", "aircraft": "cabin"}
_CREW_UNKNOWN = "crew positions unknown: all cabin crew counted"


@dataclass(frozen=True)
class Occupant:
    key: str
    surname: str
    given_names: str
    role: str
    seat: Seat | None
    booking_ref: str | None = None
    position: str | None = None
    compartment: str | None = None


@dataclass(frozen=True)
class Contact:
    occupant: Occupant
    index_key: str
    rule: str
    kind: Literal["close", "general"]
    rows_from_index: int | None
    reason: str


@dataclass(frozen=True)
class ContactFinding:
    rule: ContactRule
    applied: str
    index: tuple[Occupant, ...]
    close: tuple[Contact, ...]
    general: tuple[Occupant, ...]
    notes: tuple[str, ...]


class UnknownIndex(errors.Invalid):
    """An index case nobody on board matches (a seat nobody holds, a key not on the list)."""


@dataclass(frozen=True)
class _Scope:
    """Where close contacts are: within ``rows`` of a case, in ``cabins``, everywhere, or nowhere by place."""

    kind: Literal["rows", "cabins", "everyone", "none"]
    applied: str
    rows: int = 0
    cases_by_cabin: Mapping[tuple[str, str], tuple[Occupant, ...]] = field(default_factory=dict)  # by (deck, name)


@dataclass(frozen=True)
class _Verdict:
    index_key: str
    rows_from_index: int | None
    reason: str


def index_by_seat(occupants: Sequence[Occupant], seats: Sequence[str]) -> list[str]:
    """The keys of those sitting in ``seats``; BadSeat for an unreadable seat, UnknownIndex for an empty one."""
    holders = {occupant.seat: occupant.key for occupant in occupants if occupant.seat is not None}
    keys = []
    for text in seats:
        seat = parse_seat(text)
        if seat not in holders:
            raise UnknownIndex(f"nobody on board holds seat {seat} (given as {text!r})")
        keys.append(holders[seat])
    return keys


def find_contacts(
    *, occupants: Sequence[Occupant], index_keys: Sequence[str], rule: ContactRule, layout: Layout | None
) -> ContactFinding:
    index = _index(occupants, index_keys)
    notes: list[str] = []
    escalated = len(index) > 1 and rule.escalate_to is not None
    label = f"{rule.name} (escalated: {len(index)} cases)" if escalated else rule.name
    if rule.conveyance == "aircraft":
        layout = _usable_layout(occupants, layout, notes)
        scope = _aircraft_scope(rule=rule, index=index, layout=layout, notes=notes)
        verdicts = _judge_aircraft(occupants=occupants, index=index, rule=rule, layout=layout, scope=scope, notes=notes)
    else:
        scope = _compartment_scope(rule=rule, index=index, notes=notes)
        verdicts = _judge_compartments(occupants=occupants, index=index, rule=rule, scope=scope, notes=notes)
    close = [
        Contact(occupant, found.index_key, label, "close", found.rows_from_index, found.reason)
        for occupant, found in verdicts
    ]
    close.sort(key=_order)
    closed = {contact.occupant.key for contact in close} | {case.key for case in index}
    general = tuple(occupant for occupant in occupants if occupant.key not in closed)
    applied = scope.applied + ("; same booking as a case" if rule.party else "")
    return ContactFinding(rule, applied, index, tuple(close), general, tuple(dict.fromkeys(notes)))


def _index(occupants: Sequence[Occupant], index_keys: Sequence[str]) -> tuple[Occupant, ...]:
    by_key = {occupant.key: occupant for occupant in occupants}
    missing = [key for key in index_keys if key not in by_key]
    if missing or not index_keys:
        raise UnknownIndex(f"index case(s) not on board: {', '.join(missing) or 'none given'}")
    return tuple(by_key[key] for key in dict.fromkeys(index_keys))


def _order(contact: Contact) -> tuple[bool, int, bool, int, str, str]:
    rows, seat = contact.rows_from_index, contact.occupant.seat
    place = (seat.row, seat.letter) if seat else (0, "")
    return (rows is None, rows or 0, seat is None, *place, contact.occupant.key)


def _usable_layout(occupants: Sequence[Occupant], layout: Layout | None, notes: list[str]) -> Layout:
    """The given layout when it has every occupied row; otherwise one inferred from the seats."""
    seats = [occupant.seat for occupant in occupants if occupant.seat is not None]
    if layout is not None:
        outside = sorted({seat.row for seat in seats if not layout.has_row(seat.row)})
        if not outside:
            return layout
        notes.append(f"layout {layout.aircraft} has no row {', '.join(map(str, outside))}: not used")
    inferred = infer_layout(seats)
    notes.extend(inferred.notes)
    return inferred


def _aircraft_scope(*, rule: ContactRule, index: tuple[Occupant, ...], layout: Layout, notes: list[str]) -> _Scope:
    cases = f"{len(index)} cases on board"
    if len(index) > 1 and rule.escalate_to == "conveyance":
        return _Scope("everyone", f"everyone on board (escalated: {cases})")
    by_cabin = (len(index) > 1 and rule.escalate_to == "cabin") or rule.whole_cabin
    if not by_cabin and rule.rows is None:
        return _Scope("none", "no one by seat")
    unplaced = [case for case in index if case.seat is None or not layout.has_row(case.seat.row)]
    if unplaced:
        notes.append(f"seat of case {unplaced[0].key} unknown, so its cabin is unknown: everyone on board counted")
        return _Scope("everyone", "everyone on board (a case's seat is unknown)")
    if by_cabin:
        cases_by_cabin: dict[tuple[str, str], tuple[Occupant, ...]] = {}
        for case in index:
            key = _cabin_key(layout, case.seat) if case.seat else ("", "")
            cases_by_cabin[key] = (*cases_by_cabin.get(key, ()), case)
        names = ", ".join(sorted(f"{name} ({deck} deck)" for deck, name in cases_by_cabin))
        escalation = f" (escalated: {cases})" if not rule.whole_cabin else ""
        return _Scope("cabins", f"whole cabin {names}{escalation}" + _crew_words(rule), cases_by_cabin=cases_by_cabin)
    rows = rule.rows or 0
    return _Scope("rows", f"same row and {rows} rows either side, same deck" + _crew_words(rule), rows=rows)


def _crew_words(rule: ContactRule) -> str:
    return "; cabin crew serving them" if rule.crew_serving else ""


def _judge_aircraft(
    *,
    occupants: Sequence[Occupant],
    index: tuple[Occupant, ...],
    rule: ContactRule,
    layout: Layout,
    scope: _Scope,
    notes: list[str],
) -> list[tuple[Occupant, _Verdict]]:
    area = _close_rows(index=index, layout=layout, scope=scope)
    index_keys = {case.key for case in index}
    verdicts = []
    for occupant in occupants:
        if occupant.key in index_keys:
            continue
        found = _by_place(occupant=occupant, index=index, layout=layout, scope=scope)
        if found is None and rule.crew_serving and occupant.role == "crew":
            found = _by_crew_zone(occupant=occupant, layout=layout, area=area, index=index, notes=notes)
        if found is None and rule.party:
            found = _by_booking(occupant=occupant, index=index, layout=layout)
        if found is not None:
            verdicts.append((occupant, found))
    return verdicts


def _close_rows(*, index: tuple[Occupant, ...], layout: Layout, scope: _Scope) -> dict[int, str]:
    """Every row in the close area → the case it is close to (for matching crew zones)."""
    area: dict[int, str] = {}
    for cabin in layout.cabins:
        for row in cabin.rows:
            case = _case_near_row(row=row, cabin=cabin, index=index, layout=layout, scope=scope)
            if case is not None:
                area[row] = case
    return area


def _case_near_row(*, row: int, cabin: Cabin, index: tuple[Occupant, ...], layout: Layout, scope: _Scope) -> str | None:
    if scope.kind == "everyone":
        return index[0].key
    if scope.kind == "cabins":
        cases = scope.cases_by_cabin.get((cabin.deck, cabin.name))
        return cases[0].key if cases else None
    if scope.kind == "rows":
        nearest = _nearest(seat=Seat(row, ""), index=index, layout=layout)
        return nearest[1].key if nearest and nearest[0] <= scope.rows else None
    return None


def _nearest(*, seat: Seat, index: tuple[Occupant, ...], layout: Layout) -> tuple[int, Occupant] | None:
    best: tuple[int, Occupant] | None = None
    for case in index:
        apart = layout.rows_apart(seat, case.seat) if case.seat else None
        if apart is not None and (best is None or apart < best[0]):
            best = (apart, case)
    return best


def _by_place(*, occupant: Occupant, index: tuple[Occupant, ...], layout: Layout, scope: _Scope) -> _Verdict | None:
    if scope.kind == "none":
        return None
    if occupant.seat is None:
        if occupant.role == "crew" and scope.kind != "everyone":
            return None
        return _Verdict(index[0].key, None, "no seat known: counted as close")
    if scope.kind == "cabins":
        return _by_cabin(occupant.seat, layout=layout, scope=scope)
    nearest = _nearest(seat=occupant.seat, index=index, layout=layout)
    apart, case = nearest if nearest else (None, index[0])
    if scope.kind == "everyone":
        return _Verdict(case.key, apart, f"everyone on board: {scope.applied}")
    if apart is None or apart > scope.rows or case.seat is None:
        return None
    return _Verdict(case.key, apart, _rows_reason(occupant.seat, case_seat=case.seat, apart=apart))


def _by_cabin(seat: Seat, *, layout: Layout, scope: _Scope) -> _Verdict | None:
    key = _cabin_key(layout, seat)
    same = scope.cases_by_cabin.get(key)
    if not same:
        return None
    nearest = _nearest(seat=seat, index=same, layout=layout)
    case = nearest[1] if nearest else same[0]
    reason = f"cabin {key[1]}: same cabin as the case in {case.seat}"
    return _Verdict(case.key, nearest[0] if nearest else None, reason)


def _cabin_key(layout: Layout, seat: Seat) -> tuple[str, str]:
    cabin = layout.cabin_of(seat)
    return (cabin.deck, cabin.name) if cabin else ("", "")


def _rows_reason(seat: Seat, *, case_seat: Seat, apart: int) -> str:
    if apart == 0:
        return f"row {seat.row}: same row as the case in {case_seat}"
    side = "behind" if seat.row > case_seat.row else "in front of"
    return f"row {seat.row}: {apart} row{'s' if apart > 1 else ''} {side} the case in {case_seat}"


def _by_crew_zone(
    *, occupant: Occupant, layout: Layout, area: dict[int, str], index: tuple[Occupant, ...], notes: list[str]
) -> _Verdict | None:
    """Crew whose position serves a close row; crew whose position is unknown count as serving it."""
    zones = [zone for zone in layout.crew_zones if zone.position == occupant.position]
    if not zones:
        notes.append(_CREW_UNKNOWN)
        known = f"position {occupant.position} not in the layout" if occupant.position else "position unknown"
        return _Verdict(index[0].key, None, f"cabin crew, {known}: counted as serving the case")
    served = [area[row] for zone in zones for row in zone.rows if row in area]
    return _Verdict(served[0], None, f"cabin crew serving {occupant.position}") if served else None


def _by_booking(*, occupant: Occupant, index: tuple[Occupant, ...], layout: Layout | None) -> _Verdict | None:
    if not occupant.booking_ref:
        return None
    case = next((case for case in index if case.booking_ref == occupant.booking_ref), None)
    if case is None:
        return None
    apart = None
    if layout is not None and occupant.seat is not None and case.seat is not None:
        apart = layout.rows_apart(occupant.seat, case.seat)
    return _Verdict(case.key, apart, f"same booking {occupant.booking_ref}")


def _compartment_scope(*, rule: ContactRule, index: tuple[Occupant, ...], notes: list[str]) -> _Scope:
    word = _COMPARTMENT[rule.conveyance]
    if len(index) > 1 and rule.escalate_to == "conveyance":
        return _Scope("everyone", f"everyone on board (escalated: {len(index)} cases on board)")
    unplaced = [case for case in index if case.compartment is None]
    if unplaced:
        notes.append(f"{word} of case {unplaced[0].key} unknown: everyone on board counted")
        return _Scope("everyone", f"everyone on board (a case's {word} is unknown)")
    names = ", ".join(sorted({case.compartment or "" for case in index}))
    crew = f"; crew serving the {word}" if rule.crew_serving else ""
    return _Scope("cabins", f"same {word} {names}{crew}")


def _judge_compartments(
    *, occupants: Sequence[Occupant], index: tuple[Occupant, ...], rule: ContactRule, scope: _Scope, notes: list[str]
) -> list[tuple[Occupant, _Verdict]]:
    index_keys = {case.key for case in index}
    verdicts = []
    for occupant in occupants:
        if occupant.key in index_keys:
            continue
        found = _by_compartment(occupant=occupant, index=index, rule=rule, scope=scope, notes=notes)
        if found is None and rule.party:
            found = _by_booking(occupant=occupant, index=index, layout=None)
        if found is not None:
            verdicts.append((occupant, found))
    return verdicts


def _by_compartment(
    *, occupant: Occupant, index: tuple[Occupant, ...], rule: ContactRule, scope: _Scope, notes: list[str]
) -> _Verdict | None:
    word = _COMPARTMENT[rule.conveyance]
    if scope.kind == "everyone":
        return _Verdict(index[0].key, None, f"everyone on board: {scope.applied}")
    same = next((case for case in index if case.compartment == occupant.compartment), None)
    if occupant.compartment is not None and same is not None:
        return _Verdict(same.key, None, f"same {word} {occupant.compartment}")
    if occupant.role == "crew" and rule.crew_serving:
        return _crew_for_compartment(occupant=occupant, index=index, word=word, notes=notes)
    if occupant.compartment is None:
        return _Verdict(index[0].key, None, f"no {word} known: counted as close")
    return None


def _crew_for_compartment(
    *, occupant: Occupant, index: tuple[Occupant, ...], word: str, notes: list[str]
) -> _Verdict | None:
    if occupant.position is None and occupant.compartment is None:
        notes.append(f"crew positions unknown: all crew counted as serving the {word}")
        return _Verdict(index[0].key, None, f"crew, position unknown: counted as serving the case's {word}")
    serves = next((case for case in index if case.compartment == occupant.position), None)
    return _Verdict(serves.key, None, f"crew serving {word} {occupant.position}") if serves else None
