"""screening results as known now: a result can say the day it was known on (a retroactive re-screening), so the
answer given at arrival ("as known then", NULL) stays beside the answer with what is known now

Revision ID: b6e1d2c3a4f5
Revises: 125b0f336bb1
Create Date: 2026-12-03 13:40:00.000000

Existing results are all as known on their own day: they keep NULL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "b6e1d2c3a4f5"
down_revision = "125b0f336bb1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screening_result", schema=None) as batch_op:
        batch_op.add_column(sa.Column("known_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("screening_result", schema=None) as batch_op:
        batch_op.drop_column("known_on")
