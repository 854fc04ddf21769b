"""Keeps personal data out of the logs, whatever a caller or a library hands to a logger.

Our own events carry ids and kinds only. This is the net under them: a structlog processor
(also applied to the standard library's records) that hides the values of fields named for
personal data (a name, a phone, a place, a message's text) and, in every other text, phone
numbers (found by `phonenumbers`, Kazakh and international forms), coordinates, the
parameters of failed SQL statements, the values in database error details, URL query strings
and Telegram bot tokens.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping
from typing import Any

from phonenumbers import Leniency, PhoneNumberMatcher

HIDDEN = "[hidden]"
PHONE = "[phone]"
PLACE = "[place]"

PERSONAL_KEYS = frozenset(
    {
        "name",
        "first_name",
        "last_name",
        "full_name",
        "username",
        "phone",
        "phone_number",
        "contact_phone",
        "msisdn",
        "source_addr",
        "destination_addr",
        "latitude",
        "longitude",
        "lat",
        "lon",
        "lng",
        "location",
        "address",
        "place",
        "text",
        "caption",
        "message",
        "note",
        "body",
        "transcript",
        "heard",
        "short_message",
        "params",
    }
)
"""Field names whose values are personal data, whatever the value looks like."""

PERSONAL_SUFFIXES = ("_name", "_phone", "_text", "_address", "_location", "_note")
KEPT_KEYS = frozenset({"event", "level", "logger", "logger_name", "timestamp"})
"""Never hidden by name (the event's text is still searched for phones and places)."""
OWN_KEYS = frozenset({"level", "logger", "logger_name", "timestamp"})
"""Written by the logging set-up itself: nothing personal, not searched."""

_REGION = "KZ"
_DIGITS_FOR_A_PHONE = 7
_COORDINATES = re.compile(r"-?\d{1,3}\.\d{3,}\s*[,; ]\s*-?\d{1,3}\.\d{3,}")
_NAMED_COORDINATE = re.compile(
    r"\b(lat(?:itude)?|lon(?:gitude)?|lng)(['\"]?\s*[=:]\s*)-?\d+(?:\.\d+)?", re.IGNORECASE
)
_SQL_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\s*(?:\n|\(Background|$))", re.DOTALL)
_KEY_DETAIL = re.compile(r"(Key \([^)]*\)=\()[^)]*(\))")
_URL_QUERY = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s?#'\"<>]*)\?[^\s#'\"<>]*", re.IGNORECASE)
_BOT_TOKEN = re.compile(r"\b(bot)?\d{5,}:[A-Za-z0-9_-]{30,}")


def personal_key(key: str) -> bool:
    """A field whose value is personal data by its name."""
    lowered = key.lower()
    if lowered in KEPT_KEYS:
        return False
    return lowered in PERSONAL_KEYS or lowered.endswith(PERSONAL_SUFFIXES)


def scrub_text(text: str) -> str:
    """The text with phone numbers, coordinates and SQL parameter values replaced."""
    if "://" in text:  # a query string may hold a phone or a message (an SMS gateway's URL)
        text = _URL_QUERY.sub(rf"\g<1>?{HIDDEN}", text)
    if ":" in text:
        text = _BOT_TOKEN.sub("[token]", text)
    if "[parameters: " in text:
        text = _SQL_PARAMETERS.sub(f"[parameters: {HIDDEN}]", text)
    if "Key (" in text:
        text = _KEY_DETAIL.sub(rf"\g<1>{HIDDEN}\g<2>", text)
    if "." in text:
        text = _COORDINATES.sub(PLACE, text)
        text = _NAMED_COORDINATE.sub(rf"\g<1>\g<2>{PLACE}", text)
    if sum(character.isdigit() for character in text) < _DIGITS_FOR_A_PHONE:
        return text
    found = [
        (match.start, match.end)
        # VALID: a number of a real numbering plan (Kazakh, or international with "+"), not
        # any run of digits a phone could have: durations, ids and timestamps stay readable.
        for match in PhoneNumberMatcher(text, _REGION, leniency=Leniency.VALID)
    ]
    for start, end in reversed(found):
        text = f"{text[:start]}{PHONE}{text[end:]}"
    return text


def scrub(value: Any) -> Any:
    """A value with personal data hidden: texts searched, containers walked."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, Mapping):
        return {
            key: HIDDEN if personal_key(str(key)) else scrub(item) for key, item in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [scrub(item) for item in value]
    if isinstance(value, BaseException):
        return scrub_text(f"{type(value).__name__}: {value}")
    return value


def hide_personal_data(
    _logger: object, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: personal fields hidden, every other value scrubbed."""
    for key, value in list(event_dict.items()):
        if key == "exc_info" or key.startswith("_") or key in OWN_KEYS:
            continue  # rendered (and then scrubbed) by format_exc_info, or structlog's own
        event_dict[key] = HIDDEN if personal_key(key) else scrub(value)
    return event_dict
