"""The seat map in the console (座位图): the aircraft drawn row by row, cabin by cabin (deck by deck when there are
two), with the index cases, their close contacts and the general contacts of a contact trace marked seat by seat,
and the form an officer traces a case from (index seats and the rule in force on arrival)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from kouan import errors
from kouan.api.deps import SessionDep
from kouan.api.params import RowId
from kouan.contacts.finder import UnknownIndex
from kouan.contacts.layouts import Cabin, Layout, infer_layout, layout_for
from kouan.contacts.models import ContactRead, ContactTrace, TraceIn, TraceRead
from kouan.contacts.rules import ContactRule, NotInForce, UnknownRule, default_rule, rules_in_force
from kouan.contacts.seats import BadSeat, Seat, seat_or_none
from kouan.contacts.service import trace_contacts, trace_read, traces_of
from kouan.contacts.views import voyage_or_404
from kouan.referrals.service import Actor
from kouan.screening.service import arrival_day
from kouan.travel.registry.models import Traveller, Voyage
from kouan.travel.registry.queries import current_travellers
from kouan.users.models import ACTING, READING, User
from kouan.web.views import ConsoleUser, templates

router = APIRouter(include_in_schema=False)
TRACERS, READERS = ACTING, READING
SEAT_SPLIT = re.compile(r"[\s,;，、]+")
# Aisles: a gap before the first letter from D on and before the first from H on. This matches the usual lettering:
# ABC DEF (narrow body), AC DF, ABC DEFG HJK (10 abreast), AC DEFG HK, AC DG HK, A DG K; one column for one letter.
AISLES = ("D", "H")
MARKS = {
    "index": ("●", "Index case / 病例"),
    "close": ("▲", "Close contact / 密切接触者"),
    "general": ("○", "General contact / 一般接触者"),
    "occupied": ("○", "Occupied / 有人"),
    "empty": ("·", "Empty / 空座"),
}
CABINS = {"F": "First / 头等舱", "J": "Business / 公务舱", "W": "Premium economy / 超级经济舱", "Y": "Economy / 经济舱"}
DECKS = {"main": "Main deck / 主舱", "upper": "Upper deck / 上舱"}


@dataclass(frozen=True)
class Cell:
    seat: str
    state: str
    title: str


@dataclass(frozen=True)
class CabinMap:
    name: str
    blocks: list[str]  # the letters between two aisles
    rows: list[tuple[int, list[list[Cell]]]]  # each row: its number and its cells, block by block


@dataclass
class SeatMap:
    layout: Layout
    decks: list[tuple[str, list[CabinMap]]] = field(default_factory=list)


def aisle_blocks(letters: str) -> list[str]:
    """The letters split where an aisle runs (see ``AISLES``)."""
    blocks: list[str] = []
    for letter in sorted(letters):
        if blocks and not any(blocks[-1][-1] < aisle <= letter for aisle in AISLES):
            blocks[-1] += letter
        else:
            blocks.append(letter)
    return blocks


def _why_inferred(*, aircraft: str | None, known: Layout | None) -> str:
    if not aircraft:
        return "No aircraft type on this voyage: layout inferred from the seats / 未知机型, 按座位推断布局"
    if known is None:
        return f"No seat layout is known for aircraft {aircraft}: layout inferred from the seats / 按座位推断布局"
    return f"Layout {aircraft} has no row for some seats: layout inferred from the seats / 按座位推断布局"


def drawn_layout(*, aircraft: str | None, carrier: str | None, seats: list[Seat]) -> Layout:
    """The type's layout when it has every occupied row (as the finder uses it); else one inferred from the seats."""
    known = layout_for(aircraft, carrier=carrier)
    if known is not None and all(known.has_row(seat.row) for seat in seats):
        return known
    inferred = infer_layout(seats)
    return replace(inferred, notes=(_why_inferred(aircraft=aircraft, known=known), *inferred.notes))


def _name(traveller: Traveller) -> str:
    return f"{traveller.surname}, {traveller.given_names}"


def _by_seat(travellers: list[Traveller]) -> dict[str, list[Traveller]]:
    seated: dict[str, list[Traveller]] = {}
    for traveller in travellers:
        seat = seat_or_none(traveller.seat)
        if seat is not None:
            seated.setdefault(str(seat), []).append(traveller)
    return seated


def _rows_said(rows: int | None) -> str:
    return "" if rows is None else f" · {rows} row{'s' if rows != 1 else ''} from the index / 距病例 {rows} 排"


def _cell(*, seat: str, people: list[Traveller], trace: TraceRead | None, close: dict[str, ContactRead]) -> Cell:
    if not people:
        return Cell(seat, "empty", f"{seat} · {MARKS['empty'][1]}")
    names = "; ".join(_name(p) for p in people)
    index_seats = {case.get("seat") for case in trace.index_cases} if trace else set()
    if seat in index_seats:
        return Cell(seat, "index", f"{seat} · {names} · {MARKS['index'][1]}")
    if seat in close:
        found = close[seat]
        said = f"{MARKS['close'][1]}: {found.reason}{_rows_said(found.rows_from_index)}"
        return Cell(seat, "close", f"{seat} · {names} · {said}")
    state = "general" if trace else "occupied"
    return Cell(seat, state, f"{seat} · {names} · {MARKS[state][1]}")


def _cabin_map(*, cabin: Cabin, seated: dict[str, list[Traveller]], trace: TraceRead | None) -> CabinMap:
    close = {c.seat: c for c in trace.close if c.seat} if trace else {}
    blocks = aisle_blocks(cabin.letters)
    rows = [
        (row, [[_cell(seat=f"{row}{x}", people=seated.get(f"{row}{x}", []), trace=trace, close=close) for x in block]
               for block in blocks])
        for row in cabin.rows
    ]  # fmt: skip
    return CabinMap(cabin.name, blocks, rows)


def seat_map(*, layout: Layout, travellers: list[Traveller], trace: TraceRead | None) -> SeatMap:
    seated = _by_seat(travellers)
    drawn = SeatMap(layout)
    for cabin in layout.cabins:
        if not drawn.decks or drawn.decks[-1][0] != cabin.deck:
            drawn.decks.append((cabin.deck, []))
        drawn.decks[-1][1].append(_cabin_map(cabin=cabin, seated=seated, trace=trace))
    return drawn


def _trace_or_404(*, session: Session, voyage: Voyage, trace_id: int | None) -> ContactTrace | None:
    traces = traces_of(session=session, voyage_id=voyage.id)
    if trace_id is None:
        return traces[0] if traces else None
    chosen = next((t for t in traces if t.id == trace_id), None)
    if chosen is None:
        raise errors.NotFound(f"no contact trace {trace_id} on voyage {voyage.id}")
    return chosen


def _rules(voyage: Voyage) -> list[ContactRule]:
    """The rules in force on arrival, the usual one first."""
    day = arrival_day(voyage)
    found = rules_in_force(on=day)
    try:
        usual = default_rule(on=day).name
    except NotInForce:
        return found
    return sorted(found, key=lambda rule: rule.name != usual)


def _layout_for_trace(*, voyage: Voyage, trace: ContactTrace | None, seats: list[Seat]) -> Layout:
    """The layout the trace was found on (its aircraft or inferred); the voyage's when there is no trace."""
    aircraft = voyage.aircraft if trace is None else (None if trace.layout == "inferred" else trace.layout)
    return drawn_layout(aircraft=aircraft, carrier=voyage.carrier, seats=seats)


def _context(*, session: Session, voyage: Voyage, user: User, trace: ContactTrace | None) -> dict[str, Any]:
    travellers = current_travellers(session=session, voyage_id=voyage.id)
    seats = [s for s in (seat_or_none(t.seat) for t in travellers) if s is not None]
    read = trace_read(session=session, trace=trace) if trace else None
    layout = _layout_for_trace(voyage=voyage, trace=trace, seats=seats)
    drawn = seat_map(layout=layout, travellers=travellers, trace=read)
    return {
        "user": user, "voyage": voyage, "trace": read, "map": drawn, "names": {t.id: _name(t) for t in travellers},
        "traces": traces_of(session=session, voyage_id=voyage.id), "rules": _rules(voyage), "day": arrival_day(voyage),
        "marks": MARKS, "cabin_names": CABINS, "decks": DECKS, "can_trace": user.role in TRACERS,
        "close": [c for c in read.close if c.role != "crew"] if read else [],
        "crew": [c for c in read.close if c.role == "crew"] if read else [],
        "notes": list(dict.fromkeys([*layout.notes, *(read.notes if read else [])])),
    }  # fmt: skip


def _reader(user: User) -> User:
    if user.role not in READERS:
        raise errors.NotPermitted(f"role {user.role} may not see seat maps")
    return user


def _page(
    request: Request,
    *,
    session: Session,
    voyage: Voyage,
    user: User,
    trace: ContactTrace | None,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    context = _context(session=session, voyage=voyage, user=user, trace=trace)
    context |= {"errors": errors or {}, "form": form or {"refer": "on"}}
    return templates.TemplateResponse(request, "seats.html", context, status_code=status_code)


@router.get("/console/voyages/{voyage_id}/seats", response_class=HTMLResponse)
def seats_page(
    *,
    request: Request,
    voyage_id: RowId,
    trace: int | None = Query(None, ge=1, le=2**63 - 1, description="An older trace to show; the latest if none."),
    session: SessionDep,
    user: ConsoleUser,
) -> Response:
    voyage = voyage_or_404(session=session, user=user, voyage_id=voyage_id)
    chosen = _trace_or_404(session=session, voyage=voyage, trace_id=trace)
    return _page(request, session=session, voyage=voyage, user=_reader(user), trace=chosen)


def index_seats(text: str) -> list[str]:
    """Seats as an officer types them: separated by commas, spaces or semicolons."""
    return [part for part in SEAT_SPLIT.split(text.strip()) if part]


def _body(*, seats: str, rule: str, refer: str) -> TraceIn:
    try:
        return TraceIn(seats=index_seats(seats), rule=rule.strip() or None, refer=bool(refer))
    except ValidationError as error:
        first = error.errors()[0]
        raise UnknownIndex(f"{first['loc'][0]}: {first['msg']}") from error


def _errors(error: Exception) -> dict[str, str]:
    """The message, next to the field it is about."""
    if isinstance(error, (UnknownRule, NotInForce)):
        return {"rule": f"Check the rule / 请检查规则: {error}"}
    return {"seats": f"Check the seats / 请检查座位: {error}"}


@router.post("/console/voyages/{voyage_id}/seats", response_class=HTMLResponse)
def post_trace(
    *,
    request: Request,
    voyage_id: RowId,
    seats: str = Form(""),
    rule: str = Form(""),
    refer: str = Form(""),
    session: SessionDep,
    user: ConsoleUser,
) -> Response:
    voyage = voyage_or_404(session=session, user=user, voyage_id=voyage_id)
    form = {"seats": seats, "rule": rule, "refer": refer}
    try:
        _trace(request, session=session, voyage=voyage, user=user, body=_body(seats=seats, rule=rule, refer=refer))
    except (UnknownIndex, BadSeat, UnknownRule, NotInForce) as error:
        return _again(request, session=session, voyage=voyage, user=user, form=form, status_code=422,
                      errors=_errors(error))  # fmt: skip
    except errors.NotPermitted as error:
        return _again(request, session=session, voyage=voyage, user=user, form=form, status_code=error.status,
                      errors={"seats": f"Not permitted / 无权操作: {error}"})  # fmt: skip
    return RedirectResponse(f"/console/voyages/{voyage_id}/seats", status_code=303)


def _trace(request: Request, *, session: Session, voyage: Voyage, user: User, body: TraceIn) -> None:
    if _reader(user).role not in TRACERS:
        raise errors.NotPermitted(f"role {user.role} may not trace contacts")
    trace_contacts(session=session, voyage=voyage, body=body, actor=Actor(name=f"user:{user.username}"),
                   port=voyage.our_port or request.app.state.settings.port_of_entry)  # fmt: skip


def _again(request: Request, *, session: Session, voyage: Voyage, user: User, form: dict[str, str],
           errors: dict[str, str], status_code: int) -> Response:  # fmt: skip
    """The page again with the latest trace, the message next to its field and what the officer typed."""
    latest = _trace_or_404(session=session, voyage=voyage, trace_id=None)
    return _page(request, session=session, voyage=voyage, user=user, trace=latest, errors=errors, form=form,
                 status_code=status_code)  # fmt: skip
