"""Real recordings as Telegram voice notes through the bot and the sandbox, and what a person
hears when the bot could not understand: Whisper for ru and en, Festival and Piper voices."""

from __future__ import annotations

import numpy as np

from bot.dialogue import speech
from bot.dialogue.turns import Button, Reply
from core.database import SessionFactory
from core.i18n import Catalogs
from core.profile import Language
from sandbox.client import SandboxClient
from sandbox.sim_user import SimUser, button_texts, message_text
from tests.bot.test_telegram import stored
from tests.bot.test_voice import onboarded, voice_message
from tests.conftest import need
from tests.testdata import shared_data
from voice.audio import decode, encode_voice_note
from voice.evaluation import shared_clips, word_error_rate
from voice.recognition.whisper_engine import WhisperModelLoader, WhisperRecognizer
from voice.synthesis.festival import festival_available


def recording(name: str) -> tuple[bytes, str]:
    """A shared real recording as an OGG/Opus voice note, with its transcript."""
    clips = shared_clips(shared_data("speech"), frozenset(Language))
    [clip] = [c for c in clips if c.path.name == name]
    pcm = decode(clip.path.read_bytes())
    return encode_voice_note(pcm.samples, pcm.sample_rate), clip.transcript


def actions(user: SimUser) -> list[str]:
    return [str(event["action"]) for event in user.events if event["kind"] == "chat_action"]


async def round_trip(
    user: SimUser, note: bytes, language: Language, whisper: WhisperModelLoader, replies: int = 1
) -> tuple[str, str, float]:
    """Send the note; what the bot heard, the answer's text, and Whisper's WER on its audio.

    In voice mode a whole reply is one voice note: its caption is every part, and the voice
    says the parts and then reads out the buttons."""
    await user.send_voice(note, duration=4)
    messages = await user.wait_for_bot_messages(replies, timeout=120)
    answer = voice_message(messages)
    parts = tuple(message_text(answer).split("\n\n"))
    buttons = tuple(Button(label, "") for label in button_texts(answer))
    said = speech.spoken_text(
        Catalogs.load(), Reply(language=language, parts=parts, buttons=buttons)
    )
    pcm = decode(await user.download(answer))
    heard_back = WhisperRecognizer(whisper, language).recognize(pcm.samples, pcm.sample_rate)
    error = word_error_rate([said], [heard_back.text], language)
    return parts[0], parts[1] if len(parts) > 1 else parts[0], error


def not_its_topic(language: Language, answer: str) -> bool:
    """Whether `answer` is an honest one to words that are none of the assistant's topics:
    "I can't help with that", a choice of the nearest topics, or "I heard …, I did not
    understand it"."""
    catalogs = Catalogs.load()
    if answer in {catalogs.text(language, k) for k in ("out_of_scope.reply", "clarify.ask")}:
        return True
    before, _, after = catalogs.text(language, "voice.heard_unclear", text="\0").partition("\0")
    return answer.startswith(before) and answer.endswith(after)


async def test_a_russian_recording_gets_a_russian_voice_answer(
    telegram: SandboxClient, whisper_loader: WhisperModelLoader
) -> None:
    need(festival_available(), "festival and festvox-ru are not installed")
    note, _ = recording("14-golos-ru.wav")  # "шестьдесят тысяч тенге сколько будет стоить"
    user = await onboarded(telegram, "2", "2")  # Russian, answers by voice
    heard, answer, error = await round_trip(user, note, Language.RU, whisper_loader)
    assert heard.startswith("Вы спросили: ") and "сколько будет" in heard
    assert not_its_topic(Language.RU, answer)  # a price question is not its topic
    assert error <= 0.25, answer
    assert "record_voice" in actions(user), "Telegram showed that an answer was being recorded"


async def test_an_english_recording_gets_an_english_voice_answer(
    telegram: SandboxClient, whisper_loader: WhisperModelLoader
) -> None:
    note, _ = recording("13-pocketsphinx-forever-en.wav")  # "feels like these days go on forever"
    user = await onboarded(telegram, "3", "2")
    heard, answer, error = await round_trip(user, note, Language.EN, whisper_loader)
    # Not a question it knows (and not a goodbye): it says so, in voice and text.
    assert "Feels like these days go on forever" in heard
    assert not_its_topic(Language.EN, answer), answer
    assert error <= 0.25, answer
    if answer == heard:  # "I heard: …": the ways on are to say it again or type it
        assert button_texts(user.bot_messages[-1]) == ["1. Say it again", "2. Type it"]
        await user.press("1. Say it again")
        again = await user.wait_for_bot_messages(1, timeout=60)
        assert message_text(again[0]).startswith("Please say it again")


async def test_kazakh_speech_is_refused_honestly_until_russian_is_chosen(
    telegram: SandboxClient,
) -> None:
    kazakh_note, _ = recording("15-is2ai-ksc-example1-kk.wav")
    user = await onboarded(telegram, "1", "1")  # Kazakh, answers in text
    await user.send_voice(kazakh_note, duration=5)
    (reply,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(reply) == (
        "Мен әзірге қазақша сөйлеуді түсінбеймін. Жазып жіберіңіз немесе орысша айтыңыз."
    )
    assert button_texts(reply) == ["1. Жазып жіберу", "2. Мені орысша тыңда"]
    assert actions(user)[-1] == "typing"
    await user.press("2. Мені орысша тыңда")
    (chosen,) = await user.wait_for_bot_messages(1, timeout=30)
    assert message_text(chosen).startswith("Жақсы.")
    assert message_text(chosen).endswith("9 нөмірін таңдаңыз."), "where to change it back"
    russian_note, _ = recording("14-golos-ru.wav")
    await user.send_voice(russian_note, duration=4)
    messages = await user.wait_for_bot_messages(2, timeout=120)
    assert "сколько будет" in message_text(messages[0])


async def test_nothing_heard_offers_to_say_it_again_or_type_it(telegram: SandboxClient) -> None:
    user = await onboarded(telegram, "3", "1")
    silence = encode_voice_note(np.zeros(32000, dtype=np.int16), 16000)
    await user.send_voice(silence, duration=2)
    (reply,) = await user.wait_for_bot_messages(1, timeout=30)
    assert message_text(reply) == "I heard nothing. Please try again."
    assert button_texts(reply) == ["1. Say it again", "2. Type it"]
    await user.send_text("2")
    typed = await user.wait_for_bot_messages(1, timeout=30)
    assert message_text(typed[0]).startswith("Please type your message.")


async def test_the_speech_language_is_a_setting_in_the_menu(
    telegram: SandboxClient, sessions: SessionFactory
) -> None:
    """A Kazakh reader chooses in the menu to speak Russian; it is kept, shown and changed back."""
    user = await onboarded(telegram, "1", "1")  # Kazakh, answers in text
    await user.send_text("мәзір")
    *_, menu = await user.wait_for_bot_messages(2, timeout=60)  # what it does, then the menu
    assert button_texts(menu)[-2:] == ["9. Дауыстық хабар тілі", "10. Аймақты өзгерту"]
    await user.send_text("9")
    (asked,) = await user.wait_for_bot_messages(1, timeout=30)
    assert message_text(asked) == "Дауыстық хабарларыңыз қай тілде? Қазір: қазақ тілі."
    assert button_texts(asked) == ["1. Қазақша", "2. Русский", "3. English"]
    await user.press("2. Русский")
    (chosen,) = await user.wait_for_bot_messages(1, timeout=30)
    assert message_text(chosen) == "Жақсы. Дауыстық хабарларыңыздың тілі: орыс тілі."
    kept = await stored(sessions, user)
    assert kept is not None and (kept.language, kept.speech_language) == ("kk", "ru")
    await user.send_text("менің деректерім")
    shown = await user.wait_for_bot_messages(3, timeout=30)
    assert "Дауыстық хабар тілі: орыс тілі" in "\n".join(message_text(m) for m in shown)
    russian_note, _ = recording("14-golos-ru.wav")
    await user.send_voice(russian_note, duration=4)
    # What was heard, then what the words meant to it: in Russian, the language spoken.
    (answered,) = await user.wait_for_bot_messages(1, timeout=120)
    assert "сколько будет" in message_text(answered), "heard in Russian"
    await user.send_text("дауыс тілі")  # the setting's name typed works like the menu item
    again = await user.wait_for_bot_messages(1, timeout=60)
    while not message_text(again[-1]).startswith("Дауыстық хабарларыңыз қай тілде?"):
        again += await user.wait_for_bot_messages(1, timeout=60)  # the voice's answer first
    assert message_text(again[-1]).endswith("Қазір: орыс тілі.")
    await user.send_text("1")
    await user.wait_for_bot_messages(1, timeout=30)
    back = await stored(sessions, user)
    assert back is not None and back.speech_language is None  # follows the profile again
    kazakh_note, _ = recording("15-is2ai-ksc-example1-kk.wav")
    await user.send_voice(kazakh_note, duration=5)
    (refused,) = await user.wait_for_bot_messages(1, timeout=60)
    assert message_text(refused).startswith("Мен әзірге қазақша сөйлеуді түсінбеймін.")
