"""Webhook delivery: POST each update to the bot's URL, in order per chat, with retries."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from sandbox.errors import BotApiError
from sandbox.params import Params
from sandbox.updates import update_chat_id
from sandbox.world import World

Execute = Callable[[str, Params, str], Awaitable[Any]]
VERIFY_HEADER = "X-Telegram-Bot-Api-Secret-Token"
logger = logging.getLogger(__name__)


class WebhookDeliverer:
    """Delivers queued updates to a webhook while one is set; at most one in flight per chat."""

    def __init__(
        self,
        world: World,
        execute: Execute,
        *,
        retry_delays: tuple[float, ...] = (0.1, 0.5, 1.0),
        request_timeout: float = 10.0,
    ) -> None:
        self._world = world
        self._execute = execute
        self._retry_delays = retry_delays
        self._timeout = aiohttp.ClientTimeout(total=request_timeout)
        self.url: str | None = None
        self.secret: str | None = None
        self.token = ""
        self.max_connections = 40
        self.allowed_updates: list[str] | None = None
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self._session: aiohttp.ClientSession | None = None
        self._busy: dict[int | None, asyncio.Task[None]] = {}
        self._wake = asyncio.Event()
        self._runner: asyncio.Task[None] | None = None

    async def configure(
        self,
        url: str,
        *,
        secret: str | None,
        token: str,
        max_connections: int = 40,
        allowed_updates: list[str] | None = None,
    ) -> None:
        """Set the webhook and start delivering pending and new updates."""
        await self.stop()
        self.url, self.secret, self.token = url, secret, token
        self.max_connections = max_connections
        self.allowed_updates = allowed_updates
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        self._world.updates.add_listener(self._wake.set)
        self._runner = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Remove the webhook; undelivered updates stay queued for getUpdates."""
        self.url = None
        self._world.updates.remove_listener(self._wake.set)
        tasks = [task for task in (self._runner, *self._busy.values()) if task is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._busy.clear()
        self._runner = None

    async def close(self) -> None:
        """Stop delivering and close the HTTP session."""
        await self.stop()
        if self._session is not None:
            await self._session.close()
            self._session = None

    def info(self) -> dict[str, Any]:
        """Return the getWebhookInfo result."""
        info: dict[str, Any] = {
            "url": self.url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._world.updates),
        }
        if self.last_error_date is not None:
            info["last_error_date"] = self.last_error_date
            info["last_error_message"] = self.last_error_message
        if self.url:
            info["max_connections"] = self.max_connections
        if self.allowed_updates:
            info["allowed_updates"] = self.allowed_updates
        return info

    async def _run(self) -> None:
        while True:
            self._dispatch()
            await self._wake.wait()
            self._wake.clear()

    def _dispatch(self) -> None:
        seen = set(self._busy)
        for update in self._world.updates.pending():
            if len(self._busy) >= self.max_connections:
                return
            chat_id = update_chat_id(update)
            if chat_id in seen:
                continue
            seen.add(chat_id)
            self._busy[chat_id] = asyncio.create_task(self._deliver(chat_id, update))

    async def _deliver(self, chat_id: int | None, update: dict[str, Any]) -> None:
        try:
            for delay in (0.0, *self._retry_delays):
                if delay:
                    await asyncio.sleep(delay)
                if await self._post(update):
                    break
            self._world.updates.forget(update["update_id"])
        finally:
            if self._busy.get(chat_id) is asyncio.current_task():
                del self._busy[chat_id]
            self._wake.set()

    async def _post(self, update: dict[str, Any]) -> bool:
        if self._session is None or self.url is None:
            return False
        headers = {VERIFY_HEADER: self.secret} if self.secret else {}
        try:
            async with self._session.post(self.url, json=update, headers=headers) as response:
                if not 200 <= response.status < 300:
                    reason = f"{response.status} {response.reason or ''}".strip()
                    self._record_error(f"Wrong response from the webhook: {reason}")
                    return False
                await self._run_reply(response)
                return True
        except TimeoutError:
            self._record_error("Read timeout expired")
        except aiohttp.ClientConnectorError:
            self._record_error("Connection refused")
        except aiohttp.ClientError as error:
            self._record_error(str(error) or type(error).__name__)
        return False

    def _record_error(self, message: str) -> None:
        self.last_error_date = self._world.now()
        self.last_error_message = message

    async def _run_reply(self, response: aiohttp.ClientResponse) -> None:
        """Execute a Bot API method the webhook answered with, as Telegram does."""
        params = Params()
        try:
            if response.content_type == "application/json":
                body = await response.json()
                if isinstance(body, dict):
                    params.values.update(body)
            elif response.content_type.startswith("multipart/"):
                reader = aiohttp.MultipartReader(response.headers, response.content)
                await params.read_multipart(reader)
            method = params.get_str("method")
            if method:
                await self._execute(method, params, self.token)
        except (BotApiError, ValueError, aiohttp.ClientError) as error:
            logger.debug("webhook reply failed: %s", error)
