"""outbox events carry their port: copied from the referral an event is about, so scoping an officer's outbox to
the ports of its unit no longer reads the referrals (sharing is the transport below them)

Revision ID: 125b0f336bb1
Revises: a1d7c3e95b02
Create Date: 2026-12-03 13:00:00.000000

Existing events get their referral's port; events about no referral (a vessel's early warning) keep NULL, and
scoping still falls back to their agency's port for those, as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "125b0f336bb1"
down_revision = "a1d7c3e95b02"
branch_labels = None
depends_on = None

EVENTS = sa.table("outbox_event", sa.column("referral_id", sa.Integer()), sa.column("port", sa.String()))
REFERRALS = sa.table("referral", sa.column("id", sa.Integer()), sa.column("port", sa.String()))


def upgrade() -> None:
    with op.batch_alter_table("outbox_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("port", sa.String(length=5), nullable=True))
    port = sa.select(REFERRALS.c.port).where(REFERRALS.c.id == EVENTS.c.referral_id).scalar_subquery()
    op.execute(EVENTS.update().where(EVENTS.c.referral_id.is_not(None)).values(port=port))


def downgrade() -> None:
    with op.batch_alter_table("outbox_event", schema=None) as batch_op:
        batch_op.drop_column("port")
