"""The intake flows: file what a carrier or a channel sends, relink the voyages it touches, rescreen them.

Every entry point (API, console, CLI, demo, the public declaration card) files through these, so "file, then screen
with the configured classifier and backend" is written once, and ``rescreen`` is the one place a filing's voyages
are screened again. Services never commit: the caller owns the transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from kouan.formats.paxlst import parse_paxlst
from kouan.formats.pnr_records import PnrgovMessage
from kouan.formats.pnrgov import parse_pnrgov
from kouan.formats.records import PaxlstMessage
from kouan.screening.models import VoyageScreening
from kouan.screening.service import screen_voyages
from kouan.settings import Settings
from kouan.travel.declarations.card import CardIn, card_voyages, file_card
from kouan.travel.journey.models import Declaration
from kouan.travel.journey.schemas import CrossingCreate, DeclarationCreate, PnrIngestResult
from kouan.travel.journey.service import add_crossings, add_declarations, ingest_pnrgov
from kouan.travel.registry.models import EXIT, Voyage
from kouan.travel.registry.ports import manifest_crossing
from kouan.travel.registry.queries import get_voyage
from kouan.travel.registry.schemas import IngestResult
from kouan.travel.registry.service import ingest_paxlst
from kouan.watchlist.hits.checks import check_voyage

Result = TypeVar("Result")
Authorise = Callable[[Voyage], None]  # raises (a Refusal) when the caller may not file for this voyage


@dataclass(frozen=True)
class Filed(Generic[Result]):
    """What filing returned, and the screening of each voyage it rescreened (in the order they were named)."""

    result: Result
    screenings: list[VoyageScreening] = field(default_factory=list)

    @property
    def voyage_ids(self) -> list[int]:
        return [s.voyage_id for s in self.screenings]


def rescreen(*, session: Session, voyage_ids: Iterable[int], settings: Settings) -> list[VoyageScreening]:
    """Screen the voyages again, in one engine run, with the configured classifier and backend. Departures (exit
    voyages) are not screened for epidemic risk: they are left out."""
    found = [v for i in dict.fromkeys(voyage_ids) if (v := get_voyage(session=session, voyage_id=i))]
    voyages = [v for v in found if v.direction != EXIT]
    if not voyages:
        return []
    return screen_voyages(
        session=session, voyages=voyages, classifier=settings.classifier, backend=settings.screening_backend
    )


def check_lists(*, session: Session, voyage_id: int | None, settings: Settings) -> None:
    """A new version's travellers checked against the lists in force on the flight's day: the hits wait for review
    (the carrier's answer says nothing of them)."""
    voyage = get_voyage(session=session, voyage_id=voyage_id) if voyage_id is not None else None
    if voyage is not None:
        port = voyage.our_port or settings.port_of_entry
        check_voyage(session=session, voyage_id=voyage.id, direction=voyage.direction, port=port,
                     on=voyage.flight_date)  # fmt: skip


def _authorised(*, session: Session, voyage_id: int | None, authorise: Authorise | None) -> None:
    voyage = get_voyage(session=session, voyage_id=voyage_id) if voyage_id is not None else None
    if authorise is not None and voyage is not None:
        authorise(voyage)  # a refusal rolls the filing back with the caller's transaction


def file_paxlst(
    *, session: Session, raw: str, message: PaxlstMessage, settings: Settings, authorise: Authorise | None = None
) -> Filed[IngestResult]:
    """File a manifest (its voyage is relinked when it is new) and screen the voyage, also when it was held; a
    departure manifest is filed as an exit at its origin and not screened (no screening in the result)."""
    where = manifest_crossing(session=session, message=message, settings=settings)
    result = ingest_paxlst(session=session, message=message, raw=raw, port=where.port, direction=where.direction)
    _authorised(session=session, voyage_id=result.voyage_id, authorise=authorise)
    if result.created:
        check_lists(session=session, voyage_id=result.voyage_id, settings=settings)
    return Filed(result, rescreen(session=session, voyage_ids=[result.voyage_id], settings=settings))


def file_pnrgov(
    *, session: Session, raw: str, message: PnrgovMessage, settings: Settings, authorise: Authorise | None = None
) -> Filed[PnrIngestResult]:
    """File a booking push; when it is new and its flight's manifest is here, relink and rescreen that voyage."""
    result = ingest_pnrgov(session=session, message=message, raw=raw, port=settings.port_of_entry)
    _authorised(session=session, voyage_id=result.voyage_id, authorise=authorise)
    touched = [result.voyage_id] if result.created and result.voyage_id is not None else []
    return Filed(result, rescreen(session=session, voyage_ids=touched, settings=settings))


def file_crossings(*, session: Session, crossings: list[CrossingCreate]) -> Filed[int]:
    """Our own exit/entry records (how many were new). They name no voyage: a voyage links them when it is filed
    or relinked, so nothing is rescreened here."""
    return Filed(add_crossings(session=session, crossings=crossings))


def file_declarations(
    *,
    session: Session,
    declarations: list[DeclarationCreate],
    settings: Settings,
    port: str | None = None,
    authorise: Authorise | None = None,
) -> Filed[list[int]]:
    """Declarations in bulk (their ids), each at its flight's port, else ``port`` (the filer's), else the default;
    the voyages they name are relinked and rescreened."""
    port = port or settings.port_of_entry
    ids, voyages = add_declarations(session=session, declarations=declarations, port=port)
    for voyage in voyages:
        if authorise is not None:
            authorise(voyage)  # a refusal rolls the filing back with the caller's transaction
    return Filed(ids, rescreen(session=session, voyage_ids=[v.id for v in voyages], settings=settings))


def file_cards(
    *, session: Session, cards: list[CardIn], settings: Settings, channel: str, now: datetime, port: str | None = None
) -> Filed[list[Declaration]]:
    """Checked declaration cards, each with its code, at the port a card names, else ``port`` (the filing officer's),
    else the installation's default; the voyages they name are relinked and rescreened."""
    port = port or settings.port_of_entry
    filed = [file_card(session=session, card=c, port=port, channel=channel, now=now) for c in cards]
    voyage_ids = [v.id for d in filed for v in card_voyages(session=session, declaration=d)]
    return Filed(filed, rescreen(session=session, voyage_ids=voyage_ids, settings=settings))


def message_type(raw: str) -> str:
    """PAXLST or PNRGOV, from the UNH segment (PAXLST when it does not say)."""
    found = re.search(r"UNH.{1,40}?(PAXLST|PNRGOV)", raw[:4000], flags=re.DOTALL)
    return found.group(1) if found else "PAXLST"


def store_message(*, session: Session, raw: str, settings: Settings) -> tuple[int | None, bool]:
    """File a PAXLST or PNRGOV message and relink, leaving the rescreen to the caller's ``rescreen`` (a batch of
    files is screened in one engine run): the voyage it is for (None: not filed yet) and whether it is new."""
    if message_type(raw) == "PNRGOV":
        booking = ingest_pnrgov(session=session, message=parse_pnrgov(raw), raw=raw, port=settings.port_of_entry)
        return booking.voyage_id, booking.created
    message = parse_paxlst(raw)
    where = manifest_crossing(session=session, message=message, settings=settings)
    result = ingest_paxlst(session=session, message=message, raw=raw, port=where.port, direction=where.direction)
    if result.created:
        check_lists(session=session, voyage_id=result.voyage_id, settings=settings)
    return result.voyage_id, result.created
