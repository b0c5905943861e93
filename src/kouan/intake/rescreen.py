"""Retroactive re-screening ("what we know now"): past arrivals with a stay in an affected region are screened again
with what is known today, beside the answer they got at arrival; those whose level rose are reported, and referred
when the new answer needs a referral (once: one referral per person per voyage, and a rise already answered "now"
is no rise the next time). The loop's outbox tells the agencies.

A designation recorded or changed (API, console, CLI) rescreens by itself through :func:`after_designation`;
``kouan rescreen`` asks for a window by hand. Services never commit: the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kouan.audit.service import events_for, record
from kouan.db import utcnow
from kouan.measures.classifiers import LEVEL_RANK
from kouan.measures.models import ImportSummary, RegionDesignation
from kouan.referrals.models import Referral
from kouan.referrals.service import Actor, refer_traveller
from kouan.referrals.subjects import needs_referral, subject_key
from kouan.screening.known_now import Arrival, chunks, known_levels, screen_known_on
from kouan.screening.models import ScreeningResult
from kouan.screening.service import arrival_day
from kouan.settings import Settings
from kouan.travel.registry.models import ENTRY, Stay, Traveller, Voyage, VoyageVersion

RESCREEN_ENTITY = "rescreen"
EARLY = timedelta(days=2)


class Raised(BaseModel):
    """One traveller whose level rose with what is known now."""

    traveller_id: int
    surname: str
    given_names: str
    document: str | None
    from_level: str
    to_level: str
    region: str | None


class Rescreened(BaseModel):
    """What a re-screening did: how many travellers it screened again, whose level rose, how many referrals it made."""

    rescreened: int = 0
    raised: list[Raised] = []
    referrals: int = 0


def arrivals(*, session: Session, since: date, until: date, regions: Sequence[str] = ()) -> list[Arrival]:
    """Current travellers of the voyages arriving from ``since`` to ``until`` (both included), only those with a
    stay in one of ``regions`` when any are named. Departures are not screened, so not screened again either."""
    earliest = max(since, date.min + EARLY) - EARLY  # a flight dated the day before (or two) can land on ``since``
    query = select(Voyage).where(Voyage.flight_date >= earliest, Voyage.flight_date <= until, Voyage.direction == ENTRY)
    if regions:
        stayed = select(VoyageVersion.voyage_id).join(Traveller).join(Stay).where(Stay.region_code.in_(regions))
        query = query.where(Voyage.id.in_(stayed))
    voyages = {v.id: v for v in session.scalars(query.order_by(Voyage.id)) if since <= arrival_day(v) <= until}
    wanted = set(regions)
    return [
        (voyages[voyage_id], t)
        for voyage_id, t in _on_board(session=session, voyage_ids=list(voyages))
        if not wanted or any(s.region_code in wanted for s in t.stays)
    ]


def _on_board(*, session: Session, voyage_ids: list[int]) -> list[tuple[int, Traveller]]:
    """The current travellers of many voyages (the latest passenger and crew lists), with their stays, in a few
    round trips instead of two per voyage."""
    latest: dict[tuple[int, str], tuple[int, int]] = {}
    for ids in chunks(voyage_ids):
        rows = session.execute(
            select(VoyageVersion.id, VoyageVersion.voyage_id, VoyageVersion.message_type, VoyageVersion.version)
            .where(VoyageVersion.voyage_id.in_(ids))
            .order_by(VoyageVersion.version)
        )
        latest.update({(r.voyage_id, r.message_type): (r.version, r.id) for r in rows})
    voyage_of = {version_id: voyage_id for (voyage_id, _), (_, version_id) in latest.items()}
    found: list[tuple[int, Traveller]] = []
    for ids in chunks(sorted(voyage_of)):
        query = select(Traveller).where(Traveller.voyage_version_id.in_(ids)).options(selectinload(Traveller.stays))
        travellers = session.scalars(query.order_by(Traveller.voyage_version_id, Traveller.seq)).all()
        found += [(voyage_of[t.voyage_version_id], t) for t in travellers]
    return sorted(found, key=lambda pair: (pair[0], pair[1].voyage_version_id, pair[1].seq))


def rescreen_arrivals(
    *, session: Session, settings: Settings, since: date, until: date, regions: Sequence[str] = (), actor: str
) -> Rescreened:
    """Screen the arrivals of the window again as known today; report and refer the rises (see the module)."""
    found = arrivals(session=session, since=since, until=until, regions=regions)
    before = known_levels(session=session, traveller_ids=[t.id for _, t in found])
    now = screen_known_on(
        session=session,
        arrivals=found,
        known_on=utcnow().date(),
        classifier=settings.classifier,
        backend=settings.screening_backend,
    )
    raised = [(a, r) for a, r in zip(found, now, strict=True) if LEVEL_RANK[r.level] > _rank(before, a[1].id)]
    referred = [_refer(session=session, arrival=a, result=r, settings=settings, actor=actor) for a, r in raised]
    done = Rescreened(
        rescreened=len(found),
        raised=[_raised(arrival=a, result=r, before=before.get(a[1].id, "low"), regions=regions) for a, r in raised],
        referrals=sum(referred),
    )
    _audit(session=session, done=done, actor=actor, window=(since, until), regions=regions)
    return done


def _rank(levels: dict[int, str], traveller_id: int) -> int:
    """The rank of the level known before this run ("low" when never screened)."""
    return LEVEL_RANK.get(levels.get(traveller_id, "low"), 0)


def _refer(*, session: Session, arrival: Arrival, result: ScreeningResult, settings: Settings, actor: str) -> bool:
    """Refer a raised traveller whose new answer needs it, unless they are referred on this voyage already."""
    voyage, traveller = arrival
    key = subject_key(voyage=voyage, traveller=traveller)
    if not needs_referral(result) or session.scalar(select(Referral.id).where(Referral.subject_key == key)):
        return False
    note = f"re-screened: {result.level} with what is known on {result.known_on}"
    port = voyage.destination or settings.port_of_entry  # the voyage's own port, as officers refer it
    refer_traveller(session=session, voyage=voyage, traveller=traveller, result=result, actor=Actor(name=actor),
                    port=port, note=note)  # fmt: skip
    return True


def _raised(*, arrival: Arrival, result: ScreeningResult, before: str, regions: Sequence[str]) -> Raised:
    _, traveller = arrival
    top = [r["region"] for r in result.reasons or [] if r.get("level") == result.level]
    region = next((c for c in top if not regions or c in regions), top[0] if top else None)
    return Raised(
        traveller_id=traveller.id,
        surname=traveller.surname,
        given_names=traveller.given_names,
        document=traveller.document_number,
        from_level=before,
        to_level=result.level,
        region=region,
    )


def _audit(
    *, session: Session, done: Rescreened, actor: str, window: tuple[date, date], regions: Sequence[str]
) -> None:
    """What the run raised, as ids and levels (names stay out of the audit): the console reads the last one."""
    raised = [r.model_dump(include={"traveller_id", "from_level", "to_level", "region"}) for r in done.raised]
    record(
        session=session,
        actor=actor,
        action="rescreen",
        entity=RESCREEN_ENTITY,
        entity_id=f"{window[0]}..{window[1]}",
        after={"regions": list(regions), "rescreened": done.rescreened, "referrals": done.referrals, "raised": raised},
    )


def window_of(designation: RegionDesignation, *, history_days: int, today: date) -> tuple[date, date]:
    """The arrivals a designation can change: from its first day to its last plus the history window, up to today."""
    last = min((designation.valid_to - timedelta(days=1)) if designation.valid_to else today, today)
    return designation.valid_from, min(last + timedelta(days=history_days), today)


def after_designation(*, session: Session, designation: RegionDesignation, settings: Settings) -> Rescreened:
    """A designation just recorded: the past arrivals it can change, screened again as known today."""
    since, until = window_of(designation, history_days=settings.history_days, today=utcnow().date())
    if since > until:  # wholly in the future: nobody has arrived yet
        return Rescreened()
    return rescreen_arrivals(session=session, settings=settings, since=since, until=until,
                             regions=[designation.region_code], actor=f"user:{designation.recorded_by}")  # fmt: skip


def last_rescreen(*, session: Session) -> Rescreened | None:
    """What the last re-screening raised (from its audit event; names read back from the travellers still held)."""
    event = next(iter(events_for(session=session, entity=RESCREEN_ENTITY, limit=1)), None)
    if event is None or not event.after:
        return None
    raised = []
    for item in event.after.get("raised", []):
        traveller = session.get(Traveller, item["traveller_id"])
        if traveller is not None:
            raised.append(Raised(**item, surname=traveller.surname, given_names=traveller.given_names,
                                 document=traveller.document_number))  # fmt: skip
    return Rescreened(rescreened=event.after["rescreened"], raised=raised, referrals=event.after["referrals"])


def visible_to(*, session: Session, done: Rescreened, sees: Callable[[str | None], bool]) -> Rescreened:
    """The re-screening as one user may see it: the raised travellers of the ports they see (the counts reveal no
    row and stay whole)."""
    ports = _ports(session=session, traveller_ids=[r.traveller_id for r in done.raised])
    return done.model_copy(update={"raised": [r for r in done.raised if sees(ports.get(r.traveller_id))]})


def _ports(*, session: Session, traveller_ids: list[int]) -> dict[int, str | None]:
    if not traveller_ids:
        return {}
    query = (
        select(Traveller.id, Voyage.destination)
        .join(VoyageVersion, Traveller.voyage_version_id == VoyageVersion.id)
        .join(Voyage, VoyageVersion.voyage_id == Voyage.id)
    )
    return {row.id: row.destination for row in session.execute(query.where(Traveller.id.in_(traveller_ids)))}


def after_import(*, session: Session, summary: ImportSummary, settings: Settings) -> Rescreened:
    """Figures just imported: the past arrivals with a stay in a region that got figures, from the first data day
    added to the last plus the history window (up to today), screened again as known today."""
    first, last, today = summary.added_first, summary.added_last, utcnow().date()
    if first is None or last is None or first > today:
        return Rescreened()
    until = min(min(last, today) + timedelta(days=settings.history_days), today)
    return rescreen_arrivals(session=session, settings=settings, since=first, until=until,
                             regions=summary.added_regions, actor="import")  # fmt: skip
