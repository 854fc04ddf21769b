"""The sandbox's SMS centre: pretend phones that receive Kömek's SMS and can reply.

Kömek's sandbox SMS channel posts messages here; each is kept under its phone number and
reported delivered a moment later (as a phone network would, after Kömek has recorded the
send). Replies typed on the page or sent by tests queue up, with the receipts, for the
channel to fetch the way a bot fetches getUpdates. Tests can make the next sends to a phone
fail with a chosen HTTP status.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from sandbox.updates import UpdateQueue

_PHONE = re.compile(r"\+[1-9][0-9]{6,14}")
MAX_TEXT = 1600
"""Longer than any alert SMS (three parts of 67); a sign of a bug, so it is refused."""


class SmsRefused(Exception):
    """The SMS centre refused a message, with the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def phone_number(text: str) -> str:
    """`+` and digits, as E.164 writes a phone number; SmsRefused(400) otherwise."""
    text = text.strip()
    if not _PHONE.fullmatch(text):
        raise SmsRefused(400, "not a phone number in E.164 form (+77011234567)")
    return text


@dataclass(slots=True)
class Sms:
    """One SMS the sandbox SMS centre took or a sandbox phone sent."""

    seq: int
    message_id: str
    phone: str
    direction: Literal["to_phone", "from_phone"]
    text: str
    date: int
    sender: str
    status: str
    """to_phone: "sent", then "delivered"; from_phone: "received"."""

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "message_id": self.message_id,
            "phone": self.phone,
            "direction": self.direction,
            "text": self.text,
            "date": self.date,
            "sender": self.sender,
            "status": self.status,
        }


@dataclass(slots=True)
class SmsFault:
    """The next `count` sends to one phone refused with HTTP `status` (tests of retries)."""

    count: int
    status: int

    def as_json(self) -> dict[str, Any]:
        return {"count": self.count, "status": self.status}


@dataclass
class SmsCentre:
    """Every phone's messages, the queue the channel polls, and faults."""

    clock: Callable[[], float] = time.time
    receipt_delay: float = 1.0
    """Seconds before a sent message is reported delivered."""
    inbound: UpdateQueue = field(default_factory=UpdateQueue)
    """Receipts and replies for Kömek's channel, numbered like Bot API updates."""
    closed: bool = False
    _messages: list[Sms] = field(default_factory=list)
    _events: list[dict[str, Any]] = field(default_factory=list)
    _faults: dict[str, SmsFault] = field(default_factory=dict)
    _signal: asyncio.Event = field(default_factory=asyncio.Event)
    _timers: dict[int, asyncio.TimerHandle] = field(default_factory=dict)

    def _store(
        self,
        phone: str,
        direction: Literal["to_phone", "from_phone"],
        text: str,
        sender: str,
        status: str,
    ) -> Sms:
        seq = len(self._messages) + 1
        sms = Sms(seq, f"sms-{seq}", phone, direction, text, int(self.clock()), sender, status)
        self._messages.append(sms)
        self._publish("sms", sms=sms.as_json())
        return sms

    def send(self, to: str, text: str, sender: str = "Komek") -> Sms:
        """Kömek sends an SMS; raises SmsRefused for a fault, a bad number or a bad text."""
        phone = phone_number(to)
        fault = self._faults.get(phone)
        if fault is not None and fault.count > 0:
            fault.count -= 1
            raise SmsRefused(fault.status, "refused by the sandbox (a fault set for this phone)")
        if not text.strip():
            raise SmsRefused(400, "text is empty")
        if len(text) > MAX_TEXT:
            raise SmsRefused(400, f"text is longer than {MAX_TEXT} characters")
        sms = self._store(phone, "to_phone", text, sender[:20] or "Komek", "sent")
        if self.receipt_delay > 0:
            loop = asyncio.get_running_loop()
            self._timers[sms.seq] = loop.call_later(self.receipt_delay, self._deliver, sms)
        else:
            self._deliver(sms)
        return sms

    def _deliver(self, sms: Sms) -> None:
        self._timers.pop(sms.seq, None)
        if self.closed:
            return
        sms.status = "delivered"
        self.inbound.push(
            "receipt", {"message_id": sms.message_id, "delivered": True, "status": "DELIVRD"}
        )
        self._publish("status", message_id=sms.message_id, phone=sms.phone, status=sms.status)

    def reply(self, phone: str, text: str) -> Sms:
        """A text from a phone to Kömek (e.g. "1": safe, "2": help)."""
        number = phone_number(phone)
        if not text.strip():
            raise SmsRefused(400, "text is empty")
        if len(text) > MAX_TEXT:
            raise SmsRefused(400, f"text is longer than {MAX_TEXT} characters")
        sms = self._store(number, "from_phone", text, number, "received")
        self.inbound.push(
            "reply",
            {"message_id": sms.message_id, "phone": number, "text": text, "date": sms.date},
        )
        return sms

    def fail_next(self, phone: str, count: int, status: int) -> SmsFault:
        """Refuse the next `count` sends to `phone` with HTTP `status`."""
        if not 400 <= status <= 599:
            raise SmsRefused(400, "status must be an HTTP error status (400-599)")
        fault = SmsFault(max(0, count), status)
        self._faults[phone_number(phone)] = fault
        return fault

    def clear_faults(self, phone: str) -> None:
        self._faults.pop(phone_number(phone), None)

    def faults(self, phone: str) -> SmsFault:
        return self._faults.get(phone_number(phone), SmsFault(0, 503))

    def messages(self, phone: str | None = None, after: int = 0) -> list[Sms]:
        """Messages in order, of one phone or all, after a seq."""
        number = phone_number(phone) if phone is not None else None
        return [
            sms for sms in self._messages[max(after, 0) :] if number is None or sms.phone == number
        ]

    def phones(self) -> list[dict[str, Any]]:
        """Every phone with messages, in the order each first appeared."""
        summary: dict[str, dict[str, Any]] = {}
        for sms in self._messages:
            entry = summary.setdefault(sms.phone, {"phone": sms.phone, "messages": 0})
            entry["messages"] += 1
            entry["last_seq"] = sms.seq
        return list(summary.values())

    async def wait_events(self, after: int, wait: float) -> list[dict[str, Any]]:
        """Events after seq `after` (a new SMS, a status change), waiting up to `wait` s."""
        if len(self._events) <= max(after, 0) and wait > 0 and not self.closed:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await self._signal.wait()
        return self._events[max(after, 0) :]

    def _publish(self, kind: str, **fields: Any) -> None:
        self._events.append({"seq": len(self._events) + 1, "kind": kind, **fields})
        self._signal.set()
        self._signal = asyncio.Event()

    def close(self) -> None:
        """Stop reporting and wake every long-poll."""
        self.closed = True
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        self.inbound.close()
        self._signal.set()
