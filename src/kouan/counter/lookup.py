"""What a scan reads: the traveller on the manifest with the voyage, the declaration, the latest screening result and
the stays. This is the counter's hot path (benchmarks/counter_bench.py): building a query costs several times more
than running it on an indexed table, so each statement is built once here, with bind parameters, and returns rows
(read like the entities: ``row.surname``). Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, bindparam, insert, select
from sqlalchemy.orm import Session

from kouan.counter.models import CounterCheck
from kouan.screening.models import ScreeningResult
from kouan.travel.journey.models import Declaration, TravellerLink
from kouan.travel.registry.history import StayRecord
from kouan.travel.registry.models import Stay, Traveller, Voyage, VoyageVersion

CACHE = "kouan.counter.found"  # session.info key: what this unit of work already read, by check id


@dataclass(frozen=True)
class Found:
    traveller: Row[Any] | None
    card: Row[Any] | None
    result: Row[Any] | None
    stays: tuple[StayRecord, ...] = ()


def _travellers() -> Select[Any]:
    columns: tuple[Any, ...] = (Traveller.id, Traveller.surname, Traveller.given_names, Traveller.document_number,
               Traveller.nationality, Traveller.birth_date, Traveller.sex, Traveller.seat, Voyage.id.label("voyage_id"),
               Voyage.carrier, Voyage.number, Voyage.flight_date, Voyage.scheduled_arrival)  # fmt: skip
    return (
        select(*columns)
        .join(VoyageVersion, Traveller.voyage_version_id == VoyageVersion.id)
        .join(Voyage, VoyageVersion.voyage_id == Voyage.id)
    )


def _not_superseded() -> Any:
    """A version is current when no later version of the same list exists (as ``current_versions``)."""
    later = VoyageVersion.__table__.alias("later")
    return ~(
        select(later.c.id)
        .where(
            later.c.voyage_id == VoyageVersion.voyage_id,
            later.c.message_type == VoyageVersion.message_type,
            later.c.version > VoyageVersion.version,
        )
        .exists()
    )


def _cards() -> Select[Any]:
    return select(*Declaration.__table__.c)


TRAVELLER_BY_ID = _travellers().where(Traveller.id == bindparam("id"))
TRAVELLER_BY_DOCUMENT = (
    _travellers()
    .where(
        Traveller.document_number == bindparam("number"),
        Voyage.our_port == bindparam("port"),
        Voyage.direction == bindparam("direction"),
        _not_superseded(),
    )
    .order_by(Voyage.flight_date.desc(), VoyageVersion.version.desc())
    .limit(1)
)
CARD_BY_ID = _cards().where(Declaration.id == bindparam("id"))
CARD_BY_CODE = _cards().where(Declaration.code == bindparam("code"))
CARD_BY_DOCUMENT = (
    _cards()
    .where(Declaration.document_number == bindparam("number"))
    .order_by(Declaration.submitted_at.desc(), Declaration.id.desc())
    .limit(1)
)
CARD_BY_LINK = (
    _cards()
    .join(TravellerLink, TravellerLink.target_id == Declaration.id)
    .where(TravellerLink.traveller_id == bindparam("id"), TravellerLink.kind == "declaration")
    .order_by(TravellerLink.score.desc())
    .limit(1)
)
INSERT_CHECK = insert(CounterCheck).returning(CounterCheck.id)
CHECK_COLUMNS = tuple(column.key for column in CounterCheck.__table__.columns if column.key != "id")
LATEST_RESULT = (
    select(ScreeningResult.level, ScreeningResult.reasons, ScreeningResult.actions, ScreeningResult.policy)
    .where(ScreeningResult.traveller_id == bindparam("id"))
    .order_by(ScreeningResult.screened_at.desc(), ScreeningResult.id.desc())
    .limit(1)
)
STAYS = select(Stay.region_code, Stay.place, Stay.stay_date, Stay.source, Stay.date_from, Stay.evidence).where(
    Stay.traveller_id == bindparam("id")
)


def _one(session: Session, statement: Select[Any], **params: object) -> Row[Any] | None:
    return session.connection().execute(statement, params).first()


def traveller_by_document(*, session: Session, number: str, port: str, direction: str = "entry") -> Row[Any] | None:
    """The person on the current manifest of the latest voyage into the port (at exit: of the latest departure
    from it) that carries this document."""
    return _one(session, TRAVELLER_BY_DOCUMENT, number=number, port=port, direction=direction)


def traveller_by_id(*, session: Session, traveller_id: int | None) -> Row[Any] | None:
    return None if traveller_id is None else _one(session, TRAVELLER_BY_ID, id=traveller_id)


def card_by_code(*, session: Session, code: str) -> Row[Any] | None:
    return _one(session, CARD_BY_CODE, code=code)


def card_by_document(*, session: Session, number: str | None) -> Row[Any] | None:
    """The latest declaration filed with this document."""
    return None if not number else _one(session, CARD_BY_DOCUMENT, number=number)


def card_for_traveller(*, session: Session, traveller: Row[Any], tried: str | None = None) -> Row[Any] | None:
    """The declaration linked to the traveller, else the latest filed with the traveller's document (unless that
    document was ``tried`` already)."""
    linked = _one(session, CARD_BY_LINK, id=traveller.id)
    if linked is not None or traveller.document_number == tried:
        return linked
    return card_by_document(session=session, number=traveller.document_number)


def card_by_id(*, session: Session, declaration_id: int | None) -> Row[Any] | None:
    return None if declaration_id is None else _one(session, CARD_BY_ID, id=declaration_id)


def found(*, session: Session, traveller: Row[Any] | None, card: Row[Any] | None) -> Found:
    """The screening result, and the stays when there is a card to hold them against."""
    if traveller is None:
        return Found(traveller=None, card=card, result=None)
    result = _one(session, LATEST_RESULT, id=traveller.id)
    stays = tuple(StayRecord(*row) for row in session.connection().execute(STAYS, {"id": traveller.id})) if card else ()
    return Found(traveller=traveller, card=card, result=result, stays=stays)


def insert_check(*, session: Session, check: CounterCheck) -> int:
    """One INSERT of the new check: cheaper than the unit of work's flush on the scan's hot path."""
    values = {key: getattr(check, key) for key in CHECK_COLUMNS}
    return int(session.connection().execute(INSERT_CHECK, values).scalar_one())


def remember(*, session: Session, check_id: int, what: Found) -> Found:
    session.info.setdefault(CACHE, {})[check_id] = what
    return what


def recalled(*, session: Session, check_id: int) -> Found | None:
    found_before: Found | None = session.info.get(CACHE, {}).get(check_id)
    return found_before
