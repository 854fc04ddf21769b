"""A real SMSC for tests: smpp34's server (Rust, not ours) on 127.0.0.1, behind a line we can cut.

`Smsc` accepts binds with the right system_id and password, records every submit_sm (decoded,
with its concatenation header), answers with a message id and sends a delivery receipt as a
deliver_sm. On request it throttles, refuses destinations, holds its answers, ends the session
with an unbind or cuts the line mid-broadcast, and sends texts from phones.

The line (`smsc_line.Line`) is a loopback proxy in front of the server for the two things
smpp34's Python server cannot do: check the bind's password, and drop connections abruptly.
Use it as `async with Smsc() as smsc:`; everything stops when the block ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Literal, Self

import smpp34
from smpp34 import _smpp34  # the compiled module, whose stub names the status and TLV codes

from tests.servers.ports import free_port
from tests.servers.smsc_line import HOST, Line

RECEIPT = 0x04
UDHI = 0x40
UCS2 = 0x08
MESSAGE_STATE = {"DELIVRD": 2, "UNDELIV": 5}
ESME_RSYSERR = _smpp34.ESME_RSYSERR
ESME_RTHROTTLED = _smpp34.ESME_RTHROTTLED
ESME_RINVDSTADR = _smpp34.ESME_RINVDSTADR


@dataclass(frozen=True)
class Submitted:
    """One submit_sm the SMSC accepted."""

    number: int
    session_id: str
    destination: str
    dest_ton: int
    source: str
    source_ton: int
    data_coding: int
    esm_class: int
    registered_delivery: int
    reference: int | None
    """Concatenation reference from the UDH; None for a message in one part."""
    total: int
    index: int
    text: str
    message_id: str
    at: float
    """The SMSC's `now()` when it was accepted."""


@dataclass(frozen=True)
class Received:
    """A message as the phone would show it: its parts put back together."""

    destination: str
    text: str
    parts: tuple[Submitted, ...]

    @property
    def message_ids(self) -> tuple[str, ...]:
        return tuple(part.message_id for part in self.parts)


def _user_data(payload: bytes, esm_class: int) -> tuple[tuple[int, int, int] | None, bytes]:
    """(reference, total, index) from a concatenation UDH, and the text bytes after it."""
    if not esm_class & UDHI:
        return None, payload
    length = payload[0]
    header, body = payload[1 : 1 + length], payload[1 + length :]
    position = 0
    while position + 2 <= len(header):
        element, size = header[position], header[position + 1]
        value = header[position + 2 : position + 2 + size]
        if element == 0x00 and size == 3:
            return (value[0], value[1], value[2]), body
        if element == 0x08 and size == 4:
            return (int.from_bytes(value[:2], "big"), value[2], value[3]), body
        position += 2 + size
    return None, body


def _decode(data: bytes, data_coding: int) -> str:
    return data.decode("utf-16-be") if data_coding == UCS2 else data.decode("latin-1")


class Smsc:
    """smpp34's SMSC with a recorder, receipts and the faults tests need."""

    def __init__(
        self,
        *,
        system_id: str = "komek",
        password: str = "secret",
        receipts: bool = True,
        receipt_tlvs: bool = True,
        receipt_date_format: str = "%y%m%d%H%M",
        receipt_delay: float = 0.02,
    ) -> None:
        self.system_id = system_id
        self.password = password
        self.receipts = receipts
        self.receipt_tlvs = receipt_tlvs
        self.receipt_date_format = receipt_date_format
        self.receipt_delay = receipt_delay
        """A receipt follows its answer, as the phone's network takes a moment; smpp34 would
        otherwise sometimes write the receipt before the submit_sm_resp, which no SMSC does."""
        self.host = HOST
        self.port = 0
        self.now: Callable[[], float] = time.monotonic
        """What `at` moments are read from: a test sets its ManualClock's `monotonic`."""
        self.messages: list[Submitted] = []
        self.refused_submits: list[tuple[str, int, float]] = []
        """(destination, status, `now()`) of every submit_sm answered with an error."""
        self.undeliverable: set[str] = set()
        """Destinations whose receipts say UNDELIV."""
        self.fail_from = 0
        """Parts with this index or later (1-based) get an UNDELIV receipt; 0: none."""
        self.receipts_elsewhere = False
        """Send each receipt on another bound session of the account, as an SMSC cluster may."""
        self.refuse: dict[str, int] = {}
        """Destination → command_status to refuse its messages with."""
        self.binds = 0
        self.max_held = 0
        self.errors: list[str] = []
        self._throttle_left = 0
        self._holding = False
        self._held: list[smpp34.SubmitSmEvent] = []
        self._drop: tuple[int, Literal["unbind", "cut"]] | None = None
        self._dropped: set[str] = set()
        self._sessions: dict[str, smpp34.Esme] = {}
        self._changed = asyncio.Condition()
        self._tasks: set[asyncio.Future[Any]] = set()
        self._server: smpp34.Server | None = None
        self._line: Line | None = None
        self._serving: asyncio.Task[None] | None = None

    # Lifecycle

    async def __aenter__(self) -> Self:
        upstream_port = free_port()
        self._server = smpp34.Server(HOST, upstream_port, system_id="SMSC")
        await self._server.start()
        self._line = Line(upstream_port, self.system_id, self.password)
        self.port = await self._line.start()
        self._serving = asyncio.create_task(self._serve())
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._line is not None:
            await self._line.stop()
        for task in [self._serving, *self._tasks]:
            if task is not None:
                task.cancel()
        await asyncio.gather(
            *(task for task in [self._serving, *self._tasks] if task), return_exceptions=True
        )
        if self._server is not None:
            await self._server.stop()

    @property
    def refused_binds(self) -> int:
        return self._line.refused if self._line else 0

    # Faults and controls

    def throttle(self, count: int) -> None:
        """Answer the next `count` submit_sm with ESME_RTHROTTLED."""
        self._throttle_left = count

    def hold(self) -> None:
        """Keep submit_sm unanswered until `release()`."""
        self._holding = True

    def release(self) -> None:
        self._holding = False
        held, self._held = self._held, []
        for event in held:
            self._answer(event)

    @property
    def held(self) -> int:
        return len(self._held)

    def drop_after(self, count: int, how: Literal["unbind", "cut"] = "unbind") -> None:
        """After accepting `count` messages in all, end the session: an SMPP unbind, or a cut."""
        self._drop = (count, how)

    async def send_text(
        self, phone: str, text: str, *, to: str = "Komek", ucs2: bool = True, ton: int = 1
    ) -> None:
        """A text from a phone to the bound ESME (mobile originated)."""
        esme = next(reversed(self._sessions.values()))
        response = await esme.deliver_sm(
            to,
            text.encode("utf-16-be") if ucs2 else text.encode("ascii"),
            source_addr=phone.removeprefix("+"),
            source_addr_ton=ton,
            source_addr_npi=1,
            data_coding=UCS2 if ucs2 else 0,
        )
        assert response.is_success, response.command_status

    # Observing

    def received(self) -> list[Received]:
        """Accepted messages, multi-part ones put back together, in order of their first part."""
        singles: list[Received] = []
        groups: dict[tuple[str, int], list[Submitted]] = {}
        order: list[tuple[str, int] | Received] = []
        for part in self.messages:
            if part.reference is None:
                message = Received(part.destination, part.text, (part,))
                singles.append(message)
                order.append(message)
                continue
            key = (part.destination, part.reference)
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append(part)
        result: list[Received] = []
        for item in order:
            if isinstance(item, Received):
                result.append(item)
                continue
            parts = tuple(sorted(groups[item], key=lambda part: part.index))
            text = "".join(part.text for part in parts)
            result.append(Received(item[0], text, parts))
        return result

    async def wait_for(self, condition: Callable[[], bool], seconds: float = 10.0) -> None:
        async with asyncio.timeout(seconds), self._changed:
            await self._changed.wait_for(condition)

    async def wait_bound(self, seconds: float = 10.0, *, sessions: int = 1) -> None:
        """Until at least `sessions` binds are up."""
        await self.wait_for(lambda: len(self._sessions) >= sessions, seconds)

    async def settle(self, seconds: float = 10.0) -> None:
        """Wait until every receipt and unbind the SMSC started has been sent."""
        async with asyncio.timeout(seconds):
            while self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)

    # The server side

    async def _serve(self) -> None:
        assert self._server is not None
        while True:
            event = await self._server.next()
            try:
                if isinstance(event, smpp34.Esme):
                    self.binds += 1
                    self._sessions[event.session_id] = event
                elif isinstance(event, smpp34.SubmitSmEvent):
                    self._submitted(event)
                else:
                    self._sessions.pop(event.session_id, None)
            except Exception as error:
                self.errors.append(repr(error))
            async with self._changed:
                self._changed.notify_all()

    def _submitted(self, event: smpp34.SubmitSmEvent) -> None:
        if event.session_id in self._dropped:
            # The session is ending: a real SMSC takes no new work on it.
            event.reject(ESME_RSYSERR)
            return
        if self._holding:
            self._held.append(event)
            self.max_held = max(self.max_held, len(self._held))
            return
        self._answer(event)

    def _answer(self, event: smpp34.SubmitSmEvent) -> None:
        status = None
        if self._throttle_left > 0:
            self._throttle_left -= 1
            status = ESME_RTHROTTLED
        elif event.destination_addr in self.refuse:
            status = self.refuse[event.destination_addr]
        if status is not None:
            self.refused_submits.append((event.destination_addr, status, self.now()))
            event.reject(status)
            return
        concatenation, body = _user_data(event.short_message, event.esm_class)
        number = len(self.messages) + 1
        message_id = f"{0x5000 + number:x}"
        reference, total, index = concatenation or (None, 1, 1)
        self.messages.append(
            Submitted(
                number=number,
                session_id=event.session_id,
                destination=event.destination_addr,
                dest_ton=event.dest_addr_ton,
                source=event.source_addr,
                source_ton=event.source_addr_ton,
                data_coding=event.data_coding,
                esm_class=event.esm_class,
                registered_delivery=event.registered_delivery,
                reference=reference,
                total=total,
                index=index,
                text=_decode(body, event.data_coding),
                message_id=message_id,
                at=self.now(),
            )
        )
        event.accept(message_id)
        if self.receipts and event.registered_delivery & 0x01:
            self._spawn(self._receipt(event, message_id, number, index))
        if self._drop is not None and number >= self._drop[0]:
            how, self._drop = self._drop[1], None
            self._end_session(event.session_id, how)

    def _end_session(self, session_id: str, how: Literal["unbind", "cut"]) -> None:
        self._dropped.add(session_id)
        if how == "cut":
            assert self._line is not None
            self._line.cut()
        else:
            esme = self._sessions.get(session_id)
            if esme is not None:
                self._spawn(self._unbind(esme))

    async def _unbind(self, esme: smpp34.Esme) -> None:
        # Answers already given go out before the unbind, as an SMSC that ends a session
        # cleanly would have it; smpp34 might otherwise write the unbind first.
        await asyncio.sleep(0.05)
        await esme.unbind()

    async def _receipt(
        self, event: smpp34.SubmitSmEvent, message_id: str, number: int, index: int
    ) -> None:
        await asyncio.sleep(self.receipt_delay)
        session_id = event.session_id
        if self.receipts_elsewhere:
            others = [
                other for other in self._sessions if other not in (session_id, *self._dropped)
            ]
            if others:
                session_id = others[number % len(others)]
        esme = self._sessions.get(session_id)
        if esme is None or session_id in self._dropped:
            return
        failed = event.destination_addr in self.undeliverable or 0 < self.fail_from <= index
        state = "UNDELIV" if failed else "DELIVRD"
        stamp = datetime.now(UTC).strftime(self.receipt_date_format)
        delivered = "001" if state == "DELIVRD" else "000"
        error = "000" if state == "DELIVRD" else "001"
        text = (
            f"id:{message_id} sub:001 dlvrd:{delivered} submit date:{stamp} "
            f"done date:{stamp} stat:{state} err:{error} text:"
        )
        tlvs = (
            [
                smpp34.Tlv(_smpp34.TLV_RECEIPTED_MESSAGE_ID, message_id.encode("ascii") + b"\0"),
                smpp34.Tlv(_smpp34.TLV_MESSAGE_STATE, bytes([MESSAGE_STATE[state]])),
            ]
            if self.receipt_tlvs
            else []
        )
        with contextlib.suppress(Exception):  # the session may end meanwhile
            await esme.deliver_sm(
                event.source_addr,
                text.encode("ascii"),
                source_addr=event.destination_addr,
                source_addr_ton=event.dest_addr_ton,
                source_addr_npi=event.dest_addr_npi,
                esm_class=RECEIPT,
                tlvs=tlvs,
            )

    def _spawn(self, work: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(work)  # smpp34's calls return futures, not coroutines
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
