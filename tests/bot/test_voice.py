"""Voice end to end through the sandbox: a spoken question, a spoken answer with its text."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import av
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from content.articles import KnowledgeBase
from core.database import SessionFactory
from core.models import Person
from core.profile import Language
from sandbox.client import SandboxClient
from sandbox.sim_user import SimUser, button_texts, message_text
from voice.audio import decode, encode_voice_note, is_silence
from voice.errors import VoiceError
from voice.service import Voice

ERRORS_EN = {
    "I could not play this file. Please send a voice message or an audio file.",
    "The voice message is empty. Please record it again.",
    "I heard nothing. Please try again.",
    "This message is too long. Please keep it under two minutes.",
    "This file is too big. Please send one under 20 MB.",
}


def _tone(seconds: float) -> bytes:
    samples = (np.sin(np.arange(int(16000 * seconds)) / 8) * 8000).astype(np.int16)
    return encode_voice_note(samples, 16000)


async def onboarded(telegram: SandboxClient, language: str, mode: str) -> SimUser:
    user = await telegram.add_user("Ainur")
    parts = 2 if mode == "1" else 1  # in voice mode a whole reply is one spoken message
    for text, replies in (("/start", 1), (language, 1), (mode, parts)):
        await user.send_text(text)
        await user.wait_for_bot_messages(replies, timeout=90)
    await user.press(button_texts(user.bot_messages[-1])[-1])  # no disability kinds
    await user.wait_for_bot_messages(parts, timeout=90)
    await user.press(button_texts(user.bot_messages[-1])[-1])  # no region
    await user.wait_for_bot_messages(parts, timeout=90)
    return user


async def spoken(voice: Voice, text: str, language: Language = Language.EN) -> bytes:
    return (await voice.say(text, language)).ogg


def voice_message(messages: list[dict[str, Any]]) -> dict[str, Any]:
    return next(m for m in messages if m.get("voice"))


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("where can I get a wheelchair", "rehab_aids_info"),
        ("how can I find a job", "employment_info"),
    ],
)
async def test_a_spoken_question_gets_a_spoken_answer(
    telegram: SandboxClient, voice: Voice, knowledge: KnowledgeBase, question: str, article: str
) -> None:
    user = await onboarded(telegram, "3", "2")  # English, answers by voice
    await user.send_voice(await spoken(voice, question), duration=3)
    (note,) = await user.wait_for_bot_messages(1, timeout=60)
    heard, answer = message_text(note).split("\n\n")
    assert heard.startswith("You asked: ")
    expected = knowledge.by_id(article).short(Language.EN)
    assert answer == expected, "the voice note carries its text"
    pcm = decode(await user.download(note))
    assert not is_silence(pcm)
    said = f"{heard} {expected} Say or press 1 for More, 2 for Source."
    words = len(said.split())
    assert words / 6 < pcm.seconds < words, "a plausible length for the words spoken"


async def test_repeat_and_slower_by_voice_change_the_speech(
    telegram: SandboxClient, voice: Voice, sessions: SessionFactory
) -> None:
    user = await onboarded(telegram, "3", "2")
    await user.send_text("where can I get a wheelchair")
    first = voice_message(await user.wait_for_bot_messages(1, timeout=60))
    await user.send_text("slower")
    await user.wait_for_bot_messages(1, timeout=60)
    await user.send_text("repeat")
    again = await user.wait_for_bot_messages(1, timeout=60)
    async with sessions() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == user.user_id))
    assert person is not None and person.speech_rate == 90
    slow = decode(await user.download(voice_message(again)))
    normal = decode(await user.download(first))
    assert slow.seconds > normal.seconds


async def test_text_mode_gets_no_voice_but_hears_voice(
    telegram: SandboxClient, voice: Voice
) -> None:
    user = await onboarded(telegram, "3", "1")
    await user.send_voice(await spoken(voice, "where can I get a wheelchair"), duration=3)
    messages = await user.wait_for_bot_messages(2, timeout=60)
    assert not any(m.get("voice") for m in messages)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            _tone(2)[:300],
            "I could not play this file. Please send a voice message or an audio file.",
        ),
        (
            b"\x00garbage" * 50,
            "I could not play this file. Please send a voice message or an audio file.",
        ),
    ],
)
async def test_broken_voice_gets_a_clear_reply_and_the_bot_goes_on(
    telegram: SandboxClient, payload: bytes, message: str
) -> None:
    user = await onboarded(telegram, "3", "1")
    await user.send_voice(payload, duration=1)
    (reply,) = await user.wait_for_bot_messages(1, timeout=30)
    assert message_text(reply) == message
    await user.send_text("menu")
    assert await user.wait_for_bot_messages(2, timeout=60)


async def test_silence_and_a_language_without_a_model(
    telegram: SandboxClient, voice: Voice
) -> None:
    user = await onboarded(telegram, "3", "1")
    await user.send_voice(encode_voice_note(np.zeros(32000, dtype=np.int16), 16000), duration=2)
    (reply,) = await user.wait_for_bot_messages(1, timeout=30)
    assert message_text(reply) == "I heard nothing. Please try again."
    kazakh = await onboarded(telegram, "1", "1")
    await kazakh.send_voice(await spoken(voice, "әлеуметтік такси", Language.KK), duration=2)
    (reply,) = await kazakh.wait_for_bot_messages(1, timeout=30)
    assert "қазақша" in message_text(reply) and "орысша айтыңыз" in message_text(reply)


def _video_without_sound() -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width, stream.height = 64, 48
        for _ in range(5):
            image = np.zeros((48, 64, 3), dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


async def test_a_video_and_a_ten_minute_message_get_clear_replies(
    telegram: SandboxClient,
) -> None:
    user = await onboarded(telegram, "3", "1")
    await user.send_document(_video_without_sound(), "clip.mp4", "video/mp4")
    (reply,) = await user.wait_for_bot_messages(1, timeout=30)
    assert message_text(reply) == (
        "I could not play this file. Please send a voice message or an audio file."
    )
    await user.send_voice(_tone(600), duration=600)
    (reply,) = await user.wait_for_bot_messages(1, timeout=30)
    assert message_text(reply) == "This message is too long. Please keep it under two minutes."


REAL_NOTE = _tone(2)


@settings(max_examples=40, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=4096),
        st.integers(0, len(REAL_NOTE)).map(lambda cut: REAL_NOTE[:cut]),
        st.binary(min_size=1, max_size=64).map(
            lambda junk: REAL_NOTE[:200] + junk + REAL_NOTE[264:]
        ),
    )
)
def test_hostile_audio_is_heard_or_refused_never_crashes(voice: Voice, audio: bytes) -> None:
    async def listen() -> str:
        try:
            return (await voice.hear(audio, Language.EN)).text
        except VoiceError as error:
            return error.key

    outcome = asyncio.run(asyncio.wait_for(listen(), 30))
    assert outcome


async def test_a_spoken_yes_confirms_forget_me(
    telegram: SandboxClient, voice: Voice, sessions: SessionFactory
) -> None:
    user = await onboarded(telegram, "3", "2")
    await user.send_text("forget me")
    await user.wait_for_bot_messages(1, timeout=30)
    await user.send_voice(await spoken(voice, "yes"), duration=1)
    messages = await user.wait_for_bot_messages(2, timeout=60)  # forgotten: text only
    assert message_text(messages[0]) == "You asked: yes"
    async with sessions() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == user.user_id))
    assert person is None


async def test_a_repeated_answer_reuses_the_uploaded_voice_note(telegram: SandboxClient) -> None:
    user = await onboarded(telegram, "3", "2")
    await user.send_text("where can I get a wheelchair")
    first = voice_message(await user.wait_for_bot_messages(1, timeout=60))
    await user.send_text("where can I get a wheelchair")
    second = voice_message(await user.wait_for_bot_messages(1, timeout=60))
    assert second["voice"]["file_id"] == first["voice"]["file_id"]
