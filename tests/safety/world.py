"""Kömek as a warned person meets it: the bot on the sandbox, SMS phones, real SQLite.

One `World` per test module: the real aiogram Dispatcher polls the sandbox Bot API, the SMS
channel the settings choose (the sandbox's) hears replies for `SmsInbound`, and the voice
pipeline is the product's with the transcript book as its acoustic model (tests/safety/
speech.py). Each person it registers is new, so no answer depends on an earlier one.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiogram import Bot
from sqlalchemy import select

from alerts import subscriptions
from alerts.channels.base import Outgoing
from alerts.channels.factory import build_sms_channel
from alerts.channels.sandbox_sms import SandboxSmsChannel
from alerts.fanout.inbound import SmsInbound
from alerts.models import Registrant
from bot.assembly import build_dialogue
from bot.dialogue.engine import Dialogue
from bot.dialogue.features.alerts_subscription import CONSENT_KEY, CONSENT_VERSION
from bot.telegram.alert_channel import TelegramAlertChannel
from bot.telegram.app import build_bot, build_dispatcher
from bot.telegram.sender import ReplySender
from cli.alerts_runtime import alert_system
from content.articles import KnowledgeBase
from core.clock import ManualClock
from core.database import SessionFactory, create_engine, session_factory, upgrade
from core.encryption import lookup_values
from core.i18n import Catalogs
from core.profile import Language
from core.settings import Settings
from nlu.pipeline import NLU
from sandbox.app import SandboxServer
from sandbox.client import SandboxClient
from sandbox.sim_user import SimUser
from tests.alerts.broadcast import add_registrants, alert_received
from tests.bot.conftest import TOKEN, Sleeps
from tests.safety.speech import BookPool, TranscriptBook, as_recognised
from tests.waiting import until
from voice.service import Voice
from voice.synthesis import SynthesisCache

REPLY_SECONDS = 60.0
"""Long enough for a busy machine; a reply normally takes well under a second."""

WARNING = {
    "kk": "Алматыда күшті жер сілкінісі. Ғимараттан қазір шығыңыз.",
    "ru": "Сильное землетрясение в Алматы. Выйдите из здания сейчас.",
    "en": "Strong earthquake in Almaty. Leave the building now.",
}
SMS_WARNING = {
    "kk": "Жер сілкінісі. Ғимараттан шығыңыз. Жауап: 1 аманмын, 2 көмек керек.",
    "ru": "Землетрясение. Выйдите из здания. Ответ: 1 в безопасности, 2 нужна помощь.",
    "en": "Earthquake. Leave the building. Reply 1 if safe, 2 if you need help.",
}


@dataclass
class Someone:
    """Somebody on the warning list: a bot user (`user`) or a phone on the official list."""

    language: str
    registrant_id: int
    user: SimUser | None = None
    phone: str | None = None


class HeardReplies:
    """What the SMS channel hears: replies go to the product's `SmsInbound` and are counted.

    Receipts are not passed on: the warnings here are sent outside the fan-out's ledger, so
    there is no row for a receipt to update.
    """

    def __init__(self, inbound: SmsInbound) -> None:
        self.inbound = inbound
        self.handled: Counter[str] = Counter()

    async def receipt(self, provider_message_id: str, delivered: bool, error: str | None) -> None:
        return None

    async def reply(self, phone: str, text: str) -> None:
        try:
            await self.inbound.reply(phone, text)
        finally:
            self.handled[phone] += 1


@dataclass(repr=False)
class World:
    settings: Settings
    sessions: SessionFactory
    clock: ManualClock
    dialogue: Dialogue
    telegram: SandboxClient
    bot: Bot
    sms_out: SandboxSmsChannel
    replies: HeardReplies
    book: TranscriptBook
    catalogs: Catalogs = field(default_factory=Catalogs.load)
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def bot_user(self, language: str) -> Someone:
        """Somebody who set up the bot in `language` and joined the list by Telegram."""
        user = await self.telegram.add_user("Dana", language_code=language)
        now = self.clock.now()
        async with self.sessions.begin() as session:
            person = await self.dialogue.services.people.create(
                session, user.user_id, Language(language)
            )
            person.onboarded_at = now
            registrant = await subscriptions.subscribe(
                session,
                person,
                region="75",
                latitude=None,
                longitude=None,
                wants_sms=False,
                phone=None,
                contact_phone=None,
                consent_version=CONSENT_VERSION,
                consent_key=CONSENT_KEY,
                now=now,
            )
            registrant_id = registrant.id
        return Someone(language, registrant_id, user=user)

    async def phone_on_the_list(self, language: str) -> Someone:
        """A phone from the official list, in `language`, that gets warnings by SMS."""
        phone = f"+7701{next(self._numbers):07d}"
        rows: list[dict[str, object]] = [{"phone": phone, "wants_sms": True, "language": language}]
        await add_registrants(self.sessions, rows, now=self.clock.now())
        async with self.sessions() as session:
            registrant_id = await session.scalar(
                select(Registrant.id).where(Registrant.phone_hash.in_(lookup_values(phone)))
            )
        assert registrant_id is not None
        return Someone(language, registrant_id, phone=phone)

    async def warn(self, someone: Someone) -> int:
        """A warning stored as sent to them and delivered through the sandbox; its id."""
        number = next(self._numbers)
        async with self.sessions.begin() as session:
            alert = await alert_received(
                session,
                someone.registrant_id,
                identifier=f"safety-{number}",
                language=someone.language,
                now=self.clock.now(),
            )
            alert_id = alert.id
        message = Outgoing(
            key=f"{alert_id}:{number}:0",
            delivery_id=alert_id,
            alert_id=alert_id,
            language=someone.language,
            text=(SMS_WARNING if someone.phone else WARNING)[someone.language],
            chat_id=someone.user.chat_id if someone.user else None,
            phone=someone.phone,
        )
        if someone.user is not None:
            await TelegramAlertChannel(self.bot, self.catalogs).send(message)
            await next_messages(someone.user, len(someone.user.bot_messages))
        else:
            await self.sms_out.send(message)
        return alert_id

    async def type(self, someone: Someone, text: str) -> list[dict[str, Any]]:
        """They type `text` in the bot; the bot's reply (the messages sent so far)."""
        assert someone.user is not None
        since = len(someone.user.bot_messages)
        await someone.user.send_text(text)
        return await next_messages(someone.user, since)

    async def say(self, someone: Someone, text: str) -> list[dict[str, Any]]:
        """They record a voice note in which they say `text`; the bot's reply so far."""
        assert someone.user is not None
        since = len(someone.user.bot_messages)
        await someone.user.send_voice(self.book.record(as_recognised(text)), duration=1)
        return await next_messages(someone.user, since)

    async def text_back(self, someone: Someone, text: str) -> list[dict[str, Any]]:
        """They reply to the warning SMS with `text`; the SMS sent back once it is handled."""
        assert someone.phone is not None
        phone = someone.phone
        done = self.replies.handled[phone] + 1
        await self.telegram.sms_reply(phone, text)

        async def handled() -> bool:
            return self.replies.handled[phone] >= done

        await until(handled, REPLY_SECONDS)
        return await self.sms_after_reply(phone)

    async def sms_after_reply(self, phone: str) -> list[dict[str, Any]]:
        """The SMS Kömek sent to the phone after its latest reply."""
        messages = await self.telegram.sms_messages(phone)
        last = max(i for i, m in enumerate(messages) if m["direction"] == "from_phone")
        return [m for m in messages[last + 1 :] if m["direction"] == "to_phone"]


async def next_messages(
    user: SimUser, since: int, seconds: float = REPLY_SECONDS
) -> list[dict[str, Any]]:
    """The bot's messages after the first `since` of the chat, once there is at least one."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while len(user.bot_messages) <= since:
        remaining = deadline - loop.time()
        if remaining <= 0:
            raise TimeoutError(f"{user!r}: no reply within {seconds} s")
        await user.sync(wait=remaining)
    await user.sync()
    return user.bot_messages[since:]


@asynccontextmanager
async def running_world(
    directory: Path, nlu: NLU, knowledge: KnowledgeBase
) -> AsyncIterator[World]:
    """Kömek with production settings (the flood limit included) on a fresh SQLite file."""
    settings = Settings(_env_file=None, environment="test", data_dir=directory / "var")
    clock = ManualClock()
    engine = create_engine(settings)
    await upgrade(engine)
    sessions = session_factory(engine)
    book = TranscriptBook()
    pool = BookPool(book)
    voice = Voice(pool, SynthesisCache(directory=directory / "voice-cache"))
    dialogue = build_dialogue(settings, sessions, clock, nlu=nlu, knowledge=knowledge, voice=voice)
    await dialogue.services.bookings.seed_providers()
    try:
        async with AsyncExitStack() as stack:
            sandbox = await stack.enter_async_context(SandboxServer("127.0.0.1", 0))
            client = await stack.enter_async_context(SandboxClient(sandbox.base_url))
            await client.set_sms(receipt_delay_ms=0)
            bot = build_bot(TOKEN, sandbox.base_url)
            stack.push_async_callback(bot.session.close)
            dispatcher = build_dispatcher(dialogue, ReplySender(sleep=Sleeps()))
            polling = asyncio.create_task(
                dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1)
            )

            async def stop_polling() -> None:
                await dispatcher.stop_polling()
                await asyncio.wait_for(polling, 10)

            stack.push_async_callback(stop_polling)
            system = await stack.enter_async_context(
                alert_system(
                    settings,
                    sessions,
                    clock,
                    bot=None,
                    catalogs=Catalogs.load(),
                    voice=None,
                    sends=False,
                )
            )
            heard = HeardReplies(system.inbound)  # SMS replies are read as production reads them
            listener = build_sms_channel(settings, heard, sandbox_url=sandbox.base_url)
            assert listener is not None
            await listener.start()
            stack.push_async_callback(listener.close)
            sms_out = SandboxSmsChannel(sandbox.base_url)
            stack.push_async_callback(sms_out.close)
            yield World(settings, sessions, clock, dialogue, client, bot, sms_out, heard, book)
    finally:
        pool.close()
        await engine.dispose()
