"""Loading region risk into the store and reading the figures in force."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from kouan.db import utcnow
from kouan.measures.jhu import RiskRow
from kouan.measures.models import ImportSummary, Region, RegionRisk
from kouan.reference import regions

Key = tuple[str, date, str]


def load_regions(*, session: Session) -> int:
    """Countries and Chinese provinces, upserted; returns how many there are."""
    known = {region.code: region for region in session.scalars(select(Region))}
    wanted = regions()
    for item in wanted:
        row = known.get(item.code) or Region(code=item.code)
        row.name, row.name_zh, row.kind, row.parent = item.name, item.name_zh, item.kind, item.parent
        session.add(row)
    session.flush()
    return len(wanted)


def import_risk(*, session: Session, rows: Iterable[RiskRow | None], batch: int = 5000) -> ImportSummary:
    """Adds figures not yet known. A figure that differs from the one stored for the same day and source
    is a correction: it is added as known from now, and the old one stays for earlier "as of" questions."""
    latest = _latest_known(session=session)
    counts = {"read": 0, "added": 0, "unchanged": 0, "skipped": 0}
    pending: list[dict[str, object]] = []
    seen: set[str] = set()
    dates: list[date] = []
    added: dict[str, list[date]] = {}
    for row in rows:
        counts["read"] += 1
        if row is None:
            counts["skipped"] += 1
            continue
        seen.add(row.region_code)
        dates.append(row.data_date)
        if latest.get((row.region_code, row.data_date, row.source)) == (row.rate_14d, row.new_14d):
            counts["unchanged"] += 1
            continue
        pending.append(_as_values(row=row, known=(row.region_code, row.data_date, row.source) in latest))
        added.setdefault(row.region_code, []).append(row.data_date)
        counts["added"] += 1
        if len(pending) >= batch:
            _flush(session=session, pending=pending)
    _flush(session=session, pending=pending)
    return ImportSummary(
        rows_read=counts["read"],
        rows_added=counts["added"],
        rows_unchanged=counts["unchanged"],
        rows_skipped=counts["skipped"],
        regions=len(seen),
        first_date=min(dates, default=None),
        last_date=max(dates, default=None),
        added_regions=sorted(added),
        added_first=min((min(days) for days in added.values()), default=None),
        added_last=max((max(days) for days in added.values()), default=None),
    )


def _latest_known(*, session: Session) -> dict[Key, tuple[float | None, int | None]]:
    """The latest recorded figure for each (region, day, source)."""
    query = select(
        RegionRisk.region_code,
        RegionRisk.data_date,
        RegionRisk.source,
        RegionRisk.rate_14d,
        RegionRisk.new_14d,
    ).order_by(RegionRisk.recorded_at)
    return {(r.region_code, r.data_date, r.source): (r.rate_14d, r.new_14d) for r in session.execute(query)}


def _as_values(*, row: RiskRow, known: bool) -> dict[str, object]:
    recorded: datetime = max(utcnow(), row.recorded_at) if known else row.recorded_at
    return {
        "region_code": row.region_code,
        "data_date": row.data_date,
        "rate_14d": row.rate_14d,
        "new_14d": row.new_14d,
        "population": row.population,
        "source": row.source,
        "recorded_at": recorded,
        "imported_at": utcnow(),
    }


def _flush(*, session: Session, pending: list[dict[str, object]]) -> None:
    if pending:
        session.execute(insert(RegionRisk), pending)
        pending.clear()


def risk_rows(*, session: Session, region_codes: Iterable[str]) -> list[RegionRisk]:
    codes = sorted(set(region_codes))
    if not codes:
        return []
    return list(session.scalars(select(RegionRisk).where(RegionRisk.region_code.in_(codes))).all())


def has_risk_data(*, session: Session) -> bool:
    return session.scalar(select(RegionRisk.id).limit(1)) is not None
