"""re-sent manifests: travellers keep the hash of how they were listed (a re-send finds the unchanged ones without
reading the previous version's stays), and screening results the hash of their inputs (a traveller with the same
fields, stays, schedule and measures takes a copy of the stored result instead of being screened again; one with
the same stays alone takes its reasons without the engine)

Revision ID: e5b8a2c4d1f3
Revises: e7b3f9a2c4d1
Create Date: 2026-12-03 18:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "e5b8a2c4d1f3"
down_revision = "e7b3f9a2c4d1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("traveller", schema=None) as batch_op:
        batch_op.add_column(sa.Column("listed_sha256", sa.String(length=64), nullable=True))
    with op.batch_alter_table("screening_result", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inputs_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("stays_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("screening_result", schema=None) as batch_op:
        batch_op.drop_column("stays_sha256")
        batch_op.drop_column("inputs_sha256")
    with op.batch_alter_table("traveller", schema=None) as batch_op:
        batch_op.drop_column("listed_sha256")
