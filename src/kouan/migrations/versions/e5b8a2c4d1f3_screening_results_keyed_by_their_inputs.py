"""screening results keyed by their inputs: a traveller listed again unchanged on a re-sent manifest, with the same
stays, schedule and measures, takes a copy of the stored result instead of being screened again

Revision ID: e5b8a2c4d1f3
Revises: d4a9c1e7b2f0
Create Date: 2026-12-03 18:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "e5b8a2c4d1f3"
down_revision = "d4a9c1e7b2f0"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screening_result", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inputs_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("screening_result", schema=None) as batch_op:
        batch_op.drop_column("inputs_sha256")
