"""travellers indexed by birth date: relinking a manifest looks for the same person on earlier voyages by document
or birth date, and without this index PostgreSQL read every traveller for each manifest filed

Revision ID: d4a9c1e7b2f0
Revises: 3d3483febdfe
Create Date: 2026-12-03 15:45:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "d4a9c1e7b2f0"
down_revision = "3d3483febdfe"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_traveller_birth_date", "traveller", ["birth_date"])


def downgrade() -> None:
    op.drop_index("ix_traveller_birth_date", table_name="traveller")
