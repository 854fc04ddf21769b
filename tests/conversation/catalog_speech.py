"""Every catalog message of a language through the dialogue's speech: is there audio of
exactly its words? Each language has its own test file (test_catalog_speaks_*.py), so the
three, minutes of synthesis each, run on different pytest-xdist workers.

The messages are spoken at the fastest rate a person can choose ("faster", up to MAX_RATE):
the same text, normalisation, engine and voice note as at the normal rate, with about a third
less audio to synthesise and encode (BENCHMARKS.md, "The test suite's time"). Speech at the
normal rate is tested in tests/voice and tests/bot."""

from __future__ import annotations

from string import Formatter

from bot.dialogue.engine import Dialogue
from bot.dialogue.turns import Reply
from core.profile import Language
from voice.synthesis.base import MAX_RATE

SAMPLE = "7"  # every {placeholder} filled with something speakable


def _filled(template: str) -> dict[str, str]:
    return {name: SAMPLE for _, name, _, _ in Formatter().parse(template) if name}


async def silent_messages(dialogue: Dialogue, language: Language) -> list[str]:
    """The catalog keys of `language` without audio of their own words."""
    catalogs = dialogue.services.catalogs
    silent: list[str] = []
    for key in sorted(catalogs.keys(language)):
        template = catalogs.texts[language][key]
        text = catalogs.text(language, key, **_filled(template))
        spoken = await dialogue.speak(Reply(language=language, parts=(text,)), rate=MAX_RATE)
        if spoken.voice is None or not spoken.voice.ogg or spoken.spoken != text.strip():
            silent.append(key)
    return silent
