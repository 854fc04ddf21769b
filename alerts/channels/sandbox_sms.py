"""SMS to the sandbox's pretend phones, for development and tests.

The sandbox (sandbox/sms_api.py) plays an SMS centre over HTTP: `send()` posts each message
to `/sms/messages`, and a background task long-polls `/sms/inbound` (as a bot polls
getUpdates) for delivery receipts and replies typed on the sandbox page, which it passes to
`InboundEvents`. Faults set on a phone come back as HTTP errors: 5xx and 429 mean retry,
other 4xx refused. Only HTTP: domain code does not import the sandbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import aiohttp

from alerts.channels.base import InboundEvents, Outgoing, Rejected, RetryLater, Sent
from core.clock import Clock, SystemClock

log = logging.getLogger(__name__)

RETRY_SECONDS = 1.0


class SandboxSmsChannel:
    """The `Channel` for SMS when Kömek runs on the sandbox."""

    name = "sms"

    def __init__(
        self,
        base_url: str,
        events: InboundEvents | None = None,
        *,
        sender: str = "Komek",
        poll_seconds: float = 25.0,
        session: aiohttp.ClientSession | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._clock = clock or SystemClock()
        self.sender = sender
        self.poll_seconds = poll_seconds
        self._events = events
        self._session = session
        self._owns_session = session is None
        self._poller: asyncio.Task[None] | None = None
        self._closed = False

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession()
            self._owns_session = True
        return self._session

    async def start(self) -> None:
        """Start fetching receipts and replies, if there is anyone to tell."""
        if self._events is not None and self._poller is None and not self._closed:
            self._poller = asyncio.create_task(self._poll(self._events), name="sandbox-sms")

    async def close(self) -> None:
        self._closed = True
        poller, self._poller = self._poller, None
        if poller is not None:
            poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller
        if self._owns_session and self._session is not None:
            await self._session.close()
        self._session = None

    async def send(self, message: Outgoing) -> Sent:
        if not message.phone:
            raise Rejected("no phone number")
        await self.start()
        body = {"to": message.phone, "text": message.text, "from": self.sender}
        try:
            async with self._client().post(f"{self.base_url}/sms/messages", json=body) as reply:
                status = reply.status
                answer: dict[str, Any] = await reply.json(content_type=None) or {}
                retry_after = reply.headers.get("Retry-After", "")
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            reason = f"sandbox SMS unreachable ({type(error).__name__})"
            raise RetryLater(reason, RETRY_SECONDS) from None
        if status == 201 and answer.get("message_id"):
            return Sent(provider_message_id=str(answer["message_id"]))
        reason = f"sandbox SMS answered {status}: {str(answer.get('error', ''))[:100]}"
        if status >= 500 or status == 429:
            seconds = float(retry_after) if retry_after.isdigit() else RETRY_SECONDS
            raise RetryLater(reason, seconds)
        raise Rejected(reason)

    async def _poll(self, events: InboundEvents) -> None:
        offset = 0
        pause = RETRY_SECONDS
        while True:
            params = {"offset": str(offset), "timeout": str(self.poll_seconds)}
            started = self._clock.monotonic()
            try:
                async with self._client().get(
                    f"{self.base_url}/sms/inbound", params=params
                ) as reply:
                    reply.raise_for_status()
                    items: list[dict[str, Any]] = (await reply.json())["result"]
            except (aiohttp.ClientError, TimeoutError, ValueError, KeyError) as error:
                log.warning("sandbox SMS poll failed: %s", type(error).__name__)
                await self._clock.sleep(pause)
                pause = min(pause * 2, 30.0)
                continue
            pause = RETRY_SECONDS
            if not items and self._clock.monotonic() - started < self.poll_seconds / 2:
                await self._clock.sleep(RETRY_SECONDS)  # the sandbox is closing: do not spin
            for item in items:
                offset = max(offset, int(item["update_id"]) + 1)
                await self._hand_over(events, item)

    @staticmethod
    async def _hand_over(events: InboundEvents, item: dict[str, Any]) -> None:
        try:
            if "receipt" in item:
                receipt = item["receipt"]
                delivered = bool(receipt.get("delivered"))
                error = None if delivered else str(receipt.get("status") or "not delivered")
                await events.receipt(str(receipt["message_id"]), delivered, error)
            elif "reply" in item:
                await events.reply(str(item["reply"]["phone"]), str(item["reply"]["text"]))
        except Exception as error:  # one bad event must not stop the others
            log.error("handling a sandbox SMS event failed: %s", type(error).__name__)
