"""Waiting in a test for something another task or process brings about."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


async def until(
    condition: Callable[[], Awaitable[bool]], seconds: float = 10.0, *, every: float = 0.01
) -> None:
    """Poll `condition` every `every` seconds until it holds; fail if not within `seconds`."""
    deadline = time.monotonic() + seconds
    while not await condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(every)
