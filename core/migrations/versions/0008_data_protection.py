"""Data protection: columns wide enough for encrypted personal data, the phone's blind index,
when a registrant became inactive, and delivery records that can outlive their registrant.

Coordinates become text (a number, or its ciphertext when KOMEK_DATA_KEY is set). Existing
values are kept as they are (plain); `komek privacy encrypt-existing` encrypts them later.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
"""Names SQLite's unnamed unique constraints get while a table is rebuilt, to drop one."""
_COORDINATES = ("latitude", "longitude")


def _phone_unique_name() -> str:
    """PostgreSQL named the constraint of 0006 itself; SQLite's is named by _SQLITE_NAMES."""
    postgresql = op.get_bind().dialect.name == "postgresql"
    return "registrants_phone_key" if postgresql else "uq_registrants_phone"


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.alter_column("phone", existing_type=sa.String(length=20), type_=sa.Text())
    for table in ("handover_requests", "bookings"):
        with op.batch_alter_table(table) as batch:
            for name in _COORDINATES:
                batch.alter_column(
                    name,
                    existing_type=sa.Float(),
                    type_=sa.Text(),
                    postgresql_using=f"{name}::text",
                )
    with op.batch_alter_table("registrants", naming_convention=_SQLITE_NAMES) as batch:
        batch.drop_constraint(_phone_unique_name(), type_="unique")
        batch.alter_column("phone", existing_type=sa.String(length=20), type_=sa.Text())
        batch.alter_column("contact_phone", existing_type=sa.String(length=20), type_=sa.Text())
        for name in _COORDINATES:
            batch.alter_column(
                name, existing_type=sa.Float(), type_=sa.Text(), postgresql_using=f"{name}::text"
            )
        batch.add_column(sa.Column("phone_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("inactive_since", sa.DateTime(timezone=True), nullable=True))
        batch.create_unique_constraint("uq_registrants_phone_hash", ["phone_hash"])
    # Without a key the blind index is the phone itself (core.encryption).
    op.execute("UPDATE registrants SET phone_hash = phone WHERE phone IS NOT NULL")
    op.execute(
        "UPDATE registrants SET inactive_since = updated_at "
        "WHERE active = false AND inactive_since IS NULL"
    )
    for table in ("alert_recipients", "deliveries"):
        with op.batch_alter_table(table) as batch:
            batch.alter_column("registrant_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    """Back to 0007; only for plain data (decrypt nothing is possible here)."""
    op.execute("DELETE FROM deliveries WHERE registrant_id IS NULL")
    op.execute("DELETE FROM alert_recipients WHERE registrant_id IS NULL")
    for table in ("alert_recipients", "deliveries"):
        with op.batch_alter_table(table) as batch:
            batch.alter_column("registrant_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("registrants") as batch:
        batch.drop_constraint("uq_registrants_phone_hash", type_="unique")
        batch.drop_column("inactive_since")
        batch.drop_column("phone_hash")
        for name in _COORDINATES:
            batch.alter_column(
                name,
                existing_type=sa.Text(),
                type_=sa.Float(),
                postgresql_using=f"{name}::double precision",
            )
        batch.alter_column("contact_phone", existing_type=sa.Text(), type_=sa.String(length=20))
        batch.alter_column("phone", existing_type=sa.Text(), type_=sa.String(length=20))
        batch.create_unique_constraint(_phone_unique_name(), ["phone"])
    for table in ("handover_requests", "bookings"):
        with op.batch_alter_table(table) as batch:
            for name in _COORDINATES:
                batch.alter_column(
                    name,
                    existing_type=sa.Text(),
                    type_=sa.Float(),
                    postgresql_using=f"{name}::double precision",
                )
    with op.batch_alter_table("people") as batch:
        batch.alter_column("phone", existing_type=sa.Text(), type_=sa.String(length=20))
