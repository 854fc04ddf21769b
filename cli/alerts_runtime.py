"""The alerts fan-out put together: broker, limits, channels, texts, sender, planner, service.

One function builds it for every process that needs it: `komek run` (everything in one
process), `komek worker` (sends batches from Redis; its life is alerts/fanout/worker.py), and
`komek alerts send` (hands an alert to the workers, or sends it itself when there are none).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import structlog
from taskiq import AsyncBroker

from alerts.channels.base import Channel
from alerts.channels.bind_presence import bind_name, keep_announced
from alerts.channels.factory import build_sms_channel
from alerts.channels.smpp import SmppChannel
from alerts.fanout.engine import Fanout, make_broker
from alerts.fanout.inbound import SmsInbound
from alerts.fanout.limits import Limiter, LocalLimiter, RedisLimiter
from alerts.fanout.outgoing import PAID_TELEGRAM_LANE, TELEGRAM_LANE
from alerts.fanout.planner import Planner
from alerts.fanout.sender import CHUNK, CHUNKS_AHEAD, IN_FLIGHT, BatchSender
from alerts.fanout.texts import AlertTexts, Speak
from alerts.service import AlertService
from core.clock import Clock
from core.database import SessionFactory
from core.i18n import Catalogs
from core.localtime import LOCAL_ZONE
from core.profile import Language
from core.settings import Settings
from nlu.safety import reply_to_warning
from voice.service import Voice

if TYPE_CHECKING:  # aiogram loads only in a process that sends on Telegram
    from aiogram import Bot

log = structlog.get_logger(__name__)


@dataclass
class AlertSystem:
    """The alert module as one process runs it: broker, fan-out, service, SMS inbound and sender."""

    broker: AsyncBroker
    fanout: Fanout
    service: AlertService
    inbound: SmsInbound
    sender: BatchSender | None
    sms: Channel | None = None
    """The SMS channel this process sends with, if any."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _speaker(voice: Voice | None) -> Speak | None:
    if voice is None:
        return None
    spoken_by = voice

    async def speak(text: str, language: Language) -> tuple[bytes, int]:
        note = await spoken_by.say(text, language)
        return note.ogg, max(1, round(note.seconds))

    return speak


def _announced(
    sessions: SessionFactory, clock: Clock, sms: SmppChannel
) -> Coroutine[Any, Any, None]:
    """Keep this process's bind announced while it is up (`bind_presence`)."""
    return keep_announced(
        sessions,
        clock,
        process=worker_name(),
        bind=bind_name(sms.config),
        bound=lambda: sms.bound,
        wait_bound=sms.wait_bound,
    )


def _limiter(settings: Settings) -> Limiter:
    rates = {
        TELEGRAM_LANE: settings.telegram_alert_rate,
        PAID_TELEGRAM_LANE: settings.telegram_paid_rate,
    }
    if settings.redis_url:
        return RedisLimiter(settings.redis_url, rates)
    return LocalLimiter(rates)


@asynccontextmanager
async def telegram_bot(settings: Settings, *, wanted: bool = True) -> AsyncIterator[Bot | None]:
    """The Bot alerts go out through, when a token is set (and `wanted`); closed afterwards."""
    token = settings.telegram_token.get_secret_value() if settings.telegram_token else None
    bot: Bot | None = None
    if wanted and token:
        from bot.telegram.app import build_bot  # aiogram, only for a process that sends

        bot = build_bot(token, settings.telegram_api_url)
    try:
        yield bot
    finally:
        if bot is not None:
            await bot.session.close()


@asynccontextmanager
async def alert_system(
    settings: Settings,
    sessions: SessionFactory,
    clock: Clock,
    *,
    bot: Bot | None,
    catalogs: Catalogs,
    voice: Voice | None,
    sends: bool = True,
    sandbox_url: str | None = None,
    in_flight: int = IN_FLIGHT,
    announce_bind: bool = True,
    chunk: int = CHUNK,
    chunks_ahead: int = CHUNKS_AHEAD,
) -> AsyncIterator[AlertSystem]:
    """The fan-out; `sends=False` for a process that only hands alerts to the workers.
    While its SMPP bind is up the process says so in the database (`announce_bind`), so
    `komek alerts send` can leave receipts and replies to it."""
    broker = make_broker(settings.redis_url, idle_seconds=settings.alert_task_idle_seconds)
    inbound = SmsInbound(sessions, clock, reply_to_warning)
    channels: dict[str, Channel] = {}
    limiter = _limiter(settings)
    sender = None
    presence: asyncio.Task[None] | None = None
    steps = [timedelta(minutes=minutes) for minutes in settings.escalation_steps()]
    if sends:
        if bot is not None:
            from bot.telegram.alert_channel import TelegramAlertChannel

            channels["telegram"] = TelegramAlertChannel(bot, catalogs)
        sms = build_sms_channel(settings, inbound, sandbox_url=sandbox_url)
        if sms is not None:
            await sms.start()  # binds now, so receipts and replies are heard from the start
            channels["sms"] = sms
            if announce_bind and isinstance(sms, SmppChannel):
                presence = asyncio.create_task(_announced(sessions, clock, sms))
        texts = AlertTexts(
            sessions,
            catalogs,
            tz=LOCAL_ZONE,
            speak=_speaker(voice),
            reference_bits=settings.smpp_reference_bits,
        )
        sender = BatchSender(
            sessions,
            clock,
            channels,
            texts,
            limiter,
            worker=worker_name(),
            paid_broadcast=settings.telegram_paid_broadcast,
            in_flight=in_flight,
            lease=timedelta(seconds=settings.alert_task_idle_seconds / 2),
            first_escalation=steps[0] if steps else None,
            chunk=chunk,
            chunks_ahead=chunks_ahead,
        )
    planner = Planner(
        sessions,
        clock,
        batch_size=settings.alert_batch_size,
        first_escalation=steps[0] if steps else None,
    )
    fanout = Fanout(
        broker,
        sessions,
        clock,
        planner,
        sender,
        escalation_steps=steps,
        stale_after=timedelta(seconds=settings.alert_task_idle_seconds),
    )
    if sender is not None or settings.redis_url:  # somebody sends what is dispatched
        inbound.send_with(fanout.dispatch)  # acknowledgements of SMS replies
    await broker.startup()
    try:
        service = AlertService(sessions, clock, fanout)
        yield AlertSystem(broker, fanout, service, inbound, sender, channels.get("sms"))
    finally:
        if presence is not None:
            presence.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await presence
        await broker.shutdown()
        for channel in channels.values():
            await channel.close()
        close = getattr(limiter, "close", None)
        if close is not None:
            await close()
