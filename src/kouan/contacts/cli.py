"""`kouan contacts FILE --index SEAT`: the close contacts of index cases on a passenger list, as JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from kouan.clitools import fail, print_json, read_text
from kouan.contacts.finder import ContactFinding, Occupant, UnknownIndex, find_contacts, index_by_seat
from kouan.contacts.layouts import layout_for
from kouan.contacts.rules import UnknownRule, rule_named
from kouan.contacts.seats import BadSeat, seat_or_none
from kouan.formats.paxlst import parse_paxlst
from kouan.formats.records import FormatError, PaxlstMessage


def contacts(
    file: Path = typer.Argument(..., help="A PAXLST passenger list with seats (RFF+SEA)."),
    index: list[str] = typer.Option(..., "--index", help="The seat of an index case (repeat for several)."),
    rule: str = typer.Option("cn-2020-aircraft", help="The contact rule's name (cn-2020-aircraft, rows-2, cabin…)."),
    aircraft: str | None = typer.Option(None, help="The aircraft type (B77W, A321…); unknown: inferred from seats."),
    carrier: str | None = typer.Option(None, help="The operator, for its own layout; default: the message's."),
    crew: Path | None = typer.Option(None, help="A PAXLST crew list of the same flight, to judge its crew too."),
) -> None:
    """Close contacts of the cases in the given seats; exit 2 naming the problem with the file, seat or rule."""
    message = _read(file)
    crew_message = _read(crew) if crew else None
    occupants = _occupants(message) + (_occupants(crew_message, start=len(message.travellers)) if crew_message else [])
    try:
        chosen = rule_named(rule)
        keys = index_by_seat(occupants, index)
    except (UnknownRule, UnknownIndex, BadSeat) as error:
        fail(str(error))
    layout = layout_for(aircraft, carrier=carrier or message.carrier)
    finding = find_contacts(occupants=occupants, index_keys=keys, rule=chosen, layout=layout)
    unknown_type = [f"aircraft {aircraft} unknown: layout inferred from the seats"] if aircraft and not layout else []
    print_json(_as_json(finding, layout=layout.aircraft if layout else "inferred", notes=unknown_type))


def _read(file: Path) -> PaxlstMessage:
    try:
        return parse_paxlst(read_text(file))
    except FormatError as error:
        fail(f"{file}: not a PAXLST message: {error}")


def _occupants(message: PaxlstMessage, *, start: int = 0) -> list[Occupant]:
    return [
        Occupant(
            key=str(start + number),
            surname=person.surname,
            given_names=person.given_names,
            role=person.role,
            seat=seat_or_none(person.seat),
            booking_ref=person.booking_ref,
        )
        for number, person in enumerate(message.travellers, start=1)
    ]


def _as_json(finding: ContactFinding, *, layout: str, notes: list[str]) -> dict[str, Any]:
    return {
        "rule": finding.rule.name,
        "applied": finding.applied,
        "layout": layout,
        "index": [_person(case) for case in finding.index],
        "close": [
            _person(contact.occupant) | {"rows_from_index": contact.rows_from_index, "reason": contact.reason}
            for contact in finding.close
        ],
        "crew": sum(contact.occupant.role == "crew" for contact in finding.close),
        "general_count": len(finding.general),
        "notes": notes + list(finding.notes),
    }


def _person(occupant: Occupant) -> dict[str, Any]:
    seat = str(occupant.seat) if occupant.seat else None
    return {"surname": occupant.surname, "given_names": occupant.given_names, "seat": seat, "role": occupant.role}
