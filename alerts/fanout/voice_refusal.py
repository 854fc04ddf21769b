"""People whose Telegram privacy settings refuse voice notes: they get the same words as text.

Telegram answers sendVoice with 400 VOICE_MESSAGES_FORBIDDEN for such a person. It is kept on
both their bot profile and their registration (matched by the Telegram chat), so the next
reply, reminder or alert goes straight to text, in whichever process sends it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.models import Registrant
from core.models import Person

VOICE_REFUSED = "VOICE_MESSAGES_FORBIDDEN"
"""What Telegram's 400 answer to sendVoice says when the person refuses voice messages."""


def is_voice_refusal(description: str) -> bool:
    """Whether Telegram's error says the person refuses voice messages."""
    return VOICE_REFUSED in description.upper()


async def note_voice_refused(
    session: AsyncSession, chat_ids: Collection[int], now: datetime
) -> None:
    """Remember that these chats refuse voice notes (once: the first refusal's time stays)."""
    if not chat_ids:
        return
    ids = list(chat_ids)
    await session.execute(
        update(Person)
        .where(Person.telegram_id.in_(ids), Person.voice_refused_at.is_(None))
        .values(voice_refused_at=now)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(Registrant)
        .where(Registrant.telegram_chat_id.in_(ids), Registrant.voice_refused_at.is_(None))
        .values(voice_refused_at=now)
        .execution_options(synchronize_session=False)
    )


async def voice_refused(session: AsyncSession, chat_id: int) -> bool:
    """Whether this chat is known to refuse voice notes."""
    person = await session.scalar(
        select(Person.voice_refused_at).where(Person.telegram_id == chat_id)
    )
    if person is not None:
        return True
    registrant = await session.scalar(
        select(Registrant.voice_refused_at).where(Registrant.telegram_chat_id == chat_id)
    )
    return registrant is not None
