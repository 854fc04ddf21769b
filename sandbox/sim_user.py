"""A simulated user driven through the control API: send, press, and wait for the bot."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import aiohttp

if TYPE_CHECKING:
    from sandbox.client import SandboxClient


def message_text(message: dict[str, Any]) -> str:
    """Return a message's text, or its caption for voice, audio and documents."""
    return str(message.get("text") or message.get("caption") or "")


def inline_buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the inline keyboard buttons of a message, rows flattened."""
    markup = message.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def button_texts(message: dict[str, Any]) -> list[str]:
    """Return the labels of a message's inline or reply keyboard buttons."""
    markup = message.get("reply_markup") or {}
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    return [str(button["text"]) for row in rows for button in row]


class SimUser:
    """One simulated user and what they have seen in their chat with the bot."""

    def __init__(self, client: SandboxClient, info: dict[str, Any]) -> None:
        self.client = client
        self.user_id = int(info["user_id"])
        self.chat_id = int(info["chat_id"])
        self.first_name = str(info["first_name"])
        self.language_code = str(info["language_code"])
        self.events: list[dict[str, Any]] = []
        self.bot_messages: list[dict[str, Any]] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.reply_keyboard: dict[str, Any] | None = None
        self._seq = 0
        self._consumed = 0
        self._positions: dict[int, int] = {}
        self._event_cursors: dict[str, int] = {}

    def __repr__(self) -> str:
        """Show who this is."""
        return f"SimUser({self.user_id}, {self.first_name!r}, {self.language_code!r})"

    # Acting

    async def send_text(
        self, text: str, *, reply_to_message_id: int | None = None
    ) -> dict[str, Any]:
        """Send a text message to the bot; return the Message the bot will receive."""
        body: dict[str, Any] = {"text": text}
        if reply_to_message_id is not None:
            body["reply_to_message_id"] = reply_to_message_id
        result = await self.client.request("POST", f"users/{self.user_id}/messages", json=body)
        self._record_own(result["event"])
        return dict(result["message"])

    async def _send_file(
        self, kind: str, data: bytes, mime: str | None, fields: dict[str, Any]
    ) -> dict[str, Any]:
        form = aiohttp.FormData()
        name = fields.pop("file_name", None) or f"{kind}.bin"
        form.add_field("file", data, filename=name, content_type=mime or "application/octet-stream")
        if mime:
            form.add_field("mime_type", mime)
        for key, value in fields.items():
            if value is not None:
                form.add_field(key, str(value))
        result = await self.client.request("POST", f"users/{self.user_id}/{kind}", data=form)
        self._record_own(result["event"])
        return dict(result["message"])

    async def send_voice(
        self,
        data: bytes,
        mime: str = "audio/ogg",
        duration: int | None = None,
        *,
        caption: str | None = None,
    ) -> dict[str, Any]:
        """Send a voice message (OGG/Opus by default); the bot can download it with getFile."""
        fields = {"duration": duration, "caption": caption, "file_name": "voice.ogg"}
        return await self._send_file("voice", data, mime, fields)

    async def send_audio(
        self,
        data: bytes,
        mime: str = "audio/mpeg",
        duration: int | None = None,
        *,
        file_name: str = "audio.mp3",
        title: str | None = None,
        caption: str | None = None,
    ) -> dict[str, Any]:
        """Send an audio file."""
        fields = {"duration": duration, "file_name": file_name, "title": title, "caption": caption}
        return await self._send_file("audio", data, mime, fields)

    async def send_document(
        self, data: bytes, file_name: str, mime: str | None = None, *, caption: str | None = None
    ) -> dict[str, Any]:
        """Send a document."""
        fields = {"file_name": file_name, "caption": caption}
        return await self._send_file("document", data, mime, fields)

    async def share_location(self, latitude: float, longitude: float) -> dict[str, Any]:
        """Share a location with the bot."""
        body = {"latitude": latitude, "longitude": longitude}
        result = await self.client.request("POST", f"users/{self.user_id}/location", json=body)
        self._record_own(result["event"])
        return dict(result["message"])

    async def press(self, button: str) -> dict[str, Any]:
        """Press a button by its text or callback_data: inline first (newest message), then reply.

        An inline button sends a callback query; a reply-keyboard button sends its text.
        """
        await self.sync()
        for message in reversed(self.bot_messages):
            for candidate in inline_buttons(message):
                if button not in (candidate.get("text"), candidate.get("callback_data")):
                    continue
                if "callback_data" not in candidate:
                    raise ValueError(f"button {button!r} does not send a callback: {candidate}")
                body = {
                    "message_id": message["message_id"],
                    "callback_data": candidate["callback_data"],
                }
                result: dict[str, Any] = await self.client.request(
                    "POST", f"users/{self.user_id}/press", json=body
                )
                self._record_own(result["event"])
                return result
        if self.reply_keyboard is not None and button in button_texts(self.reply_keyboard_message):
            return await self.send_text(button)
        seen = [button_texts(message) for message in self.bot_messages if button_texts(message)]
        raise LookupError(f"no button {button!r}; buttons seen: {seen}")

    @property
    def reply_keyboard_message(self) -> dict[str, Any]:
        """Return the current reply keyboard wrapped like a message's reply_markup."""
        return {"reply_markup": self.reply_keyboard or {}}

    # Faults

    async def set_retry_after(self, seconds: int, count: int = 1) -> None:
        """Make the next `count` sending calls to this chat fail with 429 retry_after."""
        await self.client.set_faults(self.chat_id, retry_after=seconds, count=count)

    async def block_bot(self, blocked: bool = True) -> None:
        """Make this user block (or unblock) the bot: sending calls fail with 403."""
        await self.client.set_faults(self.chat_id, blocked=blocked)

    async def clear_faults(self) -> None:
        """Remove all faults of this chat."""
        await self.client.clear_faults(self.chat_id)

    # Observing

    async def sync(self, wait: float = 0.0) -> list[dict[str, Any]]:
        """Fetch new events of the chat (long-polling up to `wait` seconds) and return them."""
        result = await self.client.events(self.chat_id, self._seq, wait)
        events: list[dict[str, Any]] = result["events"]
        for event in events:
            self._apply(event)
        self._seq = max(self._seq, int(result["last_seq"]))
        return events

    def _record_own(self, event: dict[str, Any]) -> None:
        """Apply the event of our own action now if nothing else happened in between."""
        if event["seq"] == self._seq + 1:
            self._apply(event)
            self._seq = event["seq"]

    def _apply(self, event: dict[str, Any]) -> None:
        self.events.append(event)
        kind = event["kind"]
        if kind in ("bot_message", "bot_edit"):
            message = dict(event["message"])
            markup = event.get("reply_markup")
            if markup:
                message["reply_markup"] = markup
            if kind == "bot_message":
                self._positions[message["message_id"]] = len(self.bot_messages)
                self.bot_messages.append(message)
                if markup and ("keyboard" in markup or "remove_keyboard" in markup):
                    self.reply_keyboard = markup if "keyboard" in markup else None
            elif message["message_id"] in self._positions:
                self.bot_messages[self._positions[message["message_id"]]] = message
        elif kind == "bot_delete" and event["message_id"] in self._positions:
            position = self._positions[event["message_id"]]
            self.bot_messages[position] = {**self.bot_messages[position], "deleted": True}
        elif kind == "callback_answer":
            self.callback_answers.append(event)

    @property
    def last_bot_message(self) -> dict[str, Any] | None:
        """Return the newest bot message seen so far (edits applied)."""
        return self.bot_messages[-1] if self.bot_messages else None

    async def wait_for_bot_messages(
        self,
        n: int = 1,
        timeout: float = 20.0,  # noqa: ASYNC109
    ) -> list[dict[str, Any]]:
        """Return the next `n` bot messages not yet returned, waiting up to `timeout` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self.bot_messages) - self._consumed < n:
            remaining = deadline - loop.time()
            if remaining <= 0:
                got = [message_text(m) for m in self.bot_messages[self._consumed :]]
                expected = f"{self!r} expected {n} bot message(s) within {timeout} s"
                raise TimeoutError(f"{expected}, got {len(got)}: {got}")
            await self.sync(wait=remaining)
        messages = self.bot_messages[self._consumed : self._consumed + n]
        self._consumed += n
        return messages

    async def wait_for_bot_message(self, timeout: float = 20.0) -> dict[str, Any]:  # noqa: ASYNC109
        """Return the next bot message not yet returned."""
        return (await self.wait_for_bot_messages(1, timeout))[0]

    async def wait_for_event(self, kind: str, timeout: float = 5.0) -> dict[str, Any]:  # noqa: ASYNC109
        """Return the next event of a kind (e.g. "callback_answer") not yet returned by this."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            start = self._event_cursors.get(kind, 0)
            for index in range(start, len(self.events)):
                if self.events[index]["kind"] == kind:
                    self._event_cursors[kind] = index + 1
                    return self.events[index]
            self._event_cursors[kind] = len(self.events)
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"{self!r} saw no {kind!r} event within {timeout} s")
            await self.sync(wait=remaining)

    async def expect_no_bot_messages(self, within: float = 0.2) -> None:
        """Assert that the bot sends nothing new within `within` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while (remaining := deadline - loop.time()) > 0:
            await self.sync(wait=remaining)
            extra = self.bot_messages[self._consumed :]
            if extra:
                raise AssertionError(f"unexpected bot messages: {[message_text(m) for m in extra]}")

    async def download(self, message: dict[str, Any]) -> bytes:
        """Download the voice, audio or document of a message."""
        for kind in ("voice", "audio", "document"):
            if kind in message:
                return await self.client.file_bytes(message[kind]["file_id"])
        raise ValueError("message has no voice, audio or document")
