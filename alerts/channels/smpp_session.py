"""aiosmpplib's extension points, filled in for the SMPP channel.

aiosmpplib's `ESME` owns the connection: bind, enquire_link, reconnect, PDU encoding, and the
answers to the SMSC's deliver_sm. It asks pluggable objects what to send (`AbstractBroker`),
how fast (`AbstractRateLimiter`, `AbstractThrottleHandler`), when to reconnect
(`AbstractRetryTimer`) and whom to tell (`AbstractHook`). This module provides those objects;
`alerts.channels.smpp` wires them to one channel. Each part of a message travels as a `Part`
whose future the hook settles when the SMSC answers, or the channel settles when the link is
lost or the wait ends; a part that was never written can be withdrawn, so it is never sent
after its sender was told to retry.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import math
import struct
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Protocol

from aiosmpplib import (
    ESME,
    AbstractBroker,
    AbstractHook,
    AbstractRateLimiter,
    AbstractRetryTimer,
    AbstractThrottleHandler,
    DeliverSm,
    PduHeader,
    SmppCommand,
    SmppCommandStatus,
    SmppMessage,
    SubmitSm,
)
from aiosmpplib.correlator import SimpleCorrelator

from alerts.channels.base import ChannelError
from core.clock import Clock

log = logging.getLogger(__name__)


class PartState(enum.Enum):
    """Where one SMS part is between our outbox and the SMS centre."""

    QUEUED = "queued"
    """Waiting in the outbox; can still be withdrawn."""
    TAKEN = "taken"
    """Taken by aiosmpplib's sender, not yet written: lost, unsent, if the link drops now."""
    WRITTEN = "written"
    """Written to the SMSC: until it answers, the SMSC may or may not have it."""
    SETTLED = "settled"


@dataclass(eq=False)
class Part:
    """One submit_sm: a whole short message or one part of a concatenated one."""

    submit: SubmitSm
    message: int
    """The channel's number for the message this part belongs to."""
    index: int
    future: asyncio.Future[str | ChannelError]
    """The SMSC's message id, or the error the sender gets (a result, never raised here)."""
    state: PartState = PartState.QUEUED


class Window:
    """At most `size` submit_sm without an answer; a message takes one slot per part."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self.used = 0
        self._changed = asyncio.Condition()

    @asynccontextmanager
    async def slots(self, count: int) -> AsyncIterator[None]:
        count = min(max(1, count), self.size)
        async with self._changed:
            await self._changed.wait_for(lambda: self.used + count <= self.size)
            self.used += count
        try:
            yield
        finally:
            async with self._changed:
                self.used -= count
                self._changed.notify_all()


class Outbox(AbstractBroker):
    """The queue aiosmpplib's sender takes parts from, skipping withdrawn ones."""

    def __init__(self) -> None:
        self._parts: deque[Part] = deque()
        self._ready = asyncio.Event()

    def put(self, part: Part) -> None:
        self._parts.append(part)
        self._ready.set()

    async def enqueue(self, message: SmppMessage) -> None:
        raise TypeError("the SMPP channel queues parts with put()")

    async def dequeue(self) -> SmppMessage:
        while True:
            while not self._parts:
                self._ready.clear()
                await self._ready.wait()
            part = self._parts.popleft()
            if part.state is PartState.QUEUED:
                part.state = PartState.TAKEN
                return part.submit


class Throughput(AbstractRateLimiter):
    """Submit_sm per second, evenly spread: bursts of at most a tenth of a second's worth.

    Each call takes the next turn (`_next` is when the turn after the burst is due) and sleeps
    on the clock until its turn, if it must.
    """

    def __init__(self, per_second: float, clock: Clock) -> None:
        self._clock = clock
        self._interval = 1.0 / per_second
        self._burst = max(1.0, per_second / 10) * self._interval
        self._next = -math.inf

    async def limit(self) -> None:
        now = self._clock.monotonic()
        due = max(self._next, now)
        self._next = due + self._interval
        turn = due + self._interval - self._burst
        if turn > now:
            await self._clock.sleep(turn - now)


class Throttle(AbstractThrottleHandler):
    """After ESME_RTHROTTLED or ESME_RMSGQFUL, send nothing for a while.

    The pause doubles when the SMSC is still throttling after it (up to `most` seconds) and
    starts again at `first` once it accepts a message after a pause. Answers to messages that
    were already in flight do not lengthen the current pause.
    """

    def __init__(self, first: float, most: float, clock: Clock) -> None:
        self._clock = clock
        self.first = first
        self.most = most
        self._next = first
        self._until = 0.0
        self.episodes = 0

    def remaining(self) -> float:
        return max(0.0, self._until - self._clock.monotonic())

    async def throttled(self) -> None:
        now = self._clock.monotonic()
        if now < self._until:
            return
        self._until = now + self._next
        self._next = min(self._next * 2, self.most)
        self.episodes += 1

    async def not_throttled(self) -> None:
        if self._clock.monotonic() >= self._until:
            self._next = self.first

    async def allow_request(self) -> bool:
        return self._clock.monotonic() >= self._until

    async def throttle_delay(self) -> float:
        # aiosmpplib sleeps on the real clock for the delay returned: the pause is slept here,
        # on our clock, and the library only yields before it asks again.
        await self._clock.sleep(self.remaining())
        return 0.0


class Reconnect(AbstractRetryTimer):
    """Exponential backoff between connection attempts; also tells the channel the link state.

    aiosmpplib calls `reset()` right after a successful bind and `wait()` after every connection
    that ended or failed, so these are where the link goes up and down.
    """

    def __init__(
        self,
        first: float,
        most: float,
        clock: Clock,
        *,
        on_up: Callable[[], None],
        on_down: Callable[[], None],
    ) -> None:
        self._clock = clock
        self._first = first
        self._most = most
        self._delay = first
        self._on_up = on_up
        self._on_down = on_down

    def reset(self) -> None:
        self._delay = self._first
        self._on_up()

    async def wait(self) -> None:
        self._on_down()
        delay = self._delay
        self._delay = min(self._delay * 2, self._most)
        await self._clock.sleep(delay)

    def next_delay(self) -> float:
        return self._delay


class Correlator(SimpleCorrelator):
    """aiosmpplib's request/response matching and multi-part MO reassembly, minus receipts.

    The channel matches receipts to messages itself (`smpp_receipts`); keeping every submitted
    message for three days for the library's own matching would only cost memory.
    """

    async def put_delivery(self, smsc_message_id: str, submit_sm: SubmitSm) -> None:
        return None


class SessionEvents(Protocol):
    """What the hook reports to the channel."""

    def written(self, submit: SubmitSm) -> None:
        """About to be written; raising ValueError keeps a withdrawn part off the wire."""

    async def answered(self, answer: SmppMessage) -> None: ...

    def write_failed(self, submit: SubmitSm, error: Exception) -> None: ...

    async def inbound(self, deliver: DeliverSm) -> None: ...

    def bind_answered(self, answer: SmppMessage) -> None: ...


_BIND_ANSWERS = frozenset(
    {
        SmppCommand.BIND_TRANSCEIVER_RESP,
        SmppCommand.BIND_TRANSMITTER_RESP,
        SmppCommand.BIND_RECEIVER_RESP,
    }
)


class Hook(AbstractHook):
    """Forwards what aiosmpplib sends and receives to the channel; logs nothing itself."""

    def __init__(self, events: SessionEvents) -> None:
        self.events = events

    async def sending(self, smpp_message: SmppMessage, pdu: bytes, client_id: str) -> None:
        if smpp_message.smpp_command is SmppCommand.SUBMIT_SM:
            assert isinstance(smpp_message, SubmitSm)
            self.events.written(smpp_message)

    async def received(self, smpp_message: SmppMessage | None, pdu: bytes, client_id: str) -> None:
        if smpp_message is None:
            return
        command = smpp_message.smpp_command
        if command in (SmppCommand.SUBMIT_SM_RESP, SmppCommand.GENERIC_NACK):
            await self.events.answered(smpp_message)
        elif command is SmppCommand.DELIVER_SM:
            assert isinstance(smpp_message, DeliverSm)
            await self.events.inbound(smpp_message)
        elif command in _BIND_ANSWERS:
            self.events.bind_answered(smpp_message)

    async def send_error(self, smpp_message: SmppMessage, error: Exception, client_id: str) -> None:
        if isinstance(smpp_message, SubmitSm):
            self.events.write_failed(smpp_message, error)


_HEADER = struct.Struct("!IIII")
HEADER_OCTETS = _HEADER.size
MAX_PDU_OCTETS = 64 * 1024
"""Far above any PDU an SMSC sends; a longer length means the stream is out of step."""
RESPONSE_BIT = 0x80000000
_MESSAGE_ID_BODY = frozenset(
    {
        SmppCommand.SUBMIT_SM_RESP,
        SmppCommand.BIND_TRANSCEIVER_RESP,
        SmppCommand.BIND_TRANSMITTER_RESP,
        SmppCommand.BIND_RECEIVER_RESP,
    }
)
"""Answers whose body starts with one C-octet string (message_id or system_id)."""
_KNOWN_STATUSES = frozenset(int(status) for status in SmppCommandStatus)
_KNOWN_COMMANDS = frozenset(int(command) for command in SmppCommand)


def status_name(code: int) -> str:
    """The SMPP name of a command_status, or its hex code for a vendor's own."""
    if code in _KNOWN_STATUSES:
        return SmppCommandStatus(code).name
    return f"0x{code:08X}"


def normalise_pdu(header: bytes, body: bytes) -> bytes:
    """The PDU as aiosmpplib can read it, whatever the SMSC put in an error answer's body.

    SMPP 3.4 (section 3.3) lets an SMSC leave the body out of an answer whose command_status
    is an error, and SMSCs differ: no body, an empty string, or the full one. The error is in
    the header; aiosmpplib reads the body all the same and raises "subsection not found", so a
    refused bind or submit_sm went unheard. Here every error answer gets the smallest valid
    body, and a status code SMPP 3.4 does not name (a vendor's own) reads as ESME_RUNKNOWNERR
    (its code is logged).
    """
    _length, command, status, sequence = _HEADER.unpack(header)
    if not command & RESPONSE_BIT or status == 0 or command not in _KNOWN_COMMANDS:
        return header + body
    if status not in _KNOWN_STATUSES:
        log.warning("SMSC answered %s with status %s", SmppCommand(command).name, hex(status))
        status = int(SmppCommandStatus.ESME_RUNKNOWNERR)
    kept = b"\x00" if SmppCommand(command) in _MESSAGE_ID_BODY else b""
    return _HEADER.pack(HEADER_OCTETS + len(kept), command, status, sequence) + kept


class Esme(ESME):
    """aiosmpplib's ESME, except that a receipt it cannot read does not break the link, and
    an error answer is read from its header alone (`normalise_pdu`).

    aiosmpplib reads the dates of every delivery receipt as YYMMDDhhmm and raises on anything
    else (many SMSCs add seconds); the error ends the connection, the SMSC sends the same
    receipt again after the rebind, and no message gets through any more. Here such a receipt
    is decoded without the library's receipt reader, and the channel reads it itself.
    """

    async def _get_pdu(self) -> tuple[bytes, PduHeader]:
        reader = self._reader
        assert reader is not None
        header = await reader.readexactly(HEADER_OCTETS)
        length = _HEADER.unpack(header)[0]
        if not HEADER_OCTETS <= length <= MAX_PDU_OCTETS:
            raise ValueError(f"PDU length {length} out of range")
        pdu = normalise_pdu(header, await reader.readexactly(length - HEADER_OCTETS))
        return pdu, SmppMessage.parse_header(pdu[:HEADER_OCTETS])

    async def _handle_request(self, pdu: bytes, header: PduHeader) -> SmppMessage | None:
        try:
            message: SmppMessage | None = await super()._handle_request(pdu, header)
        except ValueError:
            if header.smpp_command is not SmppCommand.DELIVER_SM:
                raise
            message = DeliverSm.from_pdu(pdu, header, self.default_encoding, self.custom_codecs)
        return message
