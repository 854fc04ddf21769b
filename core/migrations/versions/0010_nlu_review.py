"""Messages kept for staff to teach the assistant: masked, from people who agreed to it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nlu_review_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("predicted", sa.String(length=64), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=True),
        sa.Column("labelled_by", sa.String(length=64), nullable=True),
        sa.Column("labelled_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_nlu_review_items_person_id", "nlu_review_items", ["person_id"])
    op.create_index("ix_nlu_review_items_created_at", "nlu_review_items", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_nlu_review_items_created_at", table_name="nlu_review_items")
    op.drop_index("ix_nlu_review_items_person_id", table_name="nlu_review_items")
    op.drop_table("nlu_review_items")
