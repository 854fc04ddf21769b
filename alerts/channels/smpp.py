"""SMS over SMPP 3.4 to an operator's SMS centre (SMSC), with aiosmpplib.

One transceiver bind carries everything: submit_sm out, delivery receipts and replies in.
Texts go as GSM-7 when every character is in its alphabet, else as UCS-2 (data_coding 8),
which Kazakh and Russian need. A long text goes in parts with the standard concatenation
header, its reference 8 or 16 bits as the bind is set (`reference_bits`), cut by
`sms_text.segments`, the cut the console's preview counts; every part asks for a delivery
receipt. `send()`
returns the SMSC's id of the first part and the ids of all parts; each part's receipt is
reported under its own id, whichever bind it arrives on, and the fan-out's ledger puts the
parts together (`alerts.fanout.receipts`), so a receipt heard by another process or after a
restart still completes the message.

Pace: at most `window` submit_sm wait for an answer, at most `throughput` go out a second, and
ESME_RTHROTTLED or ESME_RMSGQFUL pause sending (longer each time the SMSC keeps throttling)
and tell the caller to retry after the pause.

A lost link is re-established by aiosmpplib with exponential backoff. Parts not yet written
wait for the rebind (up to `response_timeout`, then they are withdrawn); a send that finds
the link down waits up to `rebind_wait` seconds, then gets RetryLater, so a broadcast resumes
where it was. A part written but not answered when
the link went is in doubt: the SMSC may have it, and retrying may deliver it twice. SMPP 3.4
has no way to ask, so such parts are retried (a warning sent twice beats one never sent) and
counted in `stats.in_doubt`; answers that arrive after the channel gave up on a part are
counted in `stats.late_answers`. A message in parts is retried under its first reference with
only the parts not yet answered (`smpp_resume`), so the phone never shows it whole twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import secrets

from aiosmpplib import (
    BindMode,
    DeliverSm,
    SmppCommand,
    SmppCommandStatus,
    SmppMessage,
    SubmitSm,
    SubmitSmResp,
)

from alerts.channels.base import (
    ChannelError,
    InboundEvents,
    Outgoing,
    Rejected,
    RetryLater,
    Sent,
)
from alerts.channels.receipt_queue import ReceiptQueue
from alerts.channels.smpp_answers import THROTTLING, collect, error_for, first_error, sent_whole
from alerts.channels.smpp_config import SmppConfig, SmppStats
from alerts.channels.smpp_encoding import (
    destination_number,
    encode_text,
    source_number,
    submit_sm,
)
from alerts.channels.smpp_receipts import (
    DELIVERY_RECEIPT,
    MO_MESSAGE,
    message_type,
    phone_number,
    read_receipt,
)
from alerts.channels.smpp_resume import Unfinished, UnfinishedMessages
from alerts.channels.smpp_session import (
    Correlator,
    Esme,
    Hook,
    Outbox,
    Part,
    PartState,
    Reconnect,
    Throttle,
    Throughput,
    Window,
)
from alerts.channels.sms_receipt import Receipt
from core.clock import Clock, SystemClock, wait_on

__all__ = ["SmppChannel", "SmppConfig", "SmppStats"]

log = logging.getLogger(__name__)

RECEIPTS_CLOSE_SECONDS = 5.0
"""On close, how long receipts already heard may take to be applied."""


class SmppChannel:
    """The `Channel` for SMS over SMPP; also reports receipts and replies to `events`."""

    name = "sms"

    def __init__(
        self, config: SmppConfig, events: InboundEvents | None = None, *, clock: Clock | None = None
    ) -> None:
        self.config = config
        self._clock = clock or SystemClock()
        self.stats = SmppStats()
        self._events = events
        self._receipts = ReceiptQueue(self._report)
        self._window = Window(config.window)
        self._outbox = Outbox()
        self._throttle = Throttle(config.throttle_first, config.throttle_most, self._clock)
        self._reconnect = Reconnect(
            config.reconnect_first,
            config.reconnect_most,
            self._clock,
            on_up=self._link_up,
            on_down=self._link_down,
        )
        self._parts: dict[str, Part] = {}
        self._unfinished = UnfinishedMessages()
        self._by_sequence: dict[int, Part] = {}
        self._up = asyncio.Event()
        self._closing = asyncio.Event()
        self._numbers = itertools.count(1)
        # Concatenation references start anywhere, per channel, and go on counting across
        # binds: in one process no reference comes back within 256 (65,536) messages,
        # whatever the link does; two processes (or a restart) sending to one phone rarely
        # share one: 1 in 256, or 1 in 65,536 with 16-bit references.
        self._reference_space = 1 << config.reference_bits
        self._references = itertools.count(secrets.randbelow(self._reference_space))
        self._refusal: str | None = None
        self._closed = False
        self._runner: asyncio.Task[None] | None = None
        self._esme = Esme(
            smsc_host=config.host,
            smsc_port=config.port,
            system_id=config.system_id,
            password=config.password,
            system_type=config.system_type,
            bind_mode=BindMode.TRANSCEIVER,
            enquire_link_interval=float(config.enquire_link_seconds),
            # The library's own log lines can hold phone numbers and texts: keep them out.
            log_level=logging.CRITICAL,
            log_handler=logging.NullHandler(),
            hook=Hook(self),
            broker=self._outbox,
            rate_limiter=Throughput(config.throughput, self._clock),
            throttle_handler=self._throttle,
            correlator=Correlator("komek", max_ttl_response=max(config.response_timeout, 1.0)),
            retry_timer=self._reconnect,
            socket_timeout=float(config.socket_timeout),
        )

    # Lifecycle

    async def start(self) -> None:
        """Connect and bind in the background; receipts and replies flow from then on."""
        if self._runner is None and not self._closed:
            self._runner = asyncio.create_task(self._esme.start(), name="smpp-esme")

    @property
    def bound(self) -> bool:
        return self._up.is_set()

    @property
    def awaiting_answers(self) -> int:
        """Parts written to the SMSC that it has not answered yet."""
        return sum(1 for part in self._parts.values() if part.state is PartState.WRITTEN)

    @property
    def refusal(self) -> str | None:
        """Why the SMSC refused the last bind ("SMSC refused the bind: ESME_…"), if it did."""
        return self._refusal

    async def wait_bound(self, seconds: float) -> bool:
        """True once the link is up, False if it is not within `seconds` (or closing)."""
        if self._up.is_set():
            return True
        up = asyncio.ensure_future(self._up.wait())
        closing = asyncio.ensure_future(self._closing.wait())
        try:
            await wait_on(self._clock, [up, closing], seconds, any_one=True)
        finally:
            up.cancel()
            closing.cancel()
        return self._up.is_set()

    async def close(self) -> None:
        """Unbind politely, stop reconnecting, and fail whatever still waits."""
        self._closed = True
        self._closing.set()  # sends waiting for a bind give up now: their rows stay queued
        runner, self._runner = self._runner, None
        if runner is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._esme.stop(), 5.0)
            runner.cancel()
            try:
                await asyncio.wait_for(runner, 5.0)
            except (asyncio.CancelledError, TimeoutError):
                pass
            except Exception as error:  # the library tripping over a link already cut
                log.warning("SMPP session ended with %s while closing", type(error).__name__)
        self._up.clear()
        for part in list(self._parts.values()):
            self._settle(part, RetryLater("SMS channel closed", self.config.reconnect_first))
        await self._receipts.close(RECEIPTS_CLOSE_SECONDS)

    # Sending

    async def send(self, message: Outgoing) -> Sent:
        destination = destination_number(message.phone)
        earlier = self._unfinished.get(message.key, message.text)
        reference = earlier.reference if earlier else next(self._references) % self._reference_space
        payloads, esm_class, encoding = encode_text(
            message.text, reference, self.config.reference_bits
        )
        if self._closed:
            raise RetryLater("SMS channel closed", self.config.reconnect_first, unsent=True)
        await self.start()
        if self._refusal is not None and not self.bound:
            # A refused bind is refused again on the next try: no use waiting for it here.
            raise RetryLater(self._refusal, self._reconnect.next_delay(), unsent=True)
        if not await self.wait_bound(self.config.rebind_wait):
            if self._closed:
                raise RetryLater("SMS channel closed", self.config.reconnect_first, unsent=True)
            reason = self._refusal or "SMSC link down"
            raise RetryLater(reason, self._reconnect.next_delay(), unsent=True)
        if (pause := self._throttle.remaining()) > 0:
            raise RetryLater("SMSC throttling", pause, throttled=True)
        number = next(self._numbers)
        loop = asyncio.get_running_loop()
        parts = [
            Part(
                submit_sm(
                    message,
                    payload,
                    esm_class,
                    encoding,
                    source=source_number(self.config.source_addr),
                    destination=destination,
                    log_id=f"{number}.{index}",
                ),
                number,
                index,
                loop.create_future(),
            )
            for index, payload in enumerate(payloads)
            if earlier is None or index not in earlier.answered
        ]
        async with self._window.slots(len(parts)):
            for part in parts:
                self._parts[part.submit.log_id] = part
                self._outbox.put(part)
            try:
                await wait_on(
                    self._clock, [part.future for part in parts], self.config.response_timeout
                )
            finally:
                for part in parts:
                    self._give_up(part)
        answered = dict(earlier.answered) if earlier else {}
        return self._outcome(message, Unfinished(message.text, reference, answered), parts)

    def _outcome(self, message: Outgoing, sent: Unfinished, parts: list[Part]) -> Sent:
        """`sent`: the message's reference and its parts answered before this try."""
        total = len(parts) + len(sent.answered)
        errors = collect(parts, sent)
        if errors:
            error = first_error(errors)
            if isinstance(error, Rejected):
                self._unfinished.forget(message.key)
            elif total > 1:  # the retry goes under the same reference, with the parts left
                self._unfinished.keep(message.key, sent)
            raise error
        self._unfinished.forget(message.key)
        self.stats.sent += 1
        return sent_whole(sent, total)

    def _settle(self, part: Part, result: str | ChannelError, *, answered: bool = False) -> None:
        if part.state is PartState.WRITTEN and isinstance(result, RetryLater) and not answered:
            self.stats.in_doubt += 1  # the SMSC may have it: the ledger marks the row in doubt
            result.maybe_sent = True
        part.state = PartState.SETTLED
        self._parts.pop(part.submit.log_id, None)
        if not part.future.done():
            part.future.set_result(result)

    def _give_up(self, part: Part) -> None:
        """Stop waiting for a part: withdraw it if unsent, else it is in doubt."""
        if part.future.done():
            return
        if part.state is PartState.WRITTEN:
            error = RetryLater("no answer from the SMSC", self.config.reconnect_first)
        elif self.bound:
            error = RetryLater("SMSC busy: not sent in time", self.config.reconnect_first)
        else:
            error = RetryLater("SMSC link down", self._reconnect.next_delay(), unsent=True)
        self._settle(part, error)

    def _error_for(self, status: SmppCommandStatus) -> ChannelError:
        if status in THROTTLING:
            self.stats.throttled += 1
        pause = max(self._throttle.remaining(), self._throttle.first)
        return error_for(status, pause=pause, retry_seconds=self.config.throttle_first)

    # What aiosmpplib reports (smpp_session.SessionEvents)

    def written(self, submit: SubmitSm) -> None:
        part = self._parts.get(submit.log_id)
        if part is None or part.state is not PartState.TAKEN:
            # Withdrawn after the library took it: aiosmpplib skips a part whose hook raises
            # ValueError and carries on with the next one.
            raise ValueError("withdrawn")
        part.state = PartState.WRITTEN
        self._by_sequence[submit.sequence_num] = part
        self.stats.submitted += 1

    async def answered(self, answer: SmppMessage) -> None:
        part = self._by_sequence.pop(answer.sequence_num, None)
        ok = answer.command_status is SmppCommandStatus.ESME_ROK
        if part is None:
            return
        if part.state is not PartState.WRITTEN:
            if ok and answer.smpp_command is SmppCommand.SUBMIT_SM_RESP:
                self.stats.late_answers += 1
            return
        if ok and isinstance(answer, SubmitSmResp):
            self._settle(part, answer.message_id)
            return
        self._settle(part, self._error_for(answer.command_status), answered=True)

    def write_failed(self, submit: SubmitSm, error: Exception) -> None:
        part = self._parts.get(submit.log_id)
        if part is None or part.state is PartState.SETTLED:
            return
        if isinstance(error, ValueError) and part.state is PartState.TAKEN:
            self._settle(part, Rejected("the message could not be encoded for SMPP"))
        else:
            self._settle(part, RetryLater("SMSC link lost", self._reconnect.next_delay()))

    async def inbound(self, deliver: DeliverSm) -> None:
        if self._events is None:
            return
        kind = message_type(deliver)
        try:
            if kind == DELIVERY_RECEIPT:
                receipt = read_receipt(deliver)
                if receipt is not None:
                    self._receipts.put(receipt)  # applied by their own task, in order
            elif kind == MO_MESSAGE:  # stored before the SMSC hears we have it
                phone = phone_number(deliver.source.number, deliver.source.ton)
                if phone is None:
                    log.info("SMS from an address that is not a phone number ignored")
                    return
                await self._events.reply(phone, deliver.short_message or deliver.message_payload)
        except Exception as error:  # the SMSC gets its answer whatever our handler did
            log.error("handling an SMS from the SMSC failed: %s", type(error).__name__)

    def bind_answered(self, answer: SmppMessage) -> None:
        status = answer.command_status
        if status is SmppCommandStatus.ESME_ROK:
            return
        refusal = f"SMSC refused the bind: {status.name}"
        if refusal != self._refusal:
            log.error(refusal)
        self._refusal = refusal

    async def _report(self, receipt: Receipt) -> None:
        if self._events is not None:
            await receipt.report(self._events)

    def _link_up(self) -> None:
        self._refusal = None
        self._up.set()
        log.info("SMSC link up")

    def _link_down(self) -> None:
        if self._up.is_set():
            self.stats.link_losses += 1
            log.warning("SMSC link lost; reconnecting")
        self._up.clear()
        self._by_sequence.clear()
        for part in list(self._parts.values()):
            if part.state in (PartState.TAKEN, PartState.WRITTEN):
                self._settle(part, RetryLater("SMSC link lost", self.config.reconnect_first))
