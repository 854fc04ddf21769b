"""Sending one batch of deliveries: claim, send within the limits, record, repeat.

A worker claims a small chunk of the batch at a time, a few chunks ahead of the rows having
their turn under the limits, so the limits never wait for the database. It records outcomes
as soon as they are known, so that if it dies only the messages it had in flight are in doubt.
Trouble is sorted by kind: Telegram's retry_after pauses the whole lane and the row waits;
a 5xx or a lost SMSC link retries with backoff; a blocked bot marks Telegram unreachable
for that person and queues an SMS instead; a refused message fails for good.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import deque
from collections.abc import Mapping
from datetime import timedelta

from prometheus_client import Histogram
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from alerts.channels.base import Channel, Outgoing, Rejected, RetryLater, Sent, Unreachable
from alerts.fanout import ledger
from alerts.fanout.lease import Lease
from alerts.fanout.limits import Limiter
from alerts.fanout.outgoing import ANSWERING, outgoing
from alerts.fanout.recorder import Recorder, Results
from alerts.fanout.results import count_results, write_results
from alerts.fanout.retries import backoff, retry
from alerts.fanout.texts import AlertTexts
from alerts.models import Channel as ChannelName
from alerts.models import DeliveryState
from core.clock import Clock, wait_on
from core.metrics import SEND_SECONDS

log = logging.getLogger(__name__)

CHUNK = 100
"""Rows claimed at a time by one batch task. Claims queue for the database with the outcome
writes (SQLite has one connection): at 1,000 messages a second, chunks of 50 needed 20 claims
a second, and when each waited long enough for the connection the rows ran out (the pace had
nobody to give turns to). Chunks of 100 halve the claims and their cost per message."""
CHUNKS_AHEAD = 2
"""Chunks of a batch claimed and waiting for their turn under the limits, at most: the next
chunk is claimed when the one before it has had all its turns and another (100 rows) still
waits, so sending never waits for a claim (PostgreSQL's take a few round trips); few enough
that a stopping worker has little to hand back."""
IN_FLIGHT = 200
"""Messages one sender has on the wire at once, by default."""


def held_at_most(
    batches: int, in_flight: int = IN_FLIGHT, *, chunk: int = CHUNK, ahead: int = CHUNKS_AHEAD
) -> int:
    """Rows a sender running `batches` at once can hold: the most one crash leaves in doubt."""
    return batches * ahead * chunk + in_flight


class _Turns:
    """Which rows of a chunk have had their turn: handed to a channel, or settled without."""

    def __init__(self, rows: int) -> None:
        self._rows = rows
        self._taken: set[int] = set()
        self._all_taken = asyncio.Event()

    def take(self, row: int) -> None:
        if row not in self._taken:
            self._taken.add(row)
            if len(self._taken) >= self._rows:
                self._all_taken.set()

    async def wait_or(self, chunk: asyncio.Task[None]) -> None:
        """Until every row has had its turn, or the chunk is over (whichever comes first)."""
        taken = asyncio.ensure_future(self._all_taken.wait())
        try:
            await asyncio.wait([chunk, taken], return_when=asyncio.FIRST_COMPLETED)
        finally:
            taken.cancel()


class BatchSender:
    """Sends the batches a worker is handed, within the send limits, recording every outcome."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        channels: Mapping[str, Channel],
        texts: AlertTexts,
        limiter: Limiter,
        *,
        worker: str,
        paid_broadcast: bool = False,
        in_flight: int = IN_FLIGHT,
        lease: timedelta = ledger.LEASE,
        first_escalation: timedelta | None = None,
        chunk: int = CHUNK,
        chunks_ahead: int = CHUNKS_AHEAD,
    ) -> None:
        """`chunk`, `chunks_ahead`: CHUNK and CHUNKS_AHEAD (bench/fanout.py compares others)."""
        self._sessions = sessions
        self._clock = clock
        self._channels = channels
        self._texts = texts
        self._limiter = limiter
        self._worker = worker
        self._paid = paid_broadcast
        self._in_flight = asyncio.Semaphore(in_flight)
        self._lease = lease
        self._first_escalation = first_escalation
        self._chunk = chunk
        self._chunks_ahead = chunks_ahead
        self._recorder = Recorder(self._record, clock)
        self._stopping = asyncio.Event()
        self._handing_back = False
        self._waits: set[asyncio.Timeout] = set()
        self._timers: dict[str, Histogram] = {}
        self.released = 0
        """Rows given back to the queue by `hand_back()`."""

    @property
    def limiter(self) -> Limiter:
        """The send rates this sender keeps to."""
        return self._limiter

    @property
    def stopping(self) -> bool:
        """Whether the worker is stopping (see `wind_down`)."""
        return self._stopping.is_set()

    def wind_down(self) -> None:
        """The worker is stopping: finish the chunks in hand, but wait for no postponed row."""
        self._stopping.set()

    def hand_back(self) -> None:
        """Stop now: claim nothing more, give back every held row not yet handed to a channel.

        Messages already on the wire are finished and recorded; rows waiting for their turn
        under the send limits stop waiting and go back to the queue (`ledger.release`).
        """
        if self._handing_back:
            return
        self._stopping.set()
        self._handing_back = True
        now = asyncio.get_running_loop().time()
        for waiting in list(self._waits):
            waiting.reschedule(now)

    async def run(self, alert_id: int, batch: int, *, wait_limit: float = 30.0) -> bool:
        """Send every due row of the batch; True when nothing of it is left waiting.

        Rows postponed by a retry are waited for when due within `wait_limit` seconds;
        later ones are left for the sweep, which hands the batch out again. A stopping
        worker waits for none, and after `hand_back()` claims nothing more (False).
        """
        sending: list[asyncio.Task[None]] = []
        ahead: deque[tuple[_Turns, asyncio.Task[None]]] = deque()
        try:
            while not self._handing_back:
                async with self._sessions() as session, session.begin():
                    claimed = await ledger.claim(
                        session,
                        alert_id=alert_id,
                        batch=batch,
                        worker=self._worker,
                        now=self._clock.now(),
                        limit=self._chunk,
                        lease=self._lease,
                    )
                if claimed:
                    # Another chunk is claimed as soon as fewer than `chunks_ahead` wait for
                    # their turn, while the messages before them are still on the wire: the
                    # limits never run dry waiting for the database.
                    turns = _Turns(len(claimed))
                    chunk = asyncio.create_task(self._send_chunk(claimed, turns))
                    for done in [task for task in sending if task.done()]:
                        done.result()  # a chunk that failed fails the batch
                        sending.remove(done)
                    sending.append(chunk)
                    ahead.append((turns, chunk))
                    while len(ahead) >= self._chunks_ahead:
                        await ahead[0][0].wait_or(ahead[0][1])
                        ahead.popleft()
                    continue
                if sending:  # rows they put back for a retry are seen by the next claim
                    await asyncio.gather(*sending)
                    sending = []
                    continue
                async with self._sessions() as session:
                    due = await ledger.next_due(session, alert_id=alert_id, batch=batch)
                if due is None:
                    return True
                wait = (due - self._clock.now()).total_seconds()
                if wait > wait_limit or self.stopping:
                    return False
                await self._wait_unless_stopping(max(0.0, wait))
            await asyncio.gather(*sending)  # handing back: what is on the wire is recorded
            sending = []
            return False
        finally:
            for task in sending:  # cancelled, or a chunk failed: the others stop too
                task.cancel()

    async def _wait_unless_stopping(self, seconds: float) -> None:
        """Wait `seconds` on the clock, or less if the worker is told to stop meanwhile."""
        stopping = asyncio.ensure_future(self._stopping.wait())
        try:
            await wait_on(self._clock, [stopping], seconds)
        finally:
            stopping.cancel()

    async def _send_chunk(self, claimed: list[ledger.Claimed], turns: _Turns) -> None:
        """Send a claimed chunk, writing outcomes as they come (every few milliseconds).

        Writing them at once keeps small what a crash leaves in doubt: only messages whose
        answer arrived in the last moment before it.
        """
        lease = Lease(self._clock, self._lease)
        ids = [row.id for row in claimed]
        renewing = asyncio.create_task(lease.keep(self._sessions, ids, worker=self._worker))

        given_back: list[int] = []
        writes: set[asyncio.Future[None]] = set()

        async def send(row: ledger.Claimed) -> None:
            try:
                outcome = await self._send_one(row, lease, turns)
            finally:
                turns.take(row.id)
            if outcome is None:
                given_back.append(row.id)
                return
            writes.add(self._recorder.put([(row, outcome)]))  # with others done meanwhile

        try:
            await asyncio.gather(*(send(row) for row in claimed))
            await asyncio.gather(*writes)  # the chunk is done once its outcomes are written
            if given_back:
                async with self._sessions() as session, session.begin():
                    released = await ledger.release(session, given_back, worker=self._worker)
                self.released += released
        finally:
            renewing.cancel()

    async def _record(self, results: Results) -> None:
        async with self._sessions() as session, session.begin():
            await write_results(
                session,
                results,
                worker=self._worker,
                now=self._clock.now(),
                first_escalation=self._first_escalation,
            )
        count_results(results)

    async def _send_one(
        self, row: ledger.Claimed, lease: Lease, turns: _Turns
    ) -> ledger.Outcome | None:
        """Send one row; None when it was not sent because the worker is handing rows back."""
        try:
            info = await self._texts.alert(row.alert_id)
            expired = info.expires is not None and info.expires <= self._clock.now()
            if expired and row.channel not in ANSWERING:  # an answer is always answered
                return ledger.Outcome(row.id, DeliveryState.EXPIRED, error="the alert expired")
            message, lane, chat = await outgoing(row, info, self._texts, paid_broadcast=self._paid)
        except LookupError as error:
            return ledger.Outcome(row.id, DeliveryState.FAILED, error=str(error))
        channel = self._channels.get(_transport(row.channel))
        if channel is None:
            return self._retry(row, "no channel configured", 60.0)
        async with self._in_flight:
            try:
                if lane is not None and not await self._wait_for_turn(lane, chat):
                    return None
            except Exception as error:  # the shared limits are out of reach (Redis down)
                log.warning("send limiter failed: %s", type(error).__name__)
                return self._retry(row, "limiter unavailable", backoff(row.attempts))
            if self._handing_back:
                return None  # not handed to the channel yet: another worker sends it
            if not lease.holds(row.id):
                # Our claim may have passed to another worker: sending now could send twice.
                return self._retry(row, "lease lapsed", 0.0, gives_up=False)
            turns.take(row.id)
            started = time.perf_counter()
            try:
                sent = await self._send(channel, message)
            except RetryLater as error:
                if lane is not None and error.throttled:
                    await self._limiter.pause(lane, error.seconds)
                waits = error.throttled or error.unsent  # not this message's failure
                return self._retry(
                    row, error.reason, error.seconds, gives_up=not waits, in_doubt=error.maybe_sent
                )
            except Unreachable as error:
                return ledger.Outcome(
                    row.id, DeliveryState.FAILED, error=error.reason, unreachable=True
                )
            except Rejected as error:
                return ledger.Outcome(row.id, DeliveryState.FAILED, error=error.reason)
            except Exception as error:  # a bug or a surprise must not lose the row
                log.exception("alert send failed", extra={"delivery": row.id})
                # Whether it went out is unknown: the retry may send it twice.
                name = type(error).__name__
                return self._retry(row, name, backoff(row.attempts), in_doubt=True)
            finally:
                self._send_seconds(row.channel).observe(time.perf_counter() - started)
        return ledger.Outcome(
            row.id,
            DeliveryState.SENT,
            provider_message_id=sent.provider_message_id,
            sent_as=sent.sent_as,
            voice_refused=sent.voice_refused,
            part_ids=sent.part_ids,
        )

    def _send_seconds(self, channel: str) -> Histogram:
        """The send-time histogram of a channel, looked up once (it is used for every send)."""
        timer = self._timers.get(channel)
        if timer is None:
            timer = self._timers[channel] = SEND_SECONDS.labels(channel=channel)
        return timer

    async def _wait_for_turn(self, lane: str, chat: str | None) -> bool:
        """Wait until the limits let one more message out; False if `hand_back()` came first."""
        if self._handing_back:
            return False
        waiting = asyncio.timeout(None)  # `hand_back()` ends the wait by moving the deadline
        try:
            async with waiting:
                self._waits.add(waiting)
                try:
                    await self._limiter.acquire(lane, chat)
                finally:
                    self._waits.discard(waiting)
        except TimeoutError:
            if waiting.expired():
                return False
            raise
        return True

    async def _send(self, channel: Channel, message: Outgoing) -> Sent:
        """Send; the first voice note of an alert in a language is uploaded once, then by id."""
        note = message.voice
        if note is None or note.file_id is not None:
            return await channel.send(message)
        async with self._texts.upload_lock(note):
            current = await self._texts.voice(note.alert_id, note.language)
            if current is not None and current.file_id is not None:
                return await channel.send(dataclasses.replace(message, voice=current))
            sent = await channel.send(message)
            if sent.voice_file_id:
                await self._texts.remember_file_id(note, sent.voice_file_id)
            return sent

    def _retry(
        self,
        row: ledger.Claimed,
        reason: str,
        seconds: float,
        *,
        gives_up: bool = True,
        in_doubt: bool = False,
    ) -> ledger.Outcome:
        return retry(
            row, reason, seconds, now=self._clock.now(), gives_up=gives_up, in_doubt=in_doubt
        )


def _transport(channel: str) -> str:
    """Contact-person SMS and acknowledgements of SMS replies go over the SMS channel."""
    by_sms = (ChannelName.CONTACT_SMS, *ANSWERING)
    return ChannelName.SMS.value if channel in by_sms else channel
