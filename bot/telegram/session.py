"""aiogram's HTTP session, posting methods without files as a JSON body.

aiogram posts every method as a form: each text is percent-encoded and every nested object
(a keyboard) is serialised value by value. The Bot API takes JSON bodies too, which costs a
fraction of that, and an alert broadcast sends thousands of messages a second. Methods that
upload a file keep aiogram's multipart form.
"""

from __future__ import annotations

import datetime
import json
from enum import Enum
from typing import Any, cast

from aiogram import Bot
from aiogram.client.default import Default
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods.base import TelegramMethod, TelegramType
from aiogram.types import InputFile
from aiohttp import ClientError, ClientTimeout

JSON_HEADERS = {"Content-Type": "application/json"}


class _HasFile(Exception):
    """The method uploads a file: it needs a multipart form."""


class JsonSession(AiohttpSession):
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
            message = f"{type(error).__name__}: {error}"
            raise TelegramNetworkError(method=method, message=message) from error
        checked = self.check_response(
            bot=bot, method=method, status_code=response.status, content=content
        )
        return cast(TelegramType, checked.result)


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
