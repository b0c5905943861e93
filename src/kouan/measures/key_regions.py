"""The key-region list: every region at medium or above on a day, as known on a day, highest level first."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from sqlalchemy.orm import Session

from kouan.measures.levels import LEVEL_RANK, MEDIUM, Classifier, LevelInForce, levels_in_force
from kouan.measures.models import KeyRegionList, KeyRegionRead
from kouan.reference import region as reference_region


def key_regions(*, session: Session, on: date, known_on: date | None = None, classifier: Classifier) -> KeyRegionList:
    """Regions whose level in force on ``on`` as known on ``known_on`` (default ``on``) is medium or above."""
    known = known_on or on
    found = levels_in_force(session=session, regions=None, on=on, known_on=known, classifier=classifier)
    flagged = [f for f in found.values() if LEVEL_RANK[f.level] >= LEVEL_RANK[MEDIUM]]
    flagged.sort(key=lambda f: (-LEVEL_RANK[f.level], f.region))
    return KeyRegionList(on=on, known_on=known, regions=[_read(f) for f in flagged])


def _read(found: LevelInForce) -> KeyRegionRead:
    named = reference_region(found.region)
    designation = asdict(found.designation) if found.designation else None
    return KeyRegionRead(
        region=found.region,
        name=named.name if named else found.region,
        level=found.level,
        rate_14d=found.rate_14d,
        source=found.source,
        data_date=found.data_date,
        designation=designation,  # type: ignore[arg-type]
    )
