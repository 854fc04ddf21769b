"""The bot's memory of chats that refuse voice notes, shared with the alerts in the database."""

from __future__ import annotations

from alerts.fanout.voice_refusal import note_voice_refused, voice_refused
from core.clock import Clock
from core.database import SessionFactory

KEPT = 100_000


class VoiceRefusals:
    """Which chats refuse voice notes: asked once per chat and process, then kept in memory."""

    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock
        self._known: dict[int, bool] = {}

    async def refused(self, chat_id: int) -> bool:
        known = self._known.get(chat_id)
        if known is None:
            async with self._sessions() as session:
                known = await voice_refused(session, chat_id)
            self._remember(chat_id, known)
        return known

    async def note(self, chat_id: int) -> None:
        self._remember(chat_id, True)
        async with self._sessions() as session, session.begin():
            await note_voice_refused(session, [chat_id], self._clock.now())

    def _remember(self, chat_id: int, refused: bool) -> None:
        if len(self._known) >= KEPT:
            self._known.clear()
        self._known[chat_id] = refused
