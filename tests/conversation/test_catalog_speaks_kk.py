"""Every catalog message in Kazakh has audio of its own words (see catalog_speech.py)."""

from __future__ import annotations

from bot.dialogue.engine import Dialogue
from core.profile import Language
from tests.conversation.catalog_speech import silent_messages


async def test_every_catalog_message_has_audio_of_its_own_words(dialogue: Dialogue) -> None:
    silent = await silent_messages(dialogue, Language.KK)
    assert silent == [], f"no audio of the message's own words for {silent}"
