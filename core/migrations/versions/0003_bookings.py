"""Bookings: providers, bookings, and the slot and quota counters that make them atomic.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "booking_providers",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("region_prefix", sa.String(length=9), nullable=False),
        sa.Column("services", sa.JSON(), nullable=False),
        sa.Column("hours", sa.JSON(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("wheelchair", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("booking_providers") as batch:
        batch.create_index("ix_booking_providers_region_prefix", ["region_prefix"])

    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("provider_id", sa.String(length=32), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("destination_kind", sa.String(length=32), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("wheelchair", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("remind_day_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("remind_hour_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("day_reminder_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hour_reminder_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("hours >= 0", name="ck_bookings_hours"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["provider_id"], ["booking_providers.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("bookings") as batch:
        batch.create_index("ix_bookings_person_id", ["person_id"])
        batch.create_index("ix_bookings_service", ["service"])
        batch.create_index("ix_bookings_provider_id", ["provider_id"])
        batch.create_index("ix_bookings_starts_at", ["starts_at"])
        batch.create_index("ix_bookings_status", ["status"])
        batch.create_index("ix_bookings_remind_day_at", ["remind_day_at"])
        batch.create_index("ix_bookings_remind_hour_at", ["remind_hour_at"])

    op.create_table(
        "booking_slot_usage",
        sa.Column("provider_id", sa.String(length=32), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("slot_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.CheckConstraint("used >= 0 AND used <= capacity", name="ck_booking_slot_usage_used"),
        sa.ForeignKeyConstraint(["provider_id"], ["booking_providers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("provider_id", "service", "slot_start"),
    )
    op.create_table(
        "booking_quota_usage",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.Column("quota", sa.Integer(), nullable=False),
        sa.CheckConstraint("used >= 0 AND used <= quota", name="ck_booking_quota_usage_used"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("person_id", "service", "year"),
    )


def downgrade() -> None:
    op.drop_table("booking_quota_usage")
    op.drop_table("booking_slot_usage")
    with op.batch_alter_table("bookings") as batch:
        for name in (
            "ix_bookings_remind_hour_at",
            "ix_bookings_remind_day_at",
            "ix_bookings_status",
            "ix_bookings_starts_at",
            "ix_bookings_provider_id",
            "ix_bookings_service",
            "ix_bookings_person_id",
        ):
            batch.drop_index(name)
    op.drop_table("bookings")
    with op.batch_alter_table("booking_providers") as batch:
        batch.drop_index("ix_booking_providers_region_prefix")
    op.drop_table("booking_providers")
