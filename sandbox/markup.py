"""Reply markup: validate and normalise inline keyboards, reply keyboards and their removal."""

from __future__ import annotations

from typing import Any

from sandbox.errors import BotApiError, bad_request

_INLINE_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def _markup_error() -> BotApiError:
    return bad_request("can't parse reply keyboard markup JSON object")


def _rows(raw: Any) -> list[list[Any]]:
    if not isinstance(raw, list) or not all(isinstance(row, list) for row in raw):
        raise _markup_error()
    return raw


def _inline_button(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text must be a String")
    if not raw["text"]:
        raise bad_request("text must be non-empty")
    actions = [name for name in _INLINE_ACTIONS if name in raw]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    data = raw.get("callback_data")
    if data is not None and (not isinstance(data, str) or not 1 <= len(data.encode()) <= 64):
        raise bad_request("BUTTON_DATA_INVALID")
    return dict(raw)


def _reply_button(raw: Any) -> dict[str, Any]:
    if isinstance(raw, str):
        raw = {"text": raw}
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str) or not raw["text"]:
        raise bad_request("can't parse keyboard button: Text must be non-empty")
    return dict(raw)


def normalize_markup(raw: Any) -> dict[str, Any] | None:
    """Validate a reply_markup object and return it in canonical form (None if absent)."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _markup_error()
    if "inline_keyboard" in raw:
        rows = [[_inline_button(b) for b in row] for row in _rows(raw["inline_keyboard"])]
        return {"inline_keyboard": rows}
    if "keyboard" in raw:
        keyboard = {key: value for key, value in raw.items() if key != "keyboard"}
        keyboard["keyboard"] = [[_reply_button(b) for b in row] for row in _rows(raw["keyboard"])]
        return keyboard
    if raw.get("remove_keyboard") is True:
        return dict(raw)
    if raw.get("force_reply") is True:
        return dict(raw)
    raise _markup_error()


def inline_part(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """Return the markup if it is an inline keyboard (the only kind a Message carries)."""
    if markup is not None and "inline_keyboard" in markup:
        return markup
    return None


def has_callback(markup: dict[str, Any] | None, data: str) -> bool:
    """Return whether an inline keyboard has a button with this callback_data."""
    keyboard = inline_part(markup)
    if keyboard is None:
        return False
    return any(
        button.get("callback_data") == data for row in keyboard["inline_keyboard"] for button in row
    )
