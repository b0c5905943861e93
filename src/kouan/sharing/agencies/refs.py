"""What routing needs to know of an agency, without the database: the referrals package chooses agencies from these."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AgencyRef:
    """What routing needs to know of an agency."""

    id: int
    kind: str
    port: str | None
    division: str | None
