"""Shared pieces of the SMPP tests: the channel's test settings, messages, a fan-out stand-in."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from alerts.channels.base import InboundEvents, Outgoing, RetryLater, Sent
from alerts.channels.smpp import SmppChannel, SmppConfig
from tests.servers.smsc import Smsc


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


@asynccontextmanager
async def open_channel(
    smsc: Smsc, events: InboundEvents | None, *, bind: bool = True, **overrides: Any
) -> AsyncIterator[SmppChannel]:
    channel = SmppChannel(config(smsc, **overrides), events)
    try:
        await channel.start()
        if bind:
            assert await channel.wait_bound(5.0), "the channel did not bind"
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


async def deliver(channel: SmppChannel, message: Outgoing, attempts: int = 60) -> Sent:
    """Send as the fan-out does: after RetryLater, wait what it says and try again."""
    for _ in range(attempts):
        try:
            return await channel.send(message)
        except RetryLater as error:
            await asyncio.sleep(min(error.seconds, 0.5))
    raise AssertionError(f"not sent after {attempts} attempts")
