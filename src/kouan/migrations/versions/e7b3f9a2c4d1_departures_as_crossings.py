"""departures as crossings: a voyage's direction (entry or exit, every voyage filed so far an entry) and its
scheduled departure from our port; a counter check's direction

Revision ID: e7b3f9a2c4d1
Revises: 8206ff6981b0
Create Date: 2026-12-03 18:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import kouan.db

revision = "e7b3f9a2c4d1"
down_revision = "8206ff6981b0"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("voyage", schema=None) as batch_op:
        batch_op.add_column(sa.Column("direction", sa.String(length=5), server_default="entry", nullable=False))
        batch_op.add_column(sa.Column("scheduled_departure", kouan.db.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("counter_check", schema=None) as batch_op:
        batch_op.add_column(sa.Column("direction", sa.String(length=5), server_default="entry", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("counter_check", schema=None) as batch_op:
        batch_op.drop_column("direction")
    with op.batch_alter_table("voyage", schema=None) as batch_op:
        batch_op.drop_column("scheduled_departure")
        batch_op.drop_column("direction")
