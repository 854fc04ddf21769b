"""Voice, audio and documents go both ways; the bot downloads files with getFile."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile

from sandbox import SandboxClient
from tests.sandbox.media import ogg_opus, wav_silence


async def test_send_voice_multipart_and_download_it_back(bot: Bot, client: SandboxClient) -> None:
    user = await client.add_user("Bolat", "ru")
    audio = ogg_opus(3)
    sent = await bot.send_voice(
        user.chat_id,
        BufferedInputFile(audio, filename="answer.ogg"),
        caption="Ваша запись подтверждена.",
    )
    assert sent.voice is not None
    assert sent.voice.duration == 3
    assert sent.voice.mime_type == "audio/ogg"
    assert sent.voice.file_size == len(audio)
    assert sent.caption == "Ваша запись подтверждена."

    downloaded = await bot.download(sent.voice.file_id)
    assert downloaded is not None
    assert downloaded.read() == audio

    message = await user.wait_for_bot_message()
    assert message["voice"]["file_id"] == sent.voice.file_id
    assert message["caption"] == "Ваша запись подтверждена."
    assert await user.download(message) == audio


async def test_file_id_can_be_sent_again(bot: Bot, client: SandboxClient) -> None:
    user = await client.add_user("Asel")
    first = await bot.send_voice(user.chat_id, BufferedInputFile(ogg_opus(1), "v.ogg"))
    assert first.voice is not None
    again = await bot.send_voice(user.chat_id, first.voice.file_id, caption="Again")
    assert again.voice is not None
    assert again.voice.file_id == first.voice.file_id
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_voice(user.chat_id, "no-such-file")


async def test_caption_limit_and_audio_and_document(bot: Bot, client: SandboxClient) -> None:
    user = await client.add_user("Marat")
    with pytest.raises(TelegramBadRequest, match="caption is too long"):
        await bot.send_voice(
            user.chat_id, BufferedInputFile(ogg_opus(1), "v.ogg"), caption="x" * 1025
        )
    wav = wav_silence(2.0)
    audio = await bot.send_audio(
        user.chat_id, BufferedInputFile(wav, "news.wav"), title="News", caption="Today's news"
    )
    assert audio.audio is not None
    assert (audio.audio.duration, audio.audio.mime_type, audio.audio.title) == (
        2,
        "audio/wav",
        "News",
    )
    document = await bot.send_document(user.chat_id, BufferedInputFile(b"%PDF-1.4", "rules.pdf"))
    assert document.document is not None
    assert (document.document.file_name, document.document.mime_type) == (
        "rules.pdf",
        "application/pdf",
    )


async def test_user_voice_reaches_the_bot_and_downloads(bot: Bot, client: SandboxClient) -> None:
    user = await client.add_user("Zhanna", "kk")
    audio = ogg_opus(4)
    sent = await user.send_voice(audio, "audio/ogg")
    assert sent["voice"]["duration"] == 4

    updates = await bot.get_updates(timeout=1)
    voice = updates[-1].message.voice if updates[-1].message else None
    assert voice is not None
    assert (voice.duration, voice.mime_type, voice.file_size) == (4, "audio/ogg", len(audio))
    file = await bot.get_file(voice.file_id)
    assert file.file_path is not None
    assert file.file_path.startswith("voice/")
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None
    assert downloaded.read() == audio


async def test_user_audio_document_and_recorded_webm(bot: Bot, client: SandboxClient) -> None:
    user = await client.add_user("Timur")
    await user.send_audio(wav_silence(1.0), "audio/wav", title="Question")
    await user.send_document(b"hello", "note.txt", "text/plain", caption="My note")
    webm = b"\x1a\x45\xdf\xa3" + bytes(40)
    await user.send_voice(webm, "audio/webm;codecs=opus", duration=2)
    updates = await bot.get_updates()
    messages = [update.message for update in updates if update.message]
    assert messages[0].audio is not None
    assert messages[0].audio.duration == 1
    assert messages[1].document is not None
    assert messages[1].caption == "My note"
    assert messages[2].voice is not None
    assert (messages[2].voice.mime_type, messages[2].voice.duration) == (
        "audio/webm;codecs=opus",
        2,
    )
    assert await client.file_bytes(messages[2].voice.file_id) == webm
