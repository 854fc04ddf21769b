"""A worker takes over the batch a dead worker read and never finished, even when no new work
comes: taskiq-redis's own listener claimed such batches only after a read that brought new
ones, so a worker killed after the last batch of an alert was handed out left its batches
unsent (tests/alerts/test_crash.py stopped at 3,000 of 5,000)."""

from __future__ import annotations

import asyncio

import pytest
from taskiq import BrokerMessage

from alerts.fanout.engine import make_broker

pytestmark = pytest.mark.realtime  # the stream counts idle time on Redis's own clock


async def test_a_batch_a_dead_worker_held_goes_to_another_with_no_new_work(
    redis_url: str,
) -> None:
    dead, alive = (make_broker(redis_url, idle_seconds=0.5) for _ in range(2))
    for broker in (dead, alive):
        await broker.startup()
    try:
        await dead.kick(BrokerMessage(task_id="1", task_name="send", message=b"batch 7", labels={}))
        held = dead.listen()
        taken = await anext(held)
        assert taken.data == b"batch 7"
        await held.aclose()  # the worker dies here: never acknowledged

        listening = alive.listen()
        taken_over = await asyncio.wait_for(anext(listening), timeout=30)
        assert taken_over.data == b"batch 7"
        await taken_over.ack()
        await listening.aclose()
    finally:
        for broker in (dead, alive):
            await broker.shutdown()
