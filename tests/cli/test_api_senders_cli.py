"""`komek api-senders`: a sender is created with the CAP sender values it may post as."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from core.database import create_engine, session_factory
from core.settings import Settings
from core.staff.models import ApiSender, ApiSenderIdentity
from tests.cli.test_bookings_cli import run


async def test_create_a_sender_with_its_cap_sender_values(tmp_path: Path) -> None:
    missing = run(["api-senders", "create", "DChS Almaty"], tmp_path)
    assert missing.returncode != 0
    made = run(
        ["api-senders", "create", "DChS Almaty", "--cap-sender", "dchs@emer.gov.kz"], tmp_path
    )
    assert made.returncode == 0, made.stderr
    assert "shown once" in made.stdout
    taken = run(["api-senders", "create", "Other", "--cap-sender", "dchs@emer.gov.kz"], tmp_path)
    assert taken.returncode != 0
    assert "belongs to another sender" in taken.stdout + taken.stderr
    added = run(["api-senders", "add-cap-sender", "DChS Almaty", "112@emer.gov.kz"], tmp_path)
    assert added.returncode == 0, added.stderr

    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    engine = create_engine(settings)
    async with session_factory(engine)() as session:
        rows = await session.execute(
            select(ApiSender.name, ApiSenderIdentity.cap_sender)
            .join(ApiSenderIdentity, ApiSenderIdentity.sender_id == ApiSender.id)
            .order_by(ApiSenderIdentity.cap_sender)
        )
        assert [tuple(row) for row in rows] == [
            ("DChS Almaty", "112@emer.gov.kz"),
            ("DChS Almaty", "dchs@emer.gov.kz"),
        ]
    await engine.dispose()
