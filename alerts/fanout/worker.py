"""A worker's life: take batches from the stream, tick escalation, and stop gracefully.

Stopping is graceful: no new batch is taken, the batches in hand go on for up to `grace`
seconds, then every row not yet handed to a channel goes back to the queue and its batch back
on the stream, so another worker sends it at once; messages already on the wire are finished
and recorded. Cancelling instead stops at once, like a crash: the rows held wait for their
lease to lapse.
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from taskiq.acks import AcknowledgeType
from taskiq.receiver import Receiver

from alerts.fanout.engine import Fanout
from alerts.fanout.sender import BatchSender

log = structlog.get_logger(__name__)

TICK_SECONDS = 5.0
"""How often escalation steps fall due and batches nobody works on are handed out again."""
WORKER_TASKS = 8
"""Batches one worker process sends at once."""
FINISH_SECONDS = 5.0
"""After the grace period, how long a stopping worker waits for the messages on the wire."""
LISTEN_RETRY_SECONDS = 1.0


async def run_worker(
    fanout: Fanout,
    sender: BatchSender | None,
    *,
    stop: asyncio.Event | None = None,
    grace: float = 10.0,
    ticks: bool = True,
    concurrency: int = WORKER_TASKS,
) -> None:
    """Take batches from the Redis stream until `stop` is set; tick escalation and the sweep too."""
    stop = stop or asyncio.Event()
    finished = asyncio.Event()
    listening = asyncio.create_task(_take_batches(fanout, finished, concurrency))
    keeping = asyncio.create_task(fanout.keep_tasks())
    ticking = asyncio.create_task(fanout.run_ticks(TICK_SECONDS)) if ticks else None
    try:
        await stop.wait()
        if ticking is not None:
            ticking.cancel()
        await _stop_gracefully(fanout, sender, listening, finished, grace)
    finally:
        for task in (listening, keeping, ticking):
            if task is not None:
                task.cancel()


async def _take_batches(fanout: Fanout, finished: asyncio.Event, concurrency: int) -> None:
    """taskiq's receiver on the stream, until `finished` is set and its tasks have ended."""
    broker = fanout.broker
    broker.is_worker_process = True
    while not finished.is_set():
        receiver = Receiver(
            broker,
            run_startup=False,
            max_async_tasks=concurrency,
            ack_type=AcknowledgeType.WHEN_EXECUTED,
        )
        try:
            await receiver.listen(finished)
        except Exception as error:  # Redis out of reach: listen again in a moment
            log.warning("worker.listen_failed", error=type(error).__name__)
            await fanout.clock.sleep(LISTEN_RETRY_SECONDS)


async def _stop_gracefully(
    fanout: Fanout,
    sender: BatchSender | None,
    listening: asyncio.Task[None],
    finished: asyncio.Event,
    grace: float,
) -> None:
    log.info("worker.stopping", grace_seconds=grace)
    finished.set()  # no new batch from the stream
    fanout.wind_down()
    done, _ = await asyncio.wait({listening}, timeout=grace)
    if not done:
        fanout.hand_back()
        done, _ = await asyncio.wait({listening}, timeout=FINISH_SECONDS)
    cancelled = 0
    if not done:  # a send that hangs: its rows wait for their lease, as after a crash
        cancelled = await fanout.cancel_running()
        done, _ = await asyncio.wait({listening}, timeout=FINISH_SECONDS)
    if not done:
        listening.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listening
    returned = await fanout.return_unstarted()
    log.info(
        "worker.stopped",
        released=sender.released if sender is not None else 0,
        tasks_cancelled=cancelled,
        tasks_returned=returned,
    )
