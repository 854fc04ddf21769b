"""Writing a list file as an office would, and reading back who was stored."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from alerts.models import Registrant
from core.database import SessionFactory

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def write(path: Path, lines: list[str], encoding: str = "cp1251", newline: str = "\r\n") -> Path:
    """`lines` written to `path` as an office saves them (Windows-1251, CRLF by default)."""
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


async def stored(sessions: SessionFactory) -> dict[str, Registrant]:
    """Who is on the list now, by phone (or Telegram chat when there is no phone)."""
    async with sessions() as session:
        found = (await session.scalars(select(Registrant))).all()
    return {
        registrant.phone or str(registrant.telegram_chat_id): registrant for registrant in found
    }
