"""One sending process built in a test: a real sender, fan-out and alert service on the
in-process broker, sending to the sandbox Bot API (fixtures `sandbox` and `stage_of`)."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot
from taskiq import AsyncBroker, InMemoryBroker

from alerts.fanout.engine import Fanout
from alerts.fanout.limits import LocalLimiter
from alerts.fanout.outgoing import TELEGRAM_LANE
from alerts.fanout.planner import Planner
from alerts.fanout.sender import BatchSender
from alerts.fanout.texts import AlertTexts
from alerts.service import AlertService
from bot.telegram.alert_channel import TelegramAlertChannel
from core.clock import Clock, ManualClock
from core.database import SessionFactory
from core.i18n import Catalogs
from core.localtime import LOCAL_ZONE

TOKEN = "123456:graceful"


@dataclass
class Stage:
    """One sending process in a test: its sender, fan-out and the alert service on them."""

    sender: BatchSender
    fanout: Fanout
    service: AlertService
    limiter: LocalLimiter


@dataclass
class Stages:
    """Builds stages sharing one database, clock and bot, as many as a test needs."""

    sessions: SessionFactory
    clock: ManualClock
    bot: Bot
    catalogs: Catalogs

    def __call__(
        self,
        worker: str,
        *,
        in_flight: int = 200,
        broker: AsyncBroker | None = None,
        paced_by: Clock | None = None,
    ) -> Stage:
        """A sender named `worker`; its send limits run on `paced_by` (the system clock by
        default, so a turn under the limits comes without the test moving the clock)."""
        sessions, clock = self.sessions, self.clock
        limiter = LocalLimiter({TELEGRAM_LANE: 1000.0}, paced_by)
        texts = AlertTexts(sessions, self.catalogs, tz=LOCAL_ZONE, speak=None)
        channels = {"telegram": TelegramAlertChannel(self.bot, self.catalogs)}
        sender = BatchSender(
            sessions, clock, channels, texts, limiter, worker=worker, in_flight=in_flight
        )
        planner = Planner(sessions, clock, batch_size=500, first_escalation=None)
        fanout = Fanout(
            broker or InMemoryBroker(), sessions, clock, planner, sender, escalation_steps=()
        )
        return Stage(sender, fanout, AlertService(sessions, clock, fanout), limiter)
