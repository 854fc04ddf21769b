"""The Telegram channel of the alerts fan-out: text, or a voice note with the text, and the
"I'm safe" / "I need help" buttons.

Telegram's errors, translated in bot/telegram/errors.py, are sorted for the fan-out: 429 →
wait `retry_after` (and the whole lane waits with it), 5xx and network trouble → retry with
backoff, 403 or a chat that is gone → this person cannot be reached on Telegram (SMS takes
over), any other refusal → refused; a fault on our side (token, conflict) is raised as it is.
"""

from __future__ import annotations

from aiogram import Bot
from aiogram.methods import SendMessage
from aiogram.methods.base import Response
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup, Message

from alerts.channels.base import ChannelError, Outgoing, Rejected, RetryLater, Sent, Unreachable
from bot.telegram.errors import TelegramTrouble, Trouble, telegram_call
from bot.telegram.session import JsonSession, Prepared, prepare
from bot.telegram.split import split_text
from core.i18n import Catalogs
from core.profile import Language

# aiogram parametrises Response[...] for every answer; pydantic caches such classes only while
# something holds them, and rebuilding one costs milliseconds. Holding them keeps the cache.
_RESPONSE_TYPES = (Response[Message], Response[bool])

CAPTION_LIMIT = 1024
KEYBOARDS_KEPT = 100
PREPARED_KEPT = 200
SERVER_RETRY_SECONDS = 2.0
ANSWER_PAYLOAD = "alert:{answer}:{alert_id}"
"""Callback data of the answer buttons; the bot's button handler reads it back."""


class TelegramAlertChannel:
    """Sends alerts through Telegram: text, voice note for blind people, answer buttons."""

    name = "telegram"

    def __init__(self, bot: Bot, catalogs: Catalogs) -> None:
        self._bot = bot
        self._catalogs = catalogs
        self._keyboards: dict[tuple[int, str], InlineKeyboardMarkup] = {}
        self._prepared: dict[tuple[str, int, str, bool, bool], list[Prepared] | None] = {}

    def _buttons(self, message: Outgoing) -> InlineKeyboardMarkup | None:
        """The answer buttons, built once per alert and language (broadcasts send thousands)."""
        if not message.answer_buttons:
            return None
        key = (message.alert_id, message.language)
        markup = self._keyboards.get(key)
        if markup is None:
            language = Language(message.language)
            rows = [
                [
                    InlineKeyboardButton(
                        text=self._catalogs.text(language, f"alert.button.{answer}"),
                        callback_data=ANSWER_PAYLOAD.format(
                            answer=answer, alert_id=message.alert_id
                        ),
                    )
                ]
                for answer in ("safe", "help")
            ]
            markup = InlineKeyboardMarkup(inline_keyboard=rows)
            if len(self._keyboards) > KEYBOARDS_KEPT:
                self._keyboards.clear()
            self._keyboards[key] = markup
        return markup

    async def send(self, message: Outgoing) -> Sent:
        if message.chat_id is None:
            raise Rejected("no Telegram chat")
        try:
            return await self._send(message, message.chat_id)
        except TelegramTrouble as trouble:
            if trouble.kind is Trouble.FAULT:
                raise
            raise _channel_error(trouble) from None

    @telegram_call
    async def _send(self, message: Outgoing, chat_id: int) -> Sent:
        buttons = self._buttons(message)
        paid = True if message.paid_broadcast else None
        if message.voice is None:
            return await self._send_text(message, chat_id, buttons, paid)
        note = message.voice
        caption, rest = _caption(message.text)
        voice = note.file_id or BufferedInputFile(note.audio, filename="alert.ogg")
        try:
            sent = await self._send_voice(
                chat_id,
                voice,
                caption=caption,
                duration=note.duration_seconds or None,
                reply_markup=None if rest else buttons,
                allow_paid_broadcast=paid,
            )
        except TelegramTrouble as trouble:
            if trouble.kind is not Trouble.VOICE_REFUSED:
                raise
            # Their privacy settings refuse voice notes: the same words, as text.
            texted = await self._send_text(message, chat_id, buttons, paid)
            return Sent(texted.provider_message_id, sent_as="text", voice_refused=True)
        for number, part in enumerate(rest):
            await self._bot.send_message(
                chat_id,
                part,
                reply_markup=buttons if number == len(rest) - 1 else None,
                allow_paid_broadcast=paid,
            )
        file_id = sent.voice.file_id if sent.voice is not None else None
        return Sent(str(sent.message_id), voice_file_id=file_id, sent_as="voice")

    @telegram_call
    async def _send_voice(
        self,
        chat_id: int,
        voice: str | BufferedInputFile,
        *,
        caption: str,
        duration: int | None,
        reply_markup: InlineKeyboardMarkup | None,
        allow_paid_broadcast: bool | None,
    ) -> Message:
        return await self._bot.send_voice(
            chat_id,
            voice,
            caption=caption,
            duration=duration,
            reply_markup=reply_markup,
            allow_paid_broadcast=allow_paid_broadcast,
        )

    @telegram_call
    async def _send_text(
        self,
        message: Outgoing,
        chat_id: int,
        buttons: InlineKeyboardMarkup | None,
        paid: bool | None,
    ) -> Sent:
        calls = self._prepared_text(message, buttons, paid)
        session = self._bot.session
        if calls is not None and isinstance(session, JsonSession):
            result: dict[str, object] = {}
            for call in calls:
                result = await session.send_prepared(self._bot, call, chat_id)
            return Sent(provider_message_id=str(result["message_id"]), sent_as="text")
        parts = split_text(message.text)
        sent: Message | None = None
        for number, part in enumerate(parts):
            last = number == len(parts) - 1
            sent = await self._bot.send_message(
                chat_id, part, reply_markup=buttons if last else None, allow_paid_broadcast=paid
            )
        assert sent is not None
        return Sent(provider_message_id=str(sent.message_id), sent_as="text")

    def _prepared_text(
        self, message: Outgoing, buttons: InlineKeyboardMarkup | None, paid: bool | None
    ) -> list[Prepared] | None:
        """The text's messages with their bodies built once per alert, language and text: a
        broadcast sends the same ones to every chat. None when the session cannot."""
        key = (message.text, message.alert_id, message.language, buttons is not None, bool(paid))
        if key in self._prepared:
            return self._prepared[key]
        parts = split_text(message.text)
        calls: list[Prepared] | None = []
        for number, part in enumerate(parts):
            last = number == len(parts) - 1
            method = SendMessage(
                chat_id=0,  # a stand-in: every send fills in its own chat
                text=part,
                reply_markup=buttons if last else None,
                allow_paid_broadcast=paid,
            )
            call = prepare(self._bot, method)
            if call is None or calls is None:
                calls = None
            else:
                calls.append(call)
        if len(self._prepared) > PREPARED_KEPT:
            self._prepared.clear()
        self._prepared[key] = calls
        return calls

    async def close(self) -> None:
        """The bot's session belongs to whoever made the bot."""


def _channel_error(trouble: TelegramTrouble) -> ChannelError:
    """What the fan-out does about a Telegram error: wait, retry, hand over to SMS, or give up."""
    if trouble.kind is Trouble.THROTTLED:
        return RetryLater(trouble.detail, trouble.retry_after, throttled=True)
    if trouble.kind is Trouble.UNAVAILABLE:
        return RetryLater(trouble.detail, SERVER_RETRY_SECONDS, maybe_sent=trouble.maybe_sent)
    if trouble.kind in (Trouble.BLOCKED, Trouble.CHAT_GONE):
        return Unreachable(trouble.detail)
    return Rejected(trouble.detail)


def _caption(text: str) -> tuple[str, list[str]]:
    """The caption a voice note can carry, and the rest as text messages."""
    if len(text) <= CAPTION_LIMIT:
        return text, []
    parts = split_text(text, limit=CAPTION_LIMIT)
    return parts[0], split_text(" ".join(parts[1:]))
