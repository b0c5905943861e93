"""What the lists and the registry say of the person at the counter, in either lane: a decision in their record
(不准出境, 不准入境, held for police, a document held) stops them with its legal basis; a hit against the lists in
force now holds them until it is reviewed; at exit, a foreigner past their permitted stay is flagged with the days
overstayed. Services never commit: the caller owns the transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from kouan.counter.checks import Flag, flag
from kouan.counter.models import CounterCheck
from kouan.overstays.service import overstay_for, zone_of
from kouan.watchlist.hits.at_counter import counter_findings
from kouan.watchlist.hits.checks import Subject, Where

EXIT = "exit"


def enforcement_flags(*, session: Session, check: CounterCheck, traveller: Row[Any] | None) -> list[Flag]:
    """The list flags of the check's person (as on their manifest when they are on one), and at exit an overstay."""
    subject = _subject(check=check, traveller=traveller)
    if not subject.surname:
        return []
    where = Where(direction=check.direction, port=check.port, voyage_id=traveller.voyage_id if traveller else None)
    found = counter_findings(session=session, subject=subject, where=where, on=_local_day(check))
    flags = [flag(f.kind, f.value) for f in found]
    return flags + (_overstay(session=session, check=check, subject=subject) if check.direction == EXIT else [])


def _local_day(check: CounterCheck) -> date:
    """The day at the counter's port (a stay ends, and a list entry leaves force, at the port's midnight)."""
    return check.at.astimezone(zone_of(check.port)).date()


def _subject(*, check: CounterCheck, traveller: Row[Any] | None) -> Subject:
    if traveller is not None:
        return Subject(surname=traveller.surname, given_names=traveller.given_names, birth_date=traveller.birth_date,
                       nationality=traveller.nationality, document_number=traveller.document_number,
                       traveller_id=traveller.id, sex=traveller.sex)  # fmt: skip
    return Subject(surname=check.surname or "", given_names=check.given_names or "", birth_date=check.birth_date,
                   nationality=check.nationality, document_number=check.document_number, sex=check.sex)  # fmt: skip


def _overstay(*, session: Session, check: CounterCheck, subject: Subject) -> list[Flag]:
    if not subject.document_number:
        return []
    found = overstay_for(session=session, document_number=subject.document_number, nationality=subject.nationality,
                         on=_local_day(check), before=check.at)  # fmt: skip
    if found is None:
        return []
    basis = f"{found.basis} {found.visa_type}" if found.visa_type else found.basis
    days = found.days_overstayed
    text = (
        f"{days} days past {found.last_permitted_day.isoformat()} ({basis}, entered {found.entry_port}) / 逾期{days}天"
    )
    return [flag("overstay", text)]
