"""`kouan demo`'s departures evening at PEK: the lists imported, the overstayers' entries of January and March on
record, the evening's exit manifests filed (their travellers checked against the lists), the planted hits reviewed,
and each planted person at the exit counter, stopped or cleared with the reason printed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kouan.counter.models import CounterCheck
from kouan.counter.schemas import DecisionIn, ScanIn
from kouan.counter.service import decide, scan_in
from kouan.db import unit_of_work
from kouan.demo.departures import PLANTED, Planted, generate_departures, list_text
from kouan.formats.documents_write import passport_mrz
from kouan.formats.paxlst import parse_paxlst
from kouan.intake.flows import file_paxlst
from kouan.overstays.service import overstay_for
from kouan.settings import get_settings
from kouan.travel.journey.schemas import CrossingCreate
from kouan.travel.journey.service import add_crossings
from kouan.users.models import Role, User
from kouan.users.service import create_user
from kouan.users.units import unit_for_port
from kouan.violations.models import ViolationCreate
from kouan.violations.service import record_violation
from kouan.watchlist.entries import read_entries
from kouan.watchlist.hits.models import HitStatus, WatchlistHit
from kouan.watchlist.hits.review import confirm
from kouan.watchlist.models import ListKind, Watchlist
from kouan.watchlist.service import Source, import_list

PORT = "PEK"
OFFICER = "demo-exit"
LISTS = (("NIA-EXIT-BANS", ListKind.exit_ban, "exit_bans.csv"), ("SLTD", ListKind.lost_or_stolen_document,
                                                                  "stolen_documents.csv"))  # fmt: skip
STOPS = ("exit_ban", "wanted", "document_held", "watchlist_hit")
FINE_PER_DAY, FINE_AT_MOST = 500, 10_000  # 出境入境管理法 第七十八条: CNY 500 a day overstayed, 10,000 at most
BEIJING = timedelta(hours=8)


@dataclass(frozen=True)
class AtExit:
    name: str
    flight: str
    planted: str
    shown: str
    decision: str


def departures_evening(*, night: date, folder: Path, out: Console) -> None:
    """Everything of the evening, then the table of what the exit counter stopped and why."""
    with unit_of_work() as session:
        _lists(session=session)
        _entries_of_overstayers(session=session)
    messages = generate_departures(night=night)
    folder.mkdir(parents=True, exist_ok=True)
    with unit_of_work() as session:
        for demo in messages:
            (folder / demo.filename).write_text(demo.text, encoding="utf-8")
            file_paxlst(session=session, raw=demo.text, message=parse_paxlst(demo.text), settings=get_settings())
    with unit_of_work() as session:
        confirmed = _review(session=session)
        officer = _officer(session=session)
        rows = [_at_exit(session=session, planted=p, night=night, officer=officer) for p in PLANTED]
        waiting = session.scalar(select(func.count()).where(WatchlistHit.status == HitStatus.open.value)) or 0
    _table(rows=rows, out=out)
    out.print(f"{len(messages)} exit manifests in {folder}; {confirmed} hits confirmed by the review, {waiting} "
              f"wait at /console/hits; the overstayers the day before they left: "
              f"`kouan overstays --on {(night - timedelta(days=1)).isoformat()}`")  # fmt: skip


def _lists(*, session: Session) -> None:
    for name, kind, file in LISTS:
        if session.scalar(select(Watchlist.id).where(Watchlist.name == name)) is None:
            read = read_entries(list_text(file), form="csv")
            import_list(session=session, name=name, kind=kind, read=read,
                        source=Source(name=file, form="csv", actor="demo"))  # fmt: skip


def _entries_of_overstayers(*, session: Session) -> None:
    entries = [_entry(p) for p in PLANTED if p.entered is not None]
    add_crossings(session=session, crossings=entries)  # a record already held is skipped: the demo runs again


def _entry(planted: Planted) -> CrossingCreate:
    person = planted.person
    assert planted.entered is not None
    return CrossingCreate.model_validate({
        "direction": "entry", "port": PORT, "crossed_at": planted.entered, "surname": person.surname,
        "given_names": person.given_names, "birth_date": person.birth_date, "nationality": person.nationality,
        "document_number": person.documents[0].number, "stay_basis": planted.basis, "visa_type": planted.visa_type,
        "stay_days": planted.stay_days,
    })  # fmt: skip


def _review(*, session: Session) -> int:
    """The duty officer confirms the planted people's hits (a namesake's stays open in the console's queue)."""
    planted = {p.person.documents[0].number: p for p in PLANTED if not p.why.startswith("overstay")}
    query = select(WatchlistHit).where(WatchlistHit.status == HitStatus.open.value, WatchlistHit.port == PORT)
    hits = [h for h in session.scalars(query) if h.person.get("document_number") in planted]
    for hit in hits:
        confirm(session=session, hit=hit, reason=f"demo: {planted[hit.person['document_number']].why}; photo and "
                "date of birth agree", actor=f"user:{OFFICER}")  # fmt: skip
    return len(hits)


def _officer(*, session: Session) -> User:
    """The exit lane's officer at PEK (made on the first run)."""
    user = session.scalar(select(User).where(User.username == OFFICER))
    user = user or create_user(session=session, username=OFFICER, role=Role.officer)[0]
    unit = unit_for_port(session=session, port=PORT)
    user.unit_id = unit.id if unit else None
    return user


def _at_exit(*, session: Session, planted: Planted, night: date, officer: User) -> AtExit:
    person, number = planted.person, planted.person.documents[0].number or ""
    mrz = passport_mrz(surname=person.surname, given=person.given_names, number=number,
                       nationality=person.nationality or "XXX", born=person.birth_date or date(1980, 1, 1),
                       sex=person.sex or "<", expiry=person.documents[0].expiry or date(2030, 1, 1))  # fmt: skip
    at = datetime.combine(night, time(18, 40), tzinfo=UTC) - BEIJING + timedelta(minutes=7 * PLANTED.index(planted))
    scan = ScanIn(kind="mrz", data="\n".join(mrz), direction="exit")
    check = session.get(CounterCheck, scan_in(session=session, scan=scan, port=PORT, officer=f"user:{OFFICER}",
                                                at=at).id)  # fmt: skip
    assert check is not None
    decision = _decision(session=session, check=check, officer=officer, at=at)
    shown = "; ".join(f["text"] for f in check.flags if f["kind"] != "not_on_manifest") or "—"
    return AtExit(f"{person.surname} {person.given_names}", planted.flight, planted.why, shown, decision)


def _decision(*, session: Session, check: CounterCheck, officer: User, at: datetime) -> str:
    stops = [f["text"] for f in check.flags if f["kind"] in STOPS]
    overstay = next((f["text"] for f in check.flags if f["kind"] == "overstay"), None)
    if overstay is not None:
        _fine(session=session, check=check, text=overstay, officer=officer, at=at)
    body = DecisionIn(decision="refuse" if stops else "release", reason=stops[0] if stops else overstay or "cleared")
    decide(session=session, check=check, body=body, actor=f"user:{OFFICER}", at=at + timedelta(minutes=2))
    return "refused / 不准出境" if stops else "released / 放行"


def _fine(*, session: Session, check: CounterCheck, text: str, officer: User, at: datetime) -> None:
    found = overstay_for(session=session, document_number=check.document_number or "",
                         nationality=check.nationality, on=(at + BEIJING).date(), before=at)  # fmt: skip
    fine = min((found.days_overstayed if found else 1) * FINE_PER_DAY, FINE_AT_MOST)
    person = {"surname": check.surname or "", "given_names": check.given_names or "",
              "nationality": check.nationality, "document_number": check.document_number}  # fmt: skip
    item = ViolationCreate.model_validate({
        "type": "overstay", "port": PORT, "occurred_at": at, "people": [person], "disposition": "fine",
        "disposition_detail": f"CNY {fine:,}", "summary": f"Found at the exit counter: {text}",
    })  # fmt: skip
    record_violation(session=session, item=item, user=officer)


def _table(*, rows: list[AtExit], out: Console) -> None:
    table = Table(title="Departures evening at PEK: the exit counter / 首都机场出境查验")
    for heading in ("traveller", "flight", "planted", "the counter showed", "decision"):
        table.add_column(heading, overflow="fold")
    for row in rows:
        table.add_row(row.name, row.flight, row.planted, row.shown, row.decision)
    out.print(table)
