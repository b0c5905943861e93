"""The segments of one PNRGOV message, read in order by a small state machine.

A message is a header (MSG, ORG, the TVL of the flight, EQN) and then one SRC group per booking: RCI record
locators, TIF travellers (each with its SSR DOCS/SEAT), TVL air legs (with RPI status, SSR SEAT and TRI/TIF/SSD
check-in), MSG groups of non-air segments (hotel, car), and ABI/DAT/SAC booking history. The *context* says
which group the last segment opened, so the same tag (TVL, TIF, SSR) can mean different things.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable

from kouan.formats.edifact import Segment, edi_count
from kouan.formats.pnr_records import PnrLeg, RecordLocator
from kouan.formats.pnrgov_draft import Draft, Loose, PnrDraft, add_docs, passenger_from_tif, seat_requests
from kouan.formats.pnrgov_fields import docs_text, moment
from kouan.formats.pnrgov_legs import abi, dat, history_item, rpi, sac, ssd, tri, tvl

SEAT_CODES = frozenset({"SEAT", "NSST", "SMST"})
_AGENTS_AND_CONTACTS = {"ORG", "ADD", "IFT", "REF", "FTI", "EBD", "LTS"}
_TICKETS_AND_FARES = {"TKT", "MON", "PTK", "TXD", "FOP", "FAR"}
_FLIGHT_DETAILS = {"APD", "TRA", "TBD", "ERC"}  # aircraft, reservation, bags, error codes
_PUSH_FUNCTIONS = frozenset({"22", "141"})


def read_segment(draft: Draft, segment: Segment) -> None:
    _HANDLERS.get(segment.tag, _unknown)(draft, segment)


# --- header ------------------------------------------------------------------------------------------------


def _msg(draft: Draft, segment: Segment) -> None:
    if draft.context != "header":
        draft.pnr.nonair_code, draft.context = segment.value(0), "nonair"
        return
    draft.function, code = segment, segment.value(0, 1) or segment.value(0)
    if code not in _PUSH_FUNCTIONS:
        draft.warn(segment, f"MSG function {code!r} is not a PNR push (22, or 141 for changed PNRs); read anyway")


def _eqn(draft: Draft, segment: Segment) -> None:
    if draft.context != "header":
        draft.pnr.splitting = True  # how many travellers were split off into another booking, whose RCI follows
        return
    draft.eqn, value = segment, segment.value(0) or ""
    draft.declared = edi_count(value)
    if draft.declared is None:
        draft.warn(segment, f"malformed PNR count {reprlib.repr(value)}")


def _src(draft: Draft, segment: Segment) -> None:
    draft.pnrs.append(PnrDraft(segment))
    draft.context = "pnr"


# --- record locators -----------------------------------------------------------------------------------------


def _rci(draft: Draft, segment: Segment) -> None:
    if not draft.in_pnr(segment):
        return
    locators = draft.pnr.split if draft.pnr.splitting else draft.pnr.locators
    draft.pnr.splitting = False
    known = {(r.system, r.locator) for r in locators}
    for index in range(len(segment.elements)):
        locator = _locator(draft, segment, segment.components(index))
        if locator is not None and (locator.system, locator.locator) not in known:
            locators.append(locator)
            known.add((locator.system, locator.locator))


def _locator(draft: Draft, segment: Segment, parts: tuple[str, ...]) -> RecordLocator | None:
    system, locator = (p.strip() or None for p in (*parts, "", "")[:2])
    if locator is None:
        draft.warn(segment, "RCI without a record locator; ignored")
        return None
    rest = [p.strip() for p in parts[2:]]
    day, time = (next((p for p in rest if len(p) == size), None) for size in (6, 4))
    problems: list[str] = []
    created = moment(day, time, problems, what="RCI date") if day else None
    for problem in problems:
        draft.warn(segment, problem)
    return RecordLocator(system, locator, created)


# --- travellers ------------------------------------------------------------------------------------------------


def _tif(draft: Draft, segment: Segment) -> None:
    if not draft.in_pnr(segment):
        return
    if draft.context == "checkin":
        draft.pnr.check_in[1:] = [segment]
    elif draft.context == "history":
        history_item(draft, segment, text=" ".join(filter(None, (segment.value(0), segment.value(1)))))
    else:
        if draft.context not in {"pnr", "passenger", "void"}:
            draft.warn(segment, "TIF after the itinerary began; read as a traveller")
        _travellers(draft, segment)


def _travellers(draft: Draft, segment: Segment) -> None:
    surname, qualifier = segment.value(0), segment.value(0, 1)
    draft.context = "passenger" if surname and qualifier != "G" else "void"
    if draft.context == "void":
        problem = "a group name, not a traveller" if surname else "without a surname"
        return draft.warn(segment, f"TIF {problem}; its traveller data is ignored")
    for index in range(1, max(len(segment.elements), 2)):
        draft.pnr.passengers.append(passenger_from_tif(segment, surname or "", index))


def _ssr(draft: Draft, segment: Segment) -> None:
    if not draft.in_pnr(segment) or draft.context == "void":
        return
    code = segment.value(0)
    if draft.context == "history":
        text = " ".join(filter(None, (code, *(segment.value(i) for i in range(1, len(segment.elements))))))
        return history_item(draft, segment, text=" ".join(filter(None, (text, docs_text(segment)))))
    if code != "DOCS" and code not in SEAT_CODES:
        return  # meals, assistance, contacts: nothing kouan keeps
    if draft.context != "passenger" or (code in SEAT_CODES and _references(segment)):
        draft.pnr.loose.append(Loose(segment, _current_leg(draft)))
    elif code == "DOCS":
        add_docs(draft, draft.pnr.passengers[-1], segment)
    else:
        draft.pnr.passengers[-1].seats.extend(seat for _, seat in seat_requests(draft, segment, None))


def _references(segment: Segment) -> bool:
    """Whether an SSR names its travellers (C332 traveller reference numbers) rather than being the group's own."""
    return any(segment.value(index, 2) for index in range(1, len(segment.elements)))


def _current_leg(draft: Draft) -> PnrLeg | None:
    return draft.pnr.legs[-1] if draft.context in {"leg", "checkin"} and draft.pnr.legs else None


def _ignore(draft: Draft, segment: Segment) -> None:
    """Known PNRGOV segments that carry nothing kouan keeps (agents, addresses, tickets, fares, payments)."""


def _unknown(draft: Draft, segment: Segment) -> None:
    draft.warn(segment, f"{'unknown' if segment.valid_tag else 'unreadable'} segment skipped")


_HANDLERS: dict[str, Callable[[Draft, Segment], None]] = {
    "MSG": _msg,
    "EQN": _eqn,
    "SRC": _src,
    "RCI": _rci,
    "TIF": _tif,
    "SSR": _ssr,
    "TVL": tvl,
    "RPI": rpi,
    "TRI": tri,
    "SSD": ssd,
    "ABI": abi,
    "DAT": dat,
    "SAC": sac,
    **{tag: _ignore for tag in _AGENTS_AND_CONTACTS | _TICKETS_AND_FARES | _FLIGHT_DETAILS},
}
