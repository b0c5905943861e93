"""Delivery moves the loop: a referral whose event reached an agency (the relay pushed it, or the agency pulled it
from its feed) is dispatched through the machine, created → sent. The relay is given :func:`sweep_delivered`;
sharing knows nothing of referrals. Services never commit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from kouan.referrals.lifecycle import sources
from kouan.referrals.models import Referral
from kouan.referrals.service import dispatch_many
from kouan.sharing.outbox.models import OutboxEvent, OutboxStatus


def sweep_delivered(*, session: Session, limit: int) -> int:
    """Dispatch up to ``limit`` referrals whose event was delivered; how many moved. Read from the stored state, so
    a relay killed between recording a delivery and this step loses nothing."""
    delivered = select(OutboxEvent.id).where(
        OutboxEvent.referral_id == Referral.id, OutboxEvent.status == OutboxStatus.delivered.value
    )
    query = select(Referral.id).where(Referral.state.in_(sources("dispatch")), delivered.exists())
    ids = session.scalars(query.order_by(Referral.id).limit(limit).with_for_update(skip_locked=True, of=Referral))
    return mark_sent(session=session, referral_ids=list(ids))


def mark_sent(*, session: Session, referral_ids: Sequence[int]) -> int:
    """Referrals handed to their agency are sent (those the loop can no longer dispatch stay as they are)."""
    return dispatch_many(session=session, referral_ids=referral_ids) if referral_ids else 0
