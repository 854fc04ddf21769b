"""Finding 2: in voice mode every message is spoken, its choices read out, the text beside it.

Every catalog key is spoken in tests/conversation/test_catalog_speaks_*.py (a file per
language); the tests here go end to end through the sandbox and compare the voice note the
person received with the voice of the words expected.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.dialogue.engine import Dialogue
from bot.dialogue.turns import Button, Reply
from core.profile import Language
from sandbox.client import SandboxClient
from sandbox.sim_user import SimUser, button_texts, message_text
from tests.conversation.talk import say
from voice.audio import decode
from voice.service import Voice


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (Language.EN, "Which one? Say or press 1 for More, 2 for Source."),
        (Language.RU, "Which one? Скажите или нажмите: 1 — Подробнее, 2 — Источник."),
        (Language.KK, "Which one? Айтыңыз немесе басыңыз: 1 — Толығырақ, 2 — Дереккөз."),
    ],
)
async def test_choices_are_read_out_after_the_words(
    dialogue: Dialogue, language: Language, expected: str
) -> None:
    catalogs = dialogue.services.catalogs
    buttons = (
        Button(f"1. {catalogs.text(language, 'answer.more')}", "cmd:more"),
        Button(f"2. {catalogs.text(language, 'answer.source')}", "cmd:source"),
    )
    spoken = await dialogue.speak(Reply(language=language, parts=("Which one?",), buttons=buttons))
    assert spoken.spoken == expected
    assert spoken.voice is not None


MENU_READ_OUT = {
    Language.EN: "Say or press 1 for Book a service, 2 for My bookings, 3 for Language, "
    "4 for Answer mode, 5 for Repeat, 6 for Talk to a person, 7 for My data, 8 for Forget me, "
    "9 for Voice message language, 10 for Change my region.",
}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
async def test_a_blind_person_hears_the_kinds_list_the_menu_and_the_choice_of_topics(
    telegram: SandboxClient, dialogue: Dialogue, voice: Voice, language: str
) -> None:
    spoken_in = Language(language)
    catalogs = dialogue.services.catalogs
    user = await telegram.add_user("Gulnar", language_code=language)
    await say(user, "/start")
    await say(user, {"kk": "1", "ru": "2", "en": "3"}[language])
    (kinds,) = await say(user, "2")  # answers by voice
    await _heard_in_full(user, voice, kinds, spoken_in, dialogue)
    menu = await say(user, "1", 1)  # blind: the kinds list has it first
    assert len(menu) == 1 and menu[0].get("voice")
    await _heard_in_full(user, voice, menu[0], spoken_in, dialogue)
    shown = await say(user, "/menu")
    note = shown[0]
    assert note.get("voice"), "the menu is spoken"
    expected = await _heard_in_full(user, voice, note, spoken_in, dialogue)
    if spoken_in in MENU_READ_OUT:
        assert expected.endswith(MENU_READ_OUT[spoken_in])
    assert catalogs.text(spoken_in, "menu.choose") in message_text(note)


async def _heard_in_full(
    user: SimUser, voice: Voice, message: dict[str, Any], language: Language, dialogue: Dialogue
) -> str:
    """The voice note the person got is the voice of its caption followed by its choices."""
    assert message.get("voice"), f"no voice for: {message_text(message)}"
    buttons = tuple(Button(label, "") for label in button_texts(message))
    reply = Reply(
        language=language, parts=tuple(message_text(message).split("\n\n")), buttons=buttons
    )
    expected = (await dialogue.speak(reply)).spoken
    assert expected is not None
    if buttons:
        assert expected.endswith(buttons[-1].label.split(". ", 1)[1] + ".")
    received = await user.download(message)
    said = (await voice.say(expected, language)).ogg
    if received != said:  # synthesised again: an Ogg file has a random stream serial, and a
        # voice may vary a little from one synthesis to the next; the length is the words'
        heard, wanted = decode(received), decode(said)
        assert heard.sample_rate == wanted.sample_rate
        assert abs(len(heard.samples) - len(wanted.samples)) <= 0.02 * len(wanted.samples)
    return expected
