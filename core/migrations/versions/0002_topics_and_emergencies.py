"""Conversation topic for "more" and "source"; emergency requests in the handover inbox.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("topic", sa.String(length=64), nullable=True))
    with op.batch_alter_table("handover_requests") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="person")
        )
        batch.add_column(sa.Column("danger", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handover_requests") as batch:
        batch.drop_column("danger")
        batch.drop_column("kind")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("topic")
