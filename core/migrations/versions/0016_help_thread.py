"""The thread of a help request: the person's own words and the dispatcher's, and whether a
dispatcher is talking with the person.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handover_requests") as batch:
        batch.add_column(
            sa.Column("talking", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "help_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sender", sa.String(length=8), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["handover_requests.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_help_messages_request_id", "help_messages", ["request_id"])


def downgrade() -> None:
    op.drop_index("ix_help_messages_request_id", table_name="help_messages")
    op.drop_table("help_messages")
    with op.batch_alter_table("handover_requests") as batch:
        batch.drop_column("talking")
