"""Kazakh words in a Russian answer spoken by Festival's Russian voice: the voice note says them
in Russian letters (voice/synthesis/kazakh_letters.py), the text beside it keeps its Kazakh
letters. A blind Russian speaker in voice mode books a social taxi to a Kazakh address."""

from __future__ import annotations

from bot.dialogue.engine import Dialogue
from core.profile import Language
from sandbox.client import SandboxClient
from sandbox.sim_user import message_text
from tests.bot.booking_talk import monday_clock  # noqa: F401 (the clock fixture)
from tests.conftest import need
from tests.conversation.talk import say
from tests.conversation.test_everything_speaks import _heard_in_full
from voice.service import Voice
from voice.synthesis.choice import active_voices
from voice.synthesis.festival import festival_text
from voice.synthesis.kazakh_letters import KAZAKH_ONLY

ADDRESS = "Поликлиника, Абай көшесі 10"


async def test_a_kazakh_address_is_spoken_whole_and_shown_as_typed(
    telegram: SandboxClient, dialogue: Dialogue, voice: Voice
) -> None:
    need(active_voices()[Language.RU] == "festival", "Russian is not spoken by Festival here")
    user = await telegram.add_user("Gulnar")
    for text in ("/start", "2", "2", "1, 6", "Шымкент"):  # Russian, voice, blind and mobility
        await say(user, text)
    await say(user, "закажите социальное такси на завтра в 10")
    await say(user, ADDRESS)
    (where,) = await say(user, "6")  # a clinic; read back in Russian, the address as typed
    assert message_text(where).startswith("Шаг 4 из 4. Проверьте"), message_text(where)
    assert "Абай көшесі 10" in message_text(where), "the text keeps its Kazakh letters"
    spoken = await _heard_in_full(user, voice, where, Language.RU, dialogue)
    assert "көшесі" in spoken
    assert "кёшеси" in festival_text(spoken)
    assert not set(festival_text(spoken)) & KAZAKH_ONLY
