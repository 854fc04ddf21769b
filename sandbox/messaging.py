"""Bot API methods that send, edit and delete messages, answer buttons and hand out files."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sandbox.errors import bad_request
from sandbox.files import MAX_DOWNLOAD_SIZE, StoredFile
from sandbox.formatting import EntityParseError, apply_parse_mode
from sandbox.markup import normalize_markup
from sandbox.params import Call, Params, Upload
from sandbox.world import World

Method = Callable[[World, Call], Awaitable[Any]]
MAX_TEXT = 4096
MAX_CAPTION = 1024
CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}


def _chat_id(world: World, params: Params) -> int:
    chat_id = params.require_int("chat_id", invalid="chat not found")
    world.chat(chat_id)
    return chat_id


def _formatted(params: Params, text_key: str, entities_key: str) -> tuple[str, dict[str, Any]]:
    parse_mode = params.get_str("parse_mode")
    raw = params.get_str(text_key) or ""
    try:
        text, entities = apply_parse_mode(raw, parse_mode, params.get_json(entities_key))
    except EntityParseError as error:
        raise bad_request(f"can't parse entities: {error}") from error
    content: dict[str, Any] = {text_key: text} if text else {}
    if entities:
        content[entities_key] = entities
    return text, content


def _reply_to(world: World, chat_id: int, params: Params) -> dict[str, Any]:
    reply_parameters = params.get_json("reply_parameters") or {}
    message_id = params.get_int("reply_to_message_id") or reply_parameters.get("message_id")
    if not message_id:
        return {}
    stored = world.message(chat_id, int(message_id))
    if stored is None:
        allow = params.get_bool("allow_sending_without_reply")
        if allow or reply_parameters.get("allow_sending_without_reply"):
            return {}
        raise bad_request("message to be replied not found")
    replied = {k: v for k, v in stored.message.items() if k != "reply_to_message"}
    return {"reply_to_message": replied}


async def send_message(world: World, call: Call) -> dict[str, Any]:
    """Send a text message."""
    params = call.params
    chat_id = _chat_id(world, params)
    text, content = _formatted(params, "text", "entities")
    if not text.strip():
        raise bad_request("message text is empty")
    if len(text) > MAX_TEXT:
        raise bad_request("message is too long")
    markup = normalize_markup(params.get_json("reply_markup"))
    content.update(_reply_to(world, chat_id, params))
    world.check_faults(chat_id, sending=True)
    bot_user = world.bot.as_user(call.bot_id)
    parse_mode = params.get_str("parse_mode")
    return world.bot_sends(chat_id, bot_user, content, markup, parse_mode=parse_mode)


def _media_sender(kind: str) -> Method:
    async def send_media(world: World, call: Call) -> dict[str, Any]:
        params = call.params
        chat_id = _chat_id(world, params)
        source = params.get_file(kind)
        if not source:
            raise bad_request(f"there is no {kind} in the request")
        caption, content = _formatted(params, "caption", "caption_entities")
        if len(caption) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        markup = normalize_markup(params.get_json("reply_markup"))
        content.update(_reply_to(world, chat_id, params))
        stored: StoredFile | None = None
        if isinstance(source, str):
            if source.startswith(("http://", "https://")):
                raise bad_request("failed to get HTTP URL content")
            stored = world.files.by_id(source)
            if stored is None:
                raise bad_request("wrong file identifier/HTTP URL specified")
        log = world.check_faults(chat_id, sending=True)
        if kind == "voice" and log.faults.voice_forbidden:
            raise bad_request("VOICE_MESSAGES_FORBIDDEN")
        if isinstance(source, Upload):
            stored = world.files.add(
                source.data,
                kind,
                mime_type=source.content_type,
                file_name=source.filename,
                duration=params.get_int("duration"),
            )
        assert stored is not None
        extra = {}
        if kind == "audio":
            extra = {"performer": params.get_str("performer"), "title": params.get_str("title")}
        content[kind] = stored.as_media(**extra)
        bot_user = world.bot.as_user(call.bot_id)
        parse_mode = params.get_str("parse_mode")
        return world.bot_sends(chat_id, bot_user, content, markup, parse_mode=parse_mode)

    send_media.__doc__ = f"Send a {kind}: an uploaded file or an existing file_id."
    return send_media


def _edit_target(world: World, params: Params) -> tuple[int, int]:
    if params.get_str("inline_message_id"):
        raise bad_request("inline messages are not supported by the sandbox")
    chat_id = _chat_id(world, params)
    message_id = params.require_int("message_id", invalid="message to edit not found")
    world.check_faults(chat_id, sending=True)
    return chat_id, message_id


async def edit_message_text(world: World, call: Call) -> dict[str, Any]:
    """Edit the text (and inline keyboard) of a bot message."""
    params = call.params
    text, content = _formatted(params, "text", "entities")
    if not text.strip():
        raise bad_request("message text is empty")
    if len(text) > MAX_TEXT:
        raise bad_request("message is too long")
    markup = normalize_markup(params.get_json("reply_markup"))
    chat_id, message_id = _edit_target(world, params)
    changes = {"text": text, "entities": content.get("entities")}
    parse_mode = params.get_str("parse_mode")
    return world.bot_edits(chat_id, message_id, changes, markup, parse_mode=parse_mode)


async def edit_message_caption(world: World, call: Call) -> dict[str, Any]:
    """Edit the caption (and inline keyboard) of a bot voice, audio or document message."""
    params = call.params
    caption, content = _formatted(params, "caption", "caption_entities")
    if len(caption) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    markup = normalize_markup(params.get_json("reply_markup"))
    chat_id, message_id = _edit_target(world, params)
    changes = {"caption": caption, "caption_entities": content.get("caption_entities")}
    parse_mode = params.get_str("parse_mode")
    return world.bot_edits(chat_id, message_id, changes, markup, parse_mode=parse_mode)


async def edit_message_reply_markup(world: World, call: Call) -> dict[str, Any]:
    """Replace or remove the inline keyboard of a bot message."""
    markup = normalize_markup(call.params.get_json("reply_markup"))
    chat_id, message_id = _edit_target(world, call.params)
    return world.bot_edits(chat_id, message_id, {}, markup)


async def delete_message(world: World, call: Call) -> bool:
    """Delete a message from the chat."""
    chat_id = _chat_id(world, call.params)
    message_id = call.params.require_int("message_id", invalid="message to delete not found")
    world.check_faults(chat_id, sending=False)
    world.bot_deletes(chat_id, message_id)
    return True


async def answer_callback_query(world: World, call: Call) -> bool:
    """Record the bot's answer to a button press, including any pop-up text."""
    params = call.params
    query_id = params.get_str("callback_query_id")
    if not query_id:
        raise bad_request("callback_query_id is empty")
    text = params.get_str("text")
    if text is not None and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    answer = {
        "text": text or None,
        "show_alert": params.get_bool("show_alert"),
        "url": params.get_str("url"),
    }
    world.answer_callback(query_id, answer)
    return True


async def send_chat_action(world: World, call: Call) -> bool:
    """Show that the bot is typing or recording."""
    chat_id = _chat_id(world, call.params)
    action = call.params.get_str("action") or ""
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    world.check_faults(chat_id, sending=False)
    world.chat_action(chat_id, action)
    return True


async def get_file(world: World, call: Call) -> dict[str, Any]:
    """Return the File object with a download path."""
    file_id = call.params.get_str("file_id")
    stored = world.files.by_id(file_id) if file_id else None
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.file_size > MAX_DOWNLOAD_SIZE:
        raise bad_request("file is too big")
    return stored.as_file()


MESSAGING_METHODS: dict[str, Method] = {
    "sendMessage": send_message,
    "sendVoice": _media_sender("voice"),
    "sendAudio": _media_sender("audio"),
    "sendDocument": _media_sender("document"),
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "answerCallbackQuery": answer_callback_query,
    "sendChatAction": send_chat_action,
    "getFile": get_file,
}
