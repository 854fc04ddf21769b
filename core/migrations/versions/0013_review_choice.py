"""The topic a person picked when the bot asked which one they meant, beside the kept message.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("nlu_review_items") as batch:
        batch.add_column(sa.Column("chosen", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("nlu_review_items") as batch:
        batch.drop_column("chosen")
