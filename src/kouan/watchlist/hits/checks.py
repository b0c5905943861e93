"""Checking people against the lists in force: the travellers of a filed manifest (either direction) and the person
at a counter. Names go through the matching core's index (built once per set of list versions and day, and kept);
a lost or stolen document is found by its number. Each new hit is stored once (its ``subject``) and waits for review.
Services never commit: the caller owns the transaction.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kouan.db import NO_WAIT, ONE_STATEMENT, WriterBusy
from kouan.travel.journey.linking import normalise_document
from kouan.travel.registry.queries import current_travellers
from kouan.watchlist.hits.models import WatchlistHit
from kouan.watchlist.matching import Entry, Hit, Person, WatchlistIndex
from kouan.watchlist.models import ListKind, WatchlistVersion
from kouan.watchlist.service import InForce, entries_in_force

DOCUMENT_LISTS = {ListKind.lost_or_stolen_document}
KINDS_AT = {  # an exit ban matters when leaving, an entry ban when arriving; wanted persons and documents both ways
    "entry": (ListKind.entry_ban, ListKind.wanted, ListKind.lost_or_stolen_document),
    "exit": (ListKind.exit_ban, ListKind.wanted, ListKind.lost_or_stolen_document),
}
KEPT_INDEXES = 4


@dataclass(frozen=True)
class Subject:
    """A person to check: as on the manifest or the scanned document."""

    surname: str
    given_names: str
    birth_date: date | None = None
    nationality: str | None = None
    document_number: str | None = None
    traveller_id: int | None = None
    sex: str | None = None  # M or F; anything else is not known

    def as_json(self) -> dict[str, Any]:
        return {"surname": self.surname, "given_names": self.given_names, "nationality": self.nationality,
                "birth_date": self.birth_date.isoformat() if self.birth_date else None,
                "document_number": self.document_number, "sex": self.sex}  # fmt: skip


@dataclass(frozen=True)
class Where:
    """Where a check is made: direction, port, and the voyage or ship's call whose list the person is on."""

    direction: str
    port: str
    voyage_id: int | None = None
    vessel_call_id: int | None = None


@dataclass
class ListsIndex:
    """The entries in force of some kinds on one day: names indexed, lost and stolen documents by number."""

    entries: list[InForce]
    names: WatchlistIndex | None
    documents: dict[str, list[int]] = field(default_factory=dict)


_kept: dict[tuple[Any, ...], ListsIndex] = {}
_lock = threading.Lock()


def lists_index(*, session: Session, kinds: Sequence[ListKind]) -> ListsIndex:
    """The index of the lists' current entries of ``kinds``, reused while no list has a new version (the store and
    the time of its latest import are in the key: a store emptied and imported again is not the one indexed).
    Whether an entry is in force on a day is asked of each hit, so a new day builds nothing. A session that must not
    wait (the counter's scan on the event loop) gets ``WriterBusy`` instead of a build: the counter then runs the scan
    on a worker thread."""
    key = (str(session.get_bind().engine.url), tuple(kinds), _imports(session=session))
    with _lock:
        found = _kept.get(key)
    if found is not None:
        return found
    if session.get_bind().get_execution_options().get(NO_WAIT):
        raise WriterBusy("the lists' index is not built yet: a check that builds it runs on a worker thread")
    built = _build(entries_in_force(session=session, on=None, kinds=kinds))
    with _lock:
        if len(_kept) >= KEPT_INDEXES:
            _kept.pop(next(iter(_kept)))
        _kept[key] = built
    return built


def _imports(*, session: Session) -> tuple[tuple[Any, ...], ...]:
    """Each list's newest version and when it was imported: one read, on every check's path."""
    query = select(WatchlistVersion.watchlist_id, func.max(WatchlistVersion.version),
                   func.max(WatchlistVersion.imported_at)).group_by(WatchlistVersion.watchlist_id)  # fmt: skip
    return tuple(sorted(tuple(row) for row in session.execute(query)))


def _build(entries: list[InForce]) -> ListsIndex:
    named = [(i, e) for i, e in enumerate(entries) if e.kind not in DOCUMENT_LISTS]
    matching = [_matching_entry(i, e.entry) for i, e in named]
    index = WatchlistIndex(entries=matching, list_version="in force") if matching else None
    documents: dict[str, list[int]] = {}
    for i, e in enumerate(entries):
        for number in _numbers(e.entry) if e.kind in DOCUMENT_LISTS else ():
            documents.setdefault(number, []).append(i)
    return ListsIndex(entries=entries, names=index, documents=documents)


def _matching_entry(position: int, data: dict[str, Any]) -> Entry:
    return Entry(entry_id=str(position), names=tuple(n["name"] for n in data.get("names", [])),
                 birth_date=data.get("birth_date"), nationality=data.get("nationality"),
                 documents=tuple(d["number"] for d in data.get("documents", []) if d.get("number")),
                 sex=data.get("sex"))  # fmt: skip


def _numbers(data: dict[str, Any]) -> list[str]:
    return [n for d in data.get("documents", []) if (n := normalise_document(d.get("number")))]


@dataclass(frozen=True)
class Found:
    subject: Subject
    entry: InForce
    score: float
    explanation: dict[str, Any]


def find(*, index: ListsIndex, subjects: Sequence[Subject], on: date) -> list[Found]:
    """Every alerting name hit and every listed document among ``subjects`` of an entry in force ``on``, explained."""
    found = [_named(index=index, subjects=subjects, hit=h) for h in _name_hits(index=index, subjects=subjects)]
    found += [f for s in subjects for f in _document_hits(index=index, subject=s)]
    return [f for f in found if f.entry.in_force(on)]


def _name_hits(*, index: ListsIndex, subjects: Sequence[Subject]) -> list[Hit]:
    if index.names is None or not subjects:
        return []
    return index.names.match([_person(i, s) for i, s in enumerate(subjects)])


def _person(position: int, subject: Subject) -> Person:
    return Person(person_id=str(position), names=(f"{subject.surname}, {subject.given_names}",),
                  birth_date=subject.birth_date.isoformat() if subject.birth_date else None,
                  nationality=subject.nationality, document=subject.document_number, sex=subject.sex)  # fmt: skip


def _named(*, index: ListsIndex, subjects: Sequence[Subject], hit: Hit) -> Found:
    entry = index.entries[int(hit.entry_id)]
    explanation = {**hit.explanation(), "entry": entry.entry.get("key"), "list_version": _version(entry)}
    return Found(subject=subjects[int(hit.person_id)], entry=entry, score=hit.score, explanation=explanation)


def _document_hits(*, index: ListsIndex, subject: Subject) -> list[Found]:
    number = normalise_document(subject.document_number) or None
    listed = [index.entries[i] for i in index.documents.get(number or "", [])]
    return [Found(subject=subject, entry=e, score=1.0, explanation=_document_explanation(entry=e, number=number))
            for e in listed if _same_country(entry=e, subject=subject)]  # fmt: skip


def _same_country(*, entry: InForce, subject: Subject) -> bool:
    countries = {d.get("country") for d in entry.entry.get("documents", [])} - {None}
    return not countries or subject.nationality is None or subject.nationality in countries


def _document_explanation(*, entry: InForce, number: str | None) -> dict[str, Any]:
    return {"algorithm": "document-v1", "list_version": _version(entry), "entry": entry.entry.get("key"),
            "alias": None, "spelling": None, "key": f"document {number}",
            "features": {"document": "exact"}}  # fmt: skip


def _version(entry: InForce) -> str:
    return f"{entry.watchlist}@{entry.version}"


def store(*, session: Session, where: Where, found: Sequence[Found]) -> list[WatchlistHit]:
    """The hits of ``found`` (new ones stored, those already raised for the same subject as they are)."""
    rows = {_subject(where=where, found=f): f for f in found}
    if not rows:
        return []
    for _attempt in range(2):
        try:
            with session.begin_nested():
                _insert_new(session=session, where=where, rows=rows)
            break
        except IntegrityError:  # a concurrent filing raised one of these a moment ago: insert the others
            continue
    return list(session.scalars(select(WatchlistHit).where(WatchlistHit.subject.in_(list(rows)))
                                .order_by(WatchlistHit.id)))  # fmt: skip


def _insert_new(*, session: Session, where: Where, rows: dict[str, Found]) -> None:
    known = set(session.scalars(select(WatchlistHit.subject).where(WatchlistHit.subject.in_(list(rows)))))
    fresh = [_row(subject=k, where=where, found=f) for k, f in rows.items() if k not in known]
    if fresh:
        session.execute(insert(WatchlistHit), fresh, execution_options=ONE_STATEMENT)


def _subject(*, where: Where, found: Found) -> str:
    on = (f"voyage:{where.voyage_id}" if where.voyage_id is not None else f"call:{where.vessel_call_id}"
          if where.vessel_call_id is not None else f"counter:{where.port}:{where.direction}")  # fmt: skip
    person = found.subject.as_json()
    text = "|".join([found.entry.watchlist, str(found.entry.entry.get("key")), on, *map(str, person.values())])
    return hashlib.sha256(text.encode()).hexdigest()


def _row(*, subject: str, where: Where, found: Found) -> dict[str, Any]:
    return {"subject": subject, "status": "open", "direction": where.direction, "port": where.port,
            "voyage_id": where.voyage_id, "vessel_call_id": where.vessel_call_id,
            "traveller_id": found.subject.traveller_id, "person": found.subject.as_json(),
            "watchlist": found.entry.watchlist, "kind": found.entry.kind.value, "list_version": found.entry.version,
            "entry_key": str(found.entry.entry.get("key")), "entry": found.entry.entry, "score": found.score,
            "explanation": found.explanation}  # fmt: skip


def check(*, session: Session, where: Where, subjects: Sequence[Subject], on: date) -> list[WatchlistHit]:
    """Check ``subjects`` against the lists that matter in ``where.direction`` in force ``on``; store the hits."""
    index = lists_index(session=session, kinds=KINDS_AT[where.direction])
    return store(session=session, where=where, found=find(index=index, subjects=subjects, on=on))


def check_voyage(*, session: Session, voyage_id: int, direction: str, port: str, on: date) -> list[WatchlistHit]:
    """The current travellers of a filed voyage checked against the lists in force ``on`` (the flight's day)."""
    index = lists_index(session=session, kinds=KINDS_AT[direction])
    if not index.entries:
        return []
    travellers = current_travellers(session=session, voyage_id=voyage_id, with_stays=False)
    subjects = [Subject(surname=t.surname, given_names=t.given_names, birth_date=t.birth_date,
                        nationality=t.nationality, document_number=t.document_number, traveller_id=t.id,
                        sex=t.sex)
                for t in travellers]  # fmt: skip
    where = Where(direction=direction, port=port, voyage_id=voyage_id)
    return store(session=session, where=where, found=find(index=index, subjects=subjects, on=on))
