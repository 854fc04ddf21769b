"""In-memory state of the sandbox: users, chats, messages, updates, events, files and faults."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sandbox.chats import CallbackRecord, ChatLog, Event, StoredMessage
from sandbox.commands import CommandMenus
from sandbox.errors import (
    BotApiError,
    bad_gateway,
    bad_request,
    blocked_by_user,
    chat_not_found,
    too_many_requests,
)
from sandbox.files import FileStore
from sandbox.markup import has_callback, inline_part
from sandbox.network import LOSE_ANSWER, Network
from sandbox.people import BotIdentity, Faults, SimUser
from sandbox.updates import UpdateQueue

Clock = Callable[[], datetime | float]


class World:
    """Everything the sandbox knows; one instance per server."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        bot: BotIdentity | None = None,
        first_user_id: int = 100001,
    ) -> None:
        self._clock: Clock = clock or time.time
        self.bot = bot or BotIdentity()
        self.files = FileStore()
        self.commands = CommandMenus()
        self.settings: dict[str, Any] = {}
        self.closed = False
        self._next_user_id = first_user_id
        self._chats: dict[int, ChatLog] = {}
        self._messages: dict[tuple[int, int], StoredMessage] = {}
        self._callbacks: dict[str, CallbackRecord] = {}
        self.updates = UpdateQueue()
        self.network = Network()

    def now(self) -> int:
        """Return the current Unix time in whole seconds from the injected clock."""
        value = self._clock()
        return int(value.timestamp() if isinstance(value, datetime) else value)

    # Users and chats

    def add_user(
        self,
        first_name: str,
        language_code: str = "en",
        *,
        last_name: str | None = None,
        username: str | None = None,
    ) -> SimUser:
        """Create a simulated user and their private chat."""
        user = SimUser(self._next_user_id, first_name, language_code, last_name, username)
        self._next_user_id += 1
        self._chats[user.id] = ChatLog(user)
        return user

    @property
    def users(self) -> list[SimUser]:
        """Return all simulated users, oldest first."""
        return [log.user for log in self._chats.values()]

    def chat(self, chat_id: int) -> ChatLog:
        """Return a chat's log or raise "chat not found"."""
        log = self._chats.get(chat_id)
        if log is None:
            raise chat_not_found()
        return log

    def user(self, user_id: int) -> SimUser:
        """Return a simulated user or raise "chat not found"."""
        return self.chat(user_id).user

    def message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        """Return a stored message, if it exists."""
        return self._messages.get((chat_id, message_id))

    # Faults

    def set_retry_after(self, chat_id: int, retry_after: int, count: int = 1) -> Faults:
        """Answer the next `count` sending calls to this chat with 429 retry_after."""
        faults = self.chat(chat_id).faults
        faults.retry_after, faults.retry_count = retry_after, count
        return faults

    def set_blocked(self, chat_id: int, blocked: bool = True) -> Faults:
        """Make the user block (or unblock) the bot."""
        faults = self.chat(chat_id).faults
        faults.blocked = blocked
        return faults

    def clear_faults(self, chat_id: int) -> Faults:
        """Remove all faults of a chat."""
        log = self.chat(chat_id)
        log.faults = Faults()
        return log.faults

    def check_faults(self, chat_id: int, *, sending: bool) -> ChatLog:
        """Raise the chat's fault for a bot call, consuming one 429 if it is a sending call."""
        log = self.chat(chat_id)
        faults = log.faults
        if faults.blocked:
            raise blocked_by_user()
        if sending and faults.retry_count > 0:
            faults.retry_count -= 1
            raise too_many_requests(faults.retry_after)
        if sending and faults.server_errors > 0:
            faults.server_errors -= 1
            raise bad_gateway()
        if sending:
            self.network.admit()
        if sending and faults.lost_answers > 0:
            faults.lost_answers -= 1
            LOSE_ANSWER.set(True)
        return log

    def add_users(self, count: int, language_code: str = "en") -> tuple[int, int]:
        """Create `count` simulated users at once (for broadcasts); return the first and last id."""
        first = self._next_user_id
        for number in range(count):
            self.add_user(f"User {first + number}", language_code)
        return first, self._next_user_id - 1

    def bot_message_counts(self) -> dict[int, int]:
        """How many messages the bot sent to each chat that has any."""
        counts: dict[int, int] = {}
        for (chat_id, _message_id), stored in self._messages.items():
            if stored.from_bot:
                counts[chat_id] = counts.get(chat_id, 0) + 1
        return counts

    # Events

    def _publish(self, log: ChatLog, kind: str, **fields: Any) -> Event:
        event: Event = {"seq": len(log.events) + 1, "kind": kind, "date": self.now(), **fields}
        log.events.append(event)
        log.signal.set()
        log.signal = asyncio.Event()
        return event

    def events_after(self, chat_id: int, after: int) -> list[Event]:
        """Return a chat's events with seq greater than `after`."""
        return self.chat(chat_id).events[max(after, 0) :]

    async def wait_events(self, chat_id: int, after: int, wait: float) -> list[Event]:
        """Return events after `after`, waiting up to `wait` seconds for the first one."""
        log = self.chat(chat_id)
        if len(log.events) <= max(after, 0) and wait > 0 and not self.closed:
            log.polls_waiting += 1
            try:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(wait):
                        await log.signal.wait()
            finally:
                log.polls_waiting -= 1
        return log.events[max(after, 0) :]

    def close(self) -> None:
        """Wake every long-poll so that the server can stop at once."""
        self.closed = True
        self.updates.close()
        for log in self._chats.values():
            log.signal.set()

    # Messages

    def _new_message(
        self, log: ChatLog, sender: dict[str, Any], content: dict[str, Any]
    ) -> dict[str, Any]:
        log.last_message_id += 1
        return {
            "message_id": log.last_message_id,
            "from": sender,
            "chat": log.user.as_chat(),
            "date": self.now(),
            **content,
        }

    def user_sends(self, user_id: int, content: dict[str, Any]) -> tuple[dict[str, Any], Event]:
        """Post a message from a simulated user: an update for the bot and an event."""
        log = self.chat(user_id)
        message = self._new_message(log, log.user.as_user(), content)
        self._messages[(user_id, message["message_id"])] = StoredMessage(message)
        update = self.updates.push("message", message)
        event = self._publish(log, "user_message", message=message, update_id=update["update_id"])
        return message, event

    def user_presses(self, user_id: int, message_id: int, data: str) -> tuple[Event, int]:
        """Press an inline button of a bot message: a callback_query update and an event."""
        log = self.chat(user_id)
        stored = self.message(user_id, message_id)
        if stored is None:
            raise BotApiError(404, f"message {message_id} not found in chat {user_id}")
        if not has_callback(stored.markup, data):
            raise BotApiError(400, f"message {message_id} has no button with data {data!r}")
        query_id = str(4_000_000_000_000 + len(self._callbacks) + 1)
        self._callbacks[query_id] = CallbackRecord(user_id)
        query = {
            "id": query_id,
            "from": log.user.as_user(),
            "message": stored.message,
            "chat_instance": str(-(10**12) - user_id),
            "data": data,
        }
        update = self.updates.push("callback_query", query)
        text = next(
            button["text"]
            for row in (stored.markup or {}).get("inline_keyboard", [])
            for button in row
            if button.get("callback_data") == data
        )
        event = self._publish(
            log,
            "button_press",
            message_id=message_id,
            data=data,
            text=text,
            callback_query_id=query_id,
            update_id=update["update_id"],
        )
        return event, update["update_id"]

    def bot_sends(
        self,
        chat_id: int,
        bot_user: dict[str, Any],
        content: dict[str, Any],
        markup: dict[str, Any] | None = None,
        *,
        parse_mode: str | None = None,
    ) -> dict[str, Any]:
        """Store a message from the bot and publish it; return the Bot API Message."""
        log = self.chat(chat_id)
        inline = inline_part(markup)
        message = self._new_message(log, bot_user, content)
        if inline is not None:
            message["reply_markup"] = inline
        self._messages[(chat_id, message["message_id"])] = StoredMessage(message, markup, True)
        self._publish(
            log, "bot_message", message=message, reply_markup=markup, parse_mode=parse_mode
        )
        return message

    def bot_edits(
        self,
        chat_id: int,
        message_id: int,
        changes: dict[str, Any],
        markup: dict[str, Any] | None,
        *,
        parse_mode: str | None = None,
    ) -> dict[str, Any]:
        """Edit a bot message's text, caption or inline keyboard; publish and return it."""
        log = self.chat(chat_id)
        stored = self.message(chat_id, message_id)
        if stored is None:
            raise bad_request("message to edit not found")
        if not stored.from_bot:
            raise bad_request("message can't be edited")
        old = stored.message
        for key in changes:
            if key in ("text", "caption") and key not in old:
                raise bad_request(f"there is no {key} in the message to edit")
        new = {k: v for k, v in old.items() if k not in ("reply_markup", "edit_date")}
        for key, value in changes.items():
            new.pop(key, None)
            if value:
                new[key] = value
        inline = inline_part(markup)
        if inline is not None:
            new["reply_markup"] = inline
        if new == {k: v for k, v in old.items() if k != "edit_date"}:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are"
                " exactly the same as a current content and reply markup of the message"
            )
        new["edit_date"] = self.now()
        self._messages[(chat_id, message_id)] = StoredMessage(new, inline, True)
        self._publish(log, "bot_edit", message=new, reply_markup=inline, parse_mode=parse_mode)
        return new

    def bot_deletes(self, chat_id: int, message_id: int) -> None:
        """Delete a message from the chat and publish that."""
        log = self.chat(chat_id)
        if self._messages.pop((chat_id, message_id), None) is None:
            raise bad_request("message to delete not found")
        self._publish(log, "bot_delete", message_id=message_id)

    def answer_callback(self, query_id: str, answer: dict[str, Any]) -> Event:
        """Record the bot's answer to a callback query (once per query)."""
        record = self._callbacks.get(query_id)
        if record is None or record.answered:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        record.answered = True
        return self._publish(
            self.chat(record.chat_id), "callback_answer", callback_query_id=query_id, **answer
        )

    def chat_action(self, chat_id: int, action: str) -> None:
        """Publish a chat action such as typing or record_voice."""
        self._publish(self.chat(chat_id), "chat_action", action=action)
