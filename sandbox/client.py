"""An async client of the control API for end-to-end tests and benchmarks."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

import aiohttp

from sandbox.sim_user import SimUser, button_texts, inline_buttons, message_text


class SandboxError(Exception):
    """The control API refused a request."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


class SandboxClient:
    """Talks to a running sandbox's /control/ API."""

    def __init__(self, base_url: str, *, session: aiohttp.ClientSession | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._session = session
        self._owns_session = session is None

    @property
    def session(self) -> aiohttp.ClientSession:
        """Return the HTTP session, opening one on first use."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
        return self._session

    async def close(self) -> None:
        """Close the HTTP session if this client opened it."""
        if self._owns_session and self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> Self:
        """Return the client."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the client."""
        await self.close()

    async def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """Call the control API and return its JSON, raising SandboxError on failure."""
        url = f"{self.base_url}/control/{path.lstrip('/')}"
        async with self.session.request(method, url, **kwargs) as response:
            body = await response.json(content_type=None)
            if response.status >= 400:
                raise SandboxError(response.status, str((body or {}).get("error", body)))
            return body

    async def health(self) -> dict[str, Any]:
        """Return the sandbox's health counters."""
        result: dict[str, Any] = await self.request("GET", "health")
        return result

    async def bot_info(self, language_code: str = "") -> dict[str, Any]:
        """Return the bot's identity and the commands a user of this language sees."""
        result: dict[str, Any] = await self.request(
            "GET", "bot", params={"language_code": language_code}
        )
        return result

    async def add_user(
        self,
        first_name: str,
        language_code: str = "en",
        *,
        last_name: str | None = None,
        username: str | None = None,
    ) -> SimUser:
        """Create a simulated user and return a handle to act as them."""
        body = {
            "first_name": first_name,
            "language_code": language_code,
            "last_name": last_name,
            "username": username,
        }
        return SimUser(self, await self.request("POST", "users", json=body))

    async def add_users(self, count: int, language_code: str = "en") -> range:
        """Create `count` users at once; return their ids (which are also their chat ids)."""
        body = await self.request(
            "POST", "users/bulk", json={"count": count, "language_code": language_code}
        )
        return range(int(body["first_id"]), int(body["last_id"]) + 1)

    async def message_counts(self) -> dict[int, int]:
        """How many messages the bot sent to each chat that has any."""
        body = await self.request("GET", "counts")
        return {int(chat): int(count) for chat, count in body.items()}

    async def set_network(
        self, *, latency_ms: float | None = None, send_rate: int | None = None
    ) -> dict[str, Any]:
        """Make the Bot API answer after `latency_ms` and allow `send_rate` sends a second."""
        body: dict[str, Any] = {}
        if latency_ms is not None:
            body["latency_ms"] = latency_ms
        if send_rate is not None:
            body["send_rate"] = send_rate
        result: dict[str, Any] = await self.request("PUT", "network", json=body)
        return result

    async def sms_phones(self) -> list[dict[str, Any]]:
        """Every pretend phone that has SMS: {phone, messages, last_seq}."""
        result: list[dict[str, Any]] = (await self.request("GET", "sms/phones"))["phones"]
        return result

    async def sms_messages(self, phone: str) -> list[dict[str, Any]]:
        """A phone's SMS both ways, oldest first: {direction, text, status, message_id, …}."""
        path = f"sms/phones/{quote(phone)}/messages"
        result: list[dict[str, Any]] = (await self.request("GET", path))["messages"]
        return result

    async def sms_reply(self, phone: str, text: str) -> dict[str, Any]:
        """Send a text from a pretend phone to Kömek, e.g. "1" (safe) or "2" (help)."""
        path = f"sms/phones/{quote(phone)}/replies"
        result: dict[str, Any] = await self.request("POST", path, json={"text": text})
        return result

    async def fail_sms(self, phone: str, count: int = 1, status: int = 503) -> dict[str, Any]:
        """Refuse the next `count` SMS to `phone` with HTTP `status` (5xx: retry, 4xx: refused)."""
        path = f"sms/phones/{quote(phone)}/faults"
        body = {"count": count, "status": status}
        result: dict[str, Any] = await self.request("PUT", path, json=body)
        return result

    async def set_sms(self, *, receipt_delay_ms: float) -> dict[str, Any]:
        """Set how long the sandbox waits before reporting an SMS delivered."""
        body = {"receipt_delay_ms": receipt_delay_ms}
        result: dict[str, Any] = await self.request("PUT", "sms/settings", json=body)
        return result

    async def users(self) -> list[dict[str, Any]]:
        """List all simulated users."""
        result: list[dict[str, Any]] = (await self.request("GET", "users"))["users"]
        return result

    async def events(self, chat_id: int, after: int = 0, wait: float = 0.0) -> dict[str, Any]:
        """Return {"events", "last_seq"} of a chat after a seq, long-polling up to `wait` s."""
        params = {"after": str(after), "timeout": str(wait)}
        result: dict[str, Any] = await self.request("GET", f"chats/{chat_id}/events", params=params)
        return result

    async def file_bytes(self, file_id: str) -> bytes:
        """Download a stored file's bytes."""
        url = f"{self.base_url}/control/files/{file_id}"
        async with self.session.get(url) as response:
            if response.status >= 400:
                raise SandboxError(response.status, await response.text())
            return await response.read()

    async def set_faults(self, chat_id: int, **faults: Any) -> dict[str, Any]:
        """Set faults of a chat: retry_after=N, count=K and/or blocked=True."""
        result: dict[str, Any] = await self.request("POST", f"chats/{chat_id}/faults", json=faults)
        return result

    async def clear_faults(self, chat_id: int) -> dict[str, Any]:
        """Clear all faults of a chat."""
        result: dict[str, Any] = await self.request("DELETE", f"chats/{chat_id}/faults")
        return result


__all__ = [
    "SandboxClient",
    "SandboxError",
    "SimUser",
    "button_texts",
    "inline_buttons",
    "message_text",
]
