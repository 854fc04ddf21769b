"""Shared pieces of the SMPP tests: the channel's test settings, messages, a fan-out stand-in.

The channel's waits, pauses and pace run on the clock it is given: a ManualClock that a test
moves with `on_clock`, or the system clock for realtime tests against node-smpp's SMSC.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from alerts.channels.base import InboundEvents, Outgoing, RetryLater, Sent
from alerts.channels.smpp import SmppChannel, SmppConfig
from core.clock import Clock, ManualClock
from tests.servers.smsc import Smsc
from tests.waiting import on_clock as moving

T = TypeVar("T")
GUARD_SECONDS = 60.0
"""A test stuck longer than this fails rather than hangs (it takes well under a second)."""


def config(smsc: Smsc, **overrides: Any) -> SmppConfig:
    """Short waits and backoffs, so faults resolve within a test; the window stays at 10."""
    values: dict[str, Any] = {
        "host": smsc.host,
        "port": smsc.port,
        "system_id": "komek",
        "password": "secret",
        "throughput": 1000.0,
        "rebind_wait": 5.0,
        "response_timeout": 5.0,
        "reconnect_first": 0.05,
        "reconnect_most": 0.4,
        "throttle_first": 0.2,
        "throttle_most": 1.0,
        "socket_timeout": 5.0,
    }
    values.update(overrides)
    return SmppConfig(**values)


async def on_clock(
    clock: ManualClock, channel: SmppChannel, work: Awaitable[T], *, step: float = 0.05
) -> T:
    """Await `work` while moving `clock`, never while the SMSC (smpp34's server runs in its
    own threads) owes `channel` an answer."""
    return await moving(clock, work, step=step, busy=lambda: channel.awaiting_answers > 0)


@asynccontextmanager
async def open_channel(
    smsc: Smsc,
    events: InboundEvents | None,
    *,
    clock: Clock | None = None,
    bind: bool = True,
    **overrides: Any,
) -> AsyncIterator[SmppChannel]:
    """A channel to `smsc` on `clock` (a new ManualClock unless given), bound if `bind`."""
    clock = clock or ManualClock()
    channel = SmppChannel(config(smsc, **overrides), events, clock=clock)
    try:
        await channel.start()
        if bind:  # on the loopback: the clock need not move, the guard is for a broken bind
            async with asyncio.timeout(GUARD_SECONDS):
                assert await channel.wait_bound(GUARD_SECONDS), "the channel did not bind"
        yield channel
    finally:
        await channel.close()


def sms(phone: str, text: str, number: int = 1) -> Outgoing:
    return Outgoing(
        key=f"1:{number}:sms:0",
        delivery_id=number,
        alert_id=1,
        language="kk",
        text=text,
        phone=phone,
    )


def phone(number: int) -> str:
    return f"+7701{number:07d}"


async def deliver(
    channel: SmppChannel, clock: Clock, message: Outgoing, attempts: int = 60
) -> Sent:
    """Send as the fan-out does: after RetryLater, wait on `clock` what it says and try again."""
    for _ in range(attempts):
        try:
            return await channel.send(message)
        except RetryLater as error:
            await clock.sleep(min(error.seconds, 0.5))
    raise AssertionError(f"not sent after {attempts} attempts")
