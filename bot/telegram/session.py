"""aiogram's HTTP session, posting methods without files as a JSON body.

aiogram posts every method as a form: each text is percent-encoded and every nested object
(a keyboard) is serialised value by value. The Bot API takes JSON bodies too, which costs a
fraction of that, and an alert broadcast sends thousands of messages a second. Methods that
upload a file keep aiogram's multipart form.

A broadcast sends the same message to thousands of chats: `prepare` builds its JSON body
once, and `send_prepared` fills in the chat and reads back only the message id, instead of
aiogram building a method object, serialising it and validating a whole `Message` for every
chat. Any answer that is not a plain success goes through aiogram's own checks, so errors
raise the same exceptions as `bot.send_message` would. Prepared sends go over kept-alive
connections of their own (`keepalive`), not through aiohttp's request machinery; through a
proxy they go through aiohttp.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from enum import Enum
from http import HTTPStatus
from typing import Any, cast
from urllib.parse import urlsplit

from aiogram import Bot
from aiogram.client.default import Default
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods.base import TelegramMethod, TelegramType
from aiogram.types import InputFile
from aiohttp import ClientConnectorError, ClientError, ClientSession, ClientTimeout

from bot.telegram.errors import NOT_SENT
from bot.telegram.keepalive import KeepAlivePool, NotConnected

JSON_HEADERS = {"Content-Type": "application/json"}
_SENT_ID = re.compile(
    rb'\A\{\s*"ok"\s*:\s*true\s*,\s*"result"\s*:\s*\{\s*"message_id"\s*:\s*(\d+)\s*[,}]'
)
"""A successful answer whose message_id comes first, as Telegram writes it: the id is read
without decoding the whole message (a broadcast reads thousands a second)."""


class _HasFile(Exception):
    """The method uploads a file: it needs a multipart form."""


@dataclass(frozen=True)
class Prepared:
    """A Bot API call whose JSON body is built once: only the chat changes between sends."""

    method: TelegramMethod[Any]
    """The call as aiogram would make it (with a stand-in chat), for checking its answers."""
    head: bytes
    tail: bytes

    def body(self, chat_id: int) -> bytes:
        return b"".join((self.head, str(chat_id).encode(), self.tail))


def prepare(bot: Bot, method: TelegramMethod[Any]) -> Prepared | None:
    """`method` (its `chat_id` a stand-in) as a body to send to any chat; None if it has a file
    or no chat, or the bot's session cannot send it."""
    if not isinstance(bot.session, JsonSession) or not hasattr(method, "chat_id"):
        return None
    body = _json_body(bot, method)
    if body is None:
        return None
    values = json.loads(body)
    values.pop("chat_id", None)
    rest = json.dumps(values, ensure_ascii=False)
    tail = "}" if rest == "{}" else "," + rest[1:]
    return Prepared(method, b'{"chat_id":', tail.encode())


class JsonSession(AiohttpSession):
    """aiogram's HTTP session, with kept-alive connections per Bot API host."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pools: dict[str, KeepAlivePool] = {}
        self._paths: dict[str, tuple[KeepAlivePool, str]] = {}

    def _keepalive(self, url: str) -> tuple[KeepAlivePool, str] | None:
        """The kept-alive connections for `url`'s host and the request path; None through a
        proxy (aiohttp's connector handles those)."""
        found = self._paths.get(url)
        if found is None:
            if self.proxy is not None:
                return None
            parts = urlsplit(url)
            base = f"{parts.scheme}://{parts.netloc}"
            pool = self._pools.get(base)
            if pool is None:
                pool = self._pools[base] = KeepAlivePool(
                    base,
                    size=self._connector_init["limit"],
                    answer_seconds=float(self.timeout),
                    ssl_context=self._connector_init.get("ssl"),
                )
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            found = self._paths[url] = (pool, path)
        return found

    async def send_prepared(self, bot: Bot, prepared: Prepared, chat_id: int) -> dict[str, Any]:
        """Send a prepared call to `chat_id`; the `result` object of a successful answer (only
        its `message_id` when that comes first, as it does from Telegram).

        Raises what aiogram raises for the same answer (TelegramRetryAfter, TelegramForbidden…).
        """
        method = prepared.method
        url = self.api.api_url(token=bot.token, method=method.__api_method__)
        keepalive = self._keepalive(url)
        try:
            if keepalive is not None:
                pool, path = keepalive
                status, content = await pool.post(path, prepared.body(chat_id))
            else:
                status, content = await self._post(url, prepared.body(chat_id))
        except TimeoutError as error:
            raise TelegramNetworkError(method=method, message="Request timeout error") from error
        except (ClientError, OSError) as error:
            raise TelegramNetworkError(method=method, message=_network(error)) from error
        if status == HTTPStatus.OK and (sent_id := _SENT_ID.match(content)) is not None:
            return {"message_id": int(sent_id[1])}
        if HTTPStatus.OK <= status <= HTTPStatus.IM_USED:
            try:
                answer = json.loads(content)
            except ValueError:
                answer = None
            if isinstance(answer, dict) and answer.get("ok") is True:
                result = answer.get("result")
                if isinstance(result, dict) and isinstance(result.get("message_id"), int):
                    return result
        # Anything else is read by aiogram, which raises the matching exception.
        sent = method.model_copy(update={"chat_id": chat_id})
        checked = self.check_response(
            bot=bot, method=sent, status_code=status, content=content.decode(errors="replace")
        )
        dump = getattr(checked.result, "model_dump", None)
        return cast(dict[str, Any], dump()) if dump is not None else {}

    async def _post(self, url: str, body: bytes) -> tuple[int, bytes]:
        session = await self.create_session()
        async with session.post(
            url, data=body, headers=JSON_HEADERS, timeout=ClientTimeout(total=self.timeout)
        ) as response:
            return response.status, await response.read()

    async def create_session(self) -> ClientSession:
        """aiogram's session for the other calls. aiogram resets it by calling `close()`
        before its first request; that reset closes aiogram's own session only. Closing the
        kept-alive connections then cut the prepared sends on the wire: their answers were
        lost and the alerts sent again, in doubt."""
        if self._should_reset_connector:
            await super().close()
            self._should_reset_connector = False
        return await super().create_session()

    async def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()
        self._paths.clear()
        await super().close()

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - aiogram's signature
    ) -> TelegramType:
        body = _json_body(bot, method)
        if body is None:
            return await super().make_request(bot, method, timeout)
        session = await self.create_session()
        url = self.api.api_url(token=bot.token, method=method.__api_method__)
        try:
            async with session.post(
                url,
                data=body.encode(),
                headers=JSON_HEADERS,
                timeout=ClientTimeout(total=self.timeout if timeout is None else timeout),
            ) as response:
                content = await response.text()
        except TimeoutError as error:
            raise TelegramNetworkError(method=method, message="Request timeout error") from error
        except ClientError as error:
            raise TelegramNetworkError(method=method, message=_network(error)) from error
        checked = self.check_response(
            bot=bot, method=method, status_code=response.status, content=content
        )
        return cast(TelegramType, checked.result)


def _network(error: Exception) -> str:
    """A network error's message; it starts with NOT_SENT when the request never went out."""
    message = f"{type(error).__name__}: {error}"
    if isinstance(error, NotConnected | ClientConnectorError):
        return f"{NOT_SENT} {message}"
    return message


def _json_body(bot: Bot, method: TelegramMethod[Any]) -> str | None:
    """The method as a JSON object, or None when it carries a file."""

    def plain(value: object) -> object:
        if isinstance(value, Default):
            return bot.default[value.name]
        if isinstance(value, InputFile):
            raise _HasFile
        if isinstance(value, datetime.datetime):
            return round(value.timestamp())
        if isinstance(value, datetime.timedelta):
            return round(value.total_seconds())
        if isinstance(value, Enum):
            return value.value
        raise TypeError(f"cannot send {type(value).__name__} as JSON")

    values = {}
    for key, value in method.model_dump(warnings=False, exclude_none=True).items():
        resolved = bot.default[value.name] if isinstance(value, Default) else value
        if resolved is not None:
            values[key] = resolved
    try:
        return json.dumps(values, ensure_ascii=False, default=plain)
    except _HasFile:
        return None
