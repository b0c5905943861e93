"""Which voyages of the operational store have been appended to the crossing history (see :mod:`kouan.history.sync`).

A table of its own rather than a column on ``voyage``: the registry sits below the history and knows nothing of it,
and an append has two states (claimed in a batch, then written) that a single timestamp cannot tell apart.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kouan.db import Base, UTCDateTime


class HistoryAppend(Base):
    """One voyage claimed for the history: its batch (the name of the Parquet files its crossings go to), the last
    manifest version taken (a version filed later is never appended), and when the files were in place (None: the
    batch is still to be written, by this run or the next)."""

    __tablename__ = "history_append"

    voyage_id: Mapped[int] = mapped_column(ForeignKey("voyage.id", ondelete="CASCADE"), primary_key=True)
    batch: Mapped[str] = mapped_column(String(32), index=True)
    last_version: Mapped[int] = mapped_column(Integer)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    written_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
