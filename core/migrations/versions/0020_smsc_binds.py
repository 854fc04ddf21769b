"""Which processes are bound to an SMS centre now: each bound process renews its row, so
`komek alerts send` can leave receipts and replies to one of them.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "smsc_binds",
        sa.Column("process", sa.Text(), primary_key=True),
        sa.Column("bind", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("smsc_binds")
