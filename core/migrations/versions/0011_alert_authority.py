"""Who may speak for whom: the CAP sender values of each API sender, a coordinator's regions.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_sender_identities",
        sa.Column("cap_sender", sa.String(length=200), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["sender_id"], ["api_senders.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("cap_sender"),
    )
    op.create_index("ix_api_sender_identities_sender_id", "api_sender_identities", ["sender_id"])
    with op.batch_alter_table("staff_users") as batch:
        batch.add_column(
            sa.Column("regions", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("regions")
    op.drop_index("ix_api_sender_identities_sender_id", table_name="api_sender_identities")
    op.drop_table("api_sender_identities")
