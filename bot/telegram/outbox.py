"""Sends the outbox: messages to people that were decided away from their conversation."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import structlog
from aiogram import Bot

from bot.dialogue.context import local_datetime_text
from bot.dialogue.turns import Reply
from bot.telegram.sender import Delivery, ReplySender
from core import notifications
from core.clock import Clock
from core.database import SessionFactory
from core.i18n import Catalogs
from core.models import Person
from core.profile import Language
from voice.service import Voice

log = structlog.get_logger(__name__)
Tick = Callable[[], Awaitable[None]]


def render(catalogs: Catalogs, language: Language, key: str, params: dict[str, Any]) -> str:
    """The message in the person's language: `*_key` values are translated, `*_at` dates shown."""
    values: dict[str, object] = {}
    for name, value in params.items():
        if name.endswith("_key"):
            values[name.removesuffix("_key")] = catalogs.text(language, str(value))
        elif name.endswith("_at"):
            moment = datetime.fromisoformat(str(value))
            values[name.removesuffix("_at")] = local_datetime_text(moment)
        else:
            values[name] = value
    return catalogs.text(language, key, **values)


class Outbox:
    """Claims unsent notifications, sends each in the person's language and mode, marks it."""

    def __init__(
        self,
        sessions: SessionFactory,
        catalogs: Catalogs,
        clock: Clock,
        sender: ReplySender,
        voice: Voice | None = None,
    ) -> None:
        self._sessions = sessions
        self._catalogs = catalogs
        self._clock = clock
        self._sender = sender
        self._voice = voice

    async def send_due(self, bot: Bot) -> int:
        """Send what is waiting; returns how many were delivered."""
        async with self._sessions() as session, session.begin():
            claimed = await notifications.claim(session, self._clock.now())
            jobs = []
            for item in claimed:
                person = await session.get(Person, item.person_id)
                if person is not None:
                    jobs.append(
                        (
                            item.id,
                            person.telegram_id,
                            Language(person.language),
                            person.answer_mode,
                            person.speech_rate,
                            item.key,
                            item.params,
                        )
                    )
        delivered = 0
        for item_id, chat_id, language, mode, rate, key, params in jobs:
            text = render(self._catalogs, language, key, params)
            reply = Reply(language=language, parts=(text,), remember=False)
            if mode != "text" and self._voice is not None:
                try:
                    reply = Reply(
                        language=language,
                        parts=(text,),
                        remember=False,
                        voice=await self._voice.say(text, language, rate=rate),
                    )
                except Exception:  # the text still goes out
                    log.exception("outbox.voice_failed")
            try:
                delivery = await self._sender.send(bot, chat_id, reply)
            except Exception:
                log.exception("outbox.send_failed", notification=item_id)
                delivery = Delivery.GAVE_UP
            async with self._sessions() as session, session.begin():
                if delivery is Delivery.GAVE_UP:
                    await notifications.release(session, item_id)
                else:  # sent, or the person blocked the bot: either way, never again
                    await notifications.mark_sent(session, item_id, self._clock.now())
                    delivered += delivery is Delivery.SENT
        return delivered


async def every(
    seconds: float, tick: Tick, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
) -> None:
    """Run `tick` forever, `seconds` apart; a failing tick is logged, the loop goes on."""
    while True:
        try:
            await tick()
        except Exception:
            log.exception("background.tick_failed")
        await sleep(seconds)
