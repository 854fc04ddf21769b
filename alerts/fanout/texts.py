"""What each recipient is sent: texts rendered once per alert and language, voice notes
synthesised once per alert and language (and uploaded to Telegram once)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from alerts import sms_text
from alerts.cap.codec import from_dict
from alerts.cap.model import CapAlert
from alerts.channels.base import VoiceNote
from alerts.models import Alert, AlertVoice
from alerts.render import Rendered, render
from core.i18n import Catalogs
from core.models import HelpMessage
from core.profile import Language, parse_language

Speak = Callable[[str, Language], Awaitable[tuple[bytes, int]]]
"""Synthesise a text: OGG/Opus bytes and the duration in whole seconds."""


@dataclass(frozen=True)
class AlertInfo:
    """What the sender needs to know of an alert."""

    id: int
    cap: CapAlert
    actual: bool
    expires: datetime | None
    """When the last of its info blocks expires; None when one of them never does."""


class AlertTexts:
    """An alert's words for each language and channel, and its voice notes, made once."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalogs: Catalogs,
        *,
        tz: ZoneInfo,
        speak: Speak | None,
        reference_bits: int = sms_text.REFERENCE_BITS,
    ) -> None:
        self._sessions = sessions
        self._catalogs = catalogs
        self._tz = tz
        self._reference_bits = reference_bits
        self._speak = speak
        self._alerts: dict[int, asyncio.Future[AlertInfo]] = {}
        self._rendered: dict[tuple[int, Language], Rendered] = {}
        self._voices: dict[tuple[int, Language], VoiceNote | None] = {}
        self._locks: dict[tuple[int, Language], asyncio.Lock] = {}
        self._uploads: dict[tuple[int, str], asyncio.Lock] = {}

    async def alert(self, alert_id: int) -> AlertInfo:
        """The alert, read once: a thousand sends that start together share one read."""
        loading = self._alerts.get(alert_id)
        if loading is not None and loading.done() and not loading.exception():
            return loading.result()
        if loading is None:
            loading = asyncio.ensure_future(self._load(alert_id))
            self._alerts[alert_id] = loading
        try:
            return await asyncio.shield(loading)
        except LookupError:
            self._alerts.pop(alert_id, None)
            raise

    async def _load(self, alert_id: int) -> AlertInfo:
        async with self._sessions() as session:
            row = await session.get(Alert, alert_id)
            if row is None:
                raise LookupError(f"alert {alert_id} does not exist")
            cap = from_dict(row.document)
        ends = [info.expires for info in cap.infos]
        expires = None if not ends or None in ends else max(e for e in ends if e is not None)
        return AlertInfo(alert_id, cap, actual=cap.status == "Actual", expires=expires)

    async def rendered(self, alert_id: int, language: str) -> Rendered:
        """The alert's texts in `language` (Russian when unknown), rendered once and kept."""
        code = parse_language(language) or Language.RU
        key = (alert_id, code)
        found = self._rendered.get(key)
        if found is None:
            info = await self.alert(alert_id)
            found = render(
                info.cap, code, self._catalogs, tz=self._tz, reference_bits=self._reference_bits
            )
            self._rendered[key] = found
        return found

    def text(self, language: str, key: str, **params: object) -> str:
        """A catalog text in `language` (Russian when unknown)."""
        return self._catalogs.text(parse_language(language) or Language.RU, key, **params)

    async def help_words(self, message_id: int) -> tuple[str, str]:
        """Who wrote a message of a help request's thread ("aigul") and its words, for an SMS
        conversation; LookupError when it is gone (retention, or the person was deleted)."""
        async with self._sessions() as session:
            message = await session.get(HelpMessage, message_id)
            if message is None or not message.text:
                raise LookupError("the message is gone")
            return (message.actor or "112").removeprefix("staff:"), message.text

    async def voice(self, alert_id: int, language: str) -> VoiceNote | None:
        """The alert's voice note in a language; None when it cannot be synthesised."""
        code = parse_language(language) or Language.RU
        key = (alert_id, code)
        if key in self._voices:
            return self._voices[key]
        async with self._locks.setdefault(key, asyncio.Lock()):
            if key not in self._voices:
                self._voices[key] = await self._load_or_make(alert_id, code)
        return self._voices[key]

    def upload_lock(self, note: VoiceNote) -> asyncio.Lock:
        """Held while a voice note is first uploaded, so the others wait for its file id."""
        return self._uploads.setdefault((note.alert_id, note.language), asyncio.Lock())

    async def remember_file_id(self, note: VoiceNote, file_id: str) -> None:
        """Telegram has the voice note now: send it by id from here on, in every worker."""
        key = (note.alert_id, Language(note.language))
        self._voices[key] = VoiceNote(
            note.alert_id, note.language, note.audio, note.duration_seconds, file_id
        )
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(AlertVoice)
                .where(
                    AlertVoice.alert_id == note.alert_id,
                    AlertVoice.language == note.language,
                    AlertVoice.telegram_file_id.is_(None),
                )
                .values(telegram_file_id=file_id)
            )

    async def _load_or_make(self, alert_id: int, language: Language) -> VoiceNote | None:
        async with self._sessions() as session:
            stored = await session.scalar(
                select(AlertVoice).where(
                    AlertVoice.alert_id == alert_id, AlertVoice.language == language.value
                )
            )
            if stored is not None:
                return VoiceNote(
                    alert_id,
                    language.value,
                    stored.audio,
                    stored.duration_seconds,
                    stored.telegram_file_id,
                )
        if self._speak is None:
            return None
        rendered = await self.rendered(alert_id, language.value)
        try:
            audio, seconds = await self._speak(rendered.spoken, language)
        except Exception:  # the text still goes out; a missing voice must not stop an alert
            return None
        try:
            async with self._sessions() as session, session.begin():
                session.add(
                    AlertVoice(
                        alert_id=alert_id,
                        language=language.value,
                        audio=audio,
                        duration_seconds=seconds,
                    )
                )
        except IntegrityError:  # another worker stored it first: use theirs
            return await self._load_or_make(alert_id, language)
        return VoiceNote(alert_id, language.value, audio, seconds)
