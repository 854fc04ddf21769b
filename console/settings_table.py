"""The running settings as admins see them: every value, except that secrets never show.

A secret field says only whether it is set. A URL keeps its host and path but loses any
password in it, and any query value whose name suggests a secret (a gateway's `password=`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import SecretStr
from pydantic_settings import BaseSettings

HIDDEN = "********"
_SECRET_WORDS = ("pass", "pwd", "secret", "token", "key", "auth", "sig")
"""A URL query value whose name holds one of these is hidden."""
_SECRET_FIELDS = ("password", "secret", "token", "api_key", "private_key")
"""A setting whose name holds one of these is a secret even if it is not typed as one."""


@dataclass(frozen=True, slots=True)
class SettingRow:
    """One setting on the admin's settings page (a secret is never shown)."""

    name: str
    """The environment variable that sets it."""
    value: str
    description: str
    secret: bool


def _secret_name(name: str) -> bool:
    return any(word in name.lower() for word in _SECRET_WORDS)


def masked_url(text: str) -> str:
    """The URL without a password in it or secret-looking query values."""
    try:
        parts = urlsplit(text)
    except ValueError:
        return HIDDEN
    if not parts.scheme or not parts.netloc:
        return text
    netloc = parts.netloc
    if "@" in netloc:
        credentials, _, host = netloc.rpartition("@")
        user, has_password, _ = credentials.partition(":")
        netloc = f"{user}:{HIDDEN}@{host}" if has_password else f"{user}@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode(
            [(name, HIDDEN if _secret_name(name) else value) for name, value in pairs], safe="*"
        )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Path):
        return value.as_posix()
    text = str(value)
    return masked_url(text) if "://" in text else text


def _is_secret(name: str, annotation: object, value: object) -> bool:
    return (
        isinstance(value, SecretStr)
        or "SecretStr" in str(annotation)
        or any(word in name for word in _SECRET_FIELDS)
        or name.endswith("_key")
    )


def settings_rows(settings: BaseSettings) -> list[SettingRow]:
    """One row per setting, in the order they are declared."""
    prefix = str(settings.model_config.get("env_prefix", ""))
    rows: list[SettingRow] = []
    for name, field in type(settings).model_fields.items():
        value = getattr(settings, name)
        secret = _is_secret(name, field.annotation, value)
        if secret:
            shown = "set" if value is not None and _secret_text(value) else "not set"
        else:
            shown = _shown(value)
        rows.append(
            SettingRow(
                name=(prefix + name).upper(),
                value=shown,
                description=field.description or "",
                secret=secret,
            )
        )
    return rows


def _secret_text(value: object) -> str:
    return value.get_secret_value() if isinstance(value, SecretStr) else str(value)
