"""The bot's command menus, per scope and language, as setMyCommands stores them."""

from __future__ import annotations

import json
from typing import Any

DEFAULT_SCOPE = '{"type": "default"}'
PRIVATE_SCOPE = '{"type": "all_private_chats"}'


def _key(scope: Any, language_code: str | None) -> tuple[str, str]:
    return (json.dumps(scope, sort_keys=True) if scope else DEFAULT_SCOPE), language_code or ""


class CommandMenus:
    """Command lists keyed by scope and language code."""

    def __init__(self) -> None:
        self._menus: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def set(self, commands: list[dict[str, Any]], scope: Any, language: str | None) -> None:
        """Store the command list for a scope and language."""
        self._menus[_key(scope, language)] = commands

    def get(self, scope: Any, language: str | None) -> list[dict[str, Any]]:
        """Return the command list for a scope and language."""
        return self._menus.get(_key(scope, language), [])

    def delete(self, scope: Any, language: str | None) -> None:
        """Remove the command list for a scope and language."""
        self._menus.pop(_key(scope, language), None)

    def for_private_chat(self, language_code: str) -> list[dict[str, Any]]:
        """Return the commands a user with this language sees in their chat with the bot."""
        for language in (language_code, ""):
            for scope in (PRIVATE_SCOPE, DEFAULT_SCOPE):
                if (scope, language) in self._menus:
                    return self._menus[(scope, language)]
        return []
