"""history append: the voyages appended to the crossing history, in which batch, up to which manifest version and
when their files were written

Revision ID: d4c1a7e9b3f2
Revises: b6e1d2c3a4f5
Create Date: 2026-12-04 10:00:00.000000

No voyage has been appended before: the table starts empty and the first `kouan history sync` appends every voyage
that has arrived.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kouan.db import UTCDateTime

revision = "d4c1a7e9b3f2"
down_revision = "b6e1d2c3a4f5"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "history_append",
        sa.Column("voyage_id", sa.Integer(), nullable=False),
        sa.Column("batch", sa.String(length=32), nullable=False),
        sa.Column("last_version", sa.Integer(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=False),
        sa.Column("written_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["voyage_id"], ["voyage.id"], name=op.f("fk_history_append_voyage_id_voyage"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("voyage_id", name=op.f("pk_history_append")),
    )
    with op.batch_alter_table("history_append", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_history_append_batch"), ["batch"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("history_append", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_history_append_batch"))
    op.drop_table("history_append")
