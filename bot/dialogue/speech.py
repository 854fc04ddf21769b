"""What a person who gets answers by voice hears: every part of a reply, then its choices.

The spoken form is built from the same catalog strings as the text, so the two never drift:
the parts as written, then the buttons read out as "Say or press 1 for …, 2 for …" (numbers
become words when the voice speaks them). The text always goes beside the voice note.
"""

from __future__ import annotations

import re

from bot.dialogue.turns import Button, Reply
from core.i18n import Catalogs
from core.profile import Language

_NUMBERED = re.compile(r"^\s*\d+\s*[.)]\s*")


def choices(catalogs: Catalogs, language: Language, buttons: tuple[Button, ...]) -> str:
    """The buttons read out: "Say or press 1 for More, 2 for Source." ("" without buttons)."""
    if not buttons:
        return ""
    options = [
        catalogs.text(language, "voice.option", number=number, label=_label(button))
        for number, button in enumerate(buttons, start=1)
    ]
    return catalogs.text(language, "voice.options", options=", ".join(options))


def spoken_text(catalogs: Catalogs, reply: Reply) -> str:
    """Everything the reply says, then its choices, as one text for the voice note."""
    said = " ".join(part.strip() for part in reply.parts if part.strip())
    read_out = choices(catalogs, reply.language, reply.buttons)
    return f"{said} {read_out}".strip()


def _label(button: Button) -> str:
    """A button's words without the number it shows ("2. Source" → "Source")."""
    return _NUMBERED.sub("", button.label).strip() or button.label
