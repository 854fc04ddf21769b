"""Vosk on the Korean model that a package ships, and a missing or broken model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.profile import Language
from tests.voice.speech_audio import hangul, silence, speak
from voice.recognition import ModelMissing
from voice.recognition.vosk_engine import VoskRecognizer


def test_vosk_streams_korean_speech(korean: VoskRecognizer) -> None:
    transcript = korean.recognize(speak("ko", "안녕하세요. 좋습니다."))
    assert hangul(transcript.text), transcript.text
    assert transcript.engine == "vosk"
    assert transcript.language is Language.KK
    assert transcript.audio_seconds > 1.0


def test_vosk_phrases_and_segments(korean: VoskRecognizer) -> None:
    phrases = ["안녕하세요", "네", "아니요"]
    assert korean.recognize(speak("ko", "안녕하세요"), phrases=phrases).text == "안녕하세요"
    assert korean.recognize(speak("ko", "네"), phrases=phrases).text == "네"
    # Two utterances with a pause: Vosk ends the first segment at the pause; both are kept.
    two = np.concatenate([speak("ko", "아니요"), silence(2.0), speak("ko", "안녕하세요")])
    assert korean.recognize(two, phrases=phrases).text == "아니요 안녕하세요"
    # Phrases the model does not know are dropped; with none left, its language model decodes.
    assert hangul(korean.recognize(speak("ko", "안녕하세요"), phrases=["hello"]).text)


# A missing or broken model ---------------------------------------------------------------------


def assert_missing(path: Path, reason: str, capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ModelMissing) as caught:
        VoskRecognizer(path, Language.KK)
    assert caught.value.language is Language.KK
    assert caught.value.path == path
    assert reason in caught.value.reason
    message = str(caught.value)
    assert str(path) in message and "'kk'" in message
    assert "komek models download kk" in message
    out, err = capfd.readouterr()
    assert (out, err) == ("", ""), "Vosk must not print"


def test_a_missing_model_directory(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert_missing(tmp_path / "kk", "does not exist", capfd)


def test_an_empty_model_directory(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert_missing(tmp_path, "am/final.mdl", capfd)


def test_a_model_directory_of_garbage(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    for name in ("am/final.mdl", "conf/mfcc.conf", "graph/HCLG.fst", "graph/words.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"garbage\n" * 10)
    assert_missing(tmp_path, "not a Kaldi model", capfd)
    (tmp_path / "am" / "final.mdl").write_bytes(b"\x00B" + b"garbage")
    assert_missing(tmp_path, "not an OpenFst file", capfd)
    (tmp_path / "graph" / "HCLG.fst").unlink()
    assert_missing(tmp_path, "neither HCLG.fst nor HCLr.fst", capfd)


def test_a_truncated_model_vosk_cannot_load(
    tmp_path: Path, korean_model: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    for part in ("conf", "graph", "ivector"):
        (tmp_path / part).symlink_to(korean_model / part)
    (tmp_path / "am").mkdir()
    with (korean_model / "am" / "final.mdl").open("rb") as stream:
        (tmp_path / "am" / "final.mdl").write_bytes(stream.read(4096))
    assert_missing(tmp_path, "Vosk could not load it", capfd)
