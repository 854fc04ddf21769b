"""The name a person shows in Telegram, on their help requests, for the dispatcher to address
them by (encrypted with the data key when one is set).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handover_requests") as batch:
        batch.add_column(sa.Column("name", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handover_requests") as batch:
        batch.drop_column("name")
