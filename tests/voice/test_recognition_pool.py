"""The recogniser pool the bot uses: engine choice, missing models, work off the event loop."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.profile import Language
from tests.voice.speech_audio import audio_of, hangul, silence, speak
from voice.recognition import ModelMissing, RecognitionConfig, RecognizerPool, Transcript
from voice.recognition.whisper_engine import WhisperModelLoader, WhisperOptions


@pytest.fixture(scope="module")
def pool_models(tmp_path_factory: pytest.TempPathFactory, korean_model: Path) -> Path:
    """A models folder with a 'kk' model (the Korean one) and no 'ru' model."""
    folder = tmp_path_factory.mktemp("speech-models")
    (folder / "kk").symlink_to(korean_model)
    return folder


@pytest.fixture(scope="module")
def pool(pool_models: Path) -> Iterator[RecognizerPool]:
    engines = {Language.EN: "pocketsphinx", Language.KK: "vosk", Language.RU: "vosk"}
    recognizers = RecognizerPool(RecognitionConfig(models_dir=pool_models, engines=engines))
    yield recognizers
    recognizers.close()


async def test_pool_picks_engines_and_reports_missing_models(
    pool: RecognizerPool, pool_models: Path, recordings: list[dict[str, str]]
) -> None:
    english_text = await pool.transcribe(audio_of(recordings, "03-"), Language.EN)
    assert (english_text.engine, english_text.text) == ("pocketsphinx", "ten of clubs")
    korean_text = await pool.transcribe(speak("ko", "네"), Language.KK, ["네", "아니요"])
    assert (korean_text.engine, korean_text.text) == ("vosk", "네")
    with pytest.raises(ModelMissing) as caught:
        await pool.transcribe(silence(0.5), Language.RU)
    assert caught.value.path == pool_models / "ru"
    first, second = await asyncio.gather(pool.load(Language.EN), pool.load(Language.EN))
    assert first is second is pool.recognizer(Language.EN)


async def test_pool_engine_choice_is_configurable(tmp_path: Path) -> None:
    pool = RecognizerPool(RecognitionConfig(tmp_path, engines={Language.EN: "vosk"}))
    try:
        assert pool.engine_for(Language.EN) == "vosk"
        assert pool.engine_for(Language.KK) == "vosk"
        assert pool.engine_for(Language.RU) == "whisper"
        with pytest.raises(ModelMissing, match="'kk'"):
            await pool.transcribe(silence(0.5), Language.KK)
    finally:
        pool.close()
    with pytest.raises(ValueError, match="unknown speech engines"):
        RecognizerPool(RecognitionConfig(tmp_path, engines={Language.EN: "google"}))


async def test_english_falls_back_to_pocketsphinx_without_whisper(
    tmp_path: Path, recordings: list[dict[str, str]]
) -> None:
    options = WhisperOptions()
    absent = WhisperModelLoader(tmp_path / "whisper", options, packages=("komek_absent_part",))
    pool = RecognizerPool(RecognitionConfig(tmp_path / "vosk"), whisper=absent)
    try:
        english_text = await pool.transcribe(audio_of(recordings, "03-"), Language.EN)
        assert (english_text.engine, english_text.text) == ("pocketsphinx", "ten of clubs")
        assert pool.engine_for(Language.EN) == "pocketsphinx"
        with pytest.raises(ModelMissing, match="not installed"):
            await pool.transcribe(silence(0.5), Language.RU)
    finally:
        pool.close()


@pytest.mark.realtime
async def test_pool_transcribes_concurrently_without_blocking_the_loop(
    pool: RecognizerPool, recordings: list[dict[str, str]]
) -> None:
    english_clip = audio_of(recordings, "13-")
    korean_clip = speak("ko", "안녕하세요. 오늘 날씨가 좋습니다.")
    await asyncio.gather(pool.load(Language.EN), pool.load(Language.KK))
    gaps: list[float] = []
    running = True

    async def ticker() -> None:
        while running:
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            gaps.append(time.perf_counter() - started)

    ticks = asyncio.create_task(ticker())
    started = time.perf_counter()
    results: tuple[Transcript, Transcript] = await asyncio.gather(
        pool.transcribe(english_clip, Language.EN),
        pool.transcribe(korean_clip, Language.KK),
    )
    elapsed = time.perf_counter() - started
    running = False
    await ticks

    english_result, korean_result = results
    assert english_result.text and hangul(korean_result.text)
    assert elapsed < english_result.decode_seconds + korean_result.decode_seconds, "ran in turn"
    # The loop kept ticking while both decoded (several seconds): measured on a busy 2-core
    # machine, 221 ticks in 5.6 s, the longest gap 0.32 s (PocketSphinx holds the GIL while
    # it decodes one 0.1 s block). Run on the loop, there would be no tick at all.
    assert len(gaps) >= 0.2 * elapsed / 0.01, (len(gaps), elapsed)
    assert max(gaps) < 1.0, max(gaps)
