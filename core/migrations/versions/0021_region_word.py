"""Whose word the region on the warning list is, since when, and what the official list said
last (alerts.registry.region_word): an import no longer overwrites a region the person changed
themselves in the bot with an older list row.

Rows already stored take their consent's source as the region's (the list's rows were set by
the list, the bot's by the person), their last change as its time, and the list's rows their
region as the list's last word.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("registrants") as batch:
        batch.add_column(
            sa.Column("region_source", sa.String(length=16), nullable=False, server_default="list")
        )
        batch.add_column(sa.Column("region_set_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("list_region", sa.String(length=9), nullable=True))
    registrants = sa.table(
        "registrants",
        sa.column("consent_source", sa.String),
        sa.column("region", sa.String),
        sa.column("region_source", sa.String),
        sa.column("region_set_at", sa.DateTime(timezone=True)),
        sa.column("list_region", sa.String),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        registrants.update().values(
            region_source=registrants.c.consent_source, region_set_at=registrants.c.updated_at
        )
    )
    op.execute(
        registrants.update()
        .where(registrants.c.consent_source == "list")
        .values(list_region=registrants.c.region)
    )


def downgrade() -> None:
    with op.batch_alter_table("registrants") as batch:
        batch.drop_column("list_region")
        batch.drop_column("region_set_at")
        batch.drop_column("region_source")
