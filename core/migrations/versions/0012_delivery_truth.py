"""What was really delivered: voice refused per person, the form a message went in, SMS part
receipts, and when each recipient was first reached.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("voice_refused_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("registrants") as batch:
        batch.add_column(sa.Column("voice_refused_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("sent_as", sa.String(length=8), nullable=True))
    with op.batch_alter_table("alert_recipients") as batch:
        batch.add_column(sa.Column("first_sent_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "delivery_parts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "delivery_id",
            sa.Integer(),
            sa.ForeignKey("deliveries.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("error", sa.String(length=200), nullable=True),
    )
    op.create_index("ix_delivery_parts_message", "delivery_parts", ["message_id"])
    op.create_index("ix_delivery_parts_delivery", "delivery_parts", ["delivery_id"])


def downgrade() -> None:
    op.drop_index("ix_delivery_parts_delivery", table_name="delivery_parts")
    op.drop_index("ix_delivery_parts_message", table_name="delivery_parts")
    op.drop_table("delivery_parts")
    with op.batch_alter_table("alert_recipients") as batch:
        batch.drop_column("first_sent_at")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("sent_as")
    with op.batch_alter_table("registrants") as batch:
        batch.drop_column("voice_refused_at")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("voice_refused_at")
