"""crossings carry the permitted stay: an entry's basis (visa, residence permit, 24/72/144-hour transit, visa-free,
citizen), its visa type, the duration of stay granted and a permit's expiry, so the overstays list (非法居留) can say
who is past their stay with no exit

Revision ID: f3b8c2d6e1a9
Revises: d4a9c1e7b2f0
Create Date: 2026-12-03 18:00:00.000000

Crossings filed before have none of these: their basis is unknown, so the overstays list counts them but lists none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "f3b8c2d6e1a9"
down_revision = "d4a9c1e7b2f0"
branch_labels = None
depends_on = None

COLUMNS = ("stay_basis", "visa_type", "stay_days", "permit_until")


def upgrade() -> None:
    with op.batch_alter_table("crossing", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stay_basis", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("visa_type", sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column("stay_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("permit_until", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("crossing", schema=None) as batch_op:
        for column in reversed(COLUMNS):
            batch_op.drop_column(column)
