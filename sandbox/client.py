"""An async client of the control API for end-to-end tests and benchmarks."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

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
