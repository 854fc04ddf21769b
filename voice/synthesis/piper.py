"""Piper neural voices (piper-tts), used only when a voice model file is configured."""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import threading
from pathlib import Path
from typing import Any, Final

import numpy as np

from core.profile import Language
from voice.synthesis.base import NORMAL_RATE, Speech, SynthesisError, check_request

_lock = threading.Lock()
"""Piper phonemises with its own copy of eSpeak NG, which is not re-entrant either."""


class PiperModelNotFoundError(FileNotFoundError):
    """The configured Piper voice model or its JSON config is not there."""


def piper_version() -> str | None:
    """The installed piper-tts version, or None when it cannot be imported."""
    try:
        importlib.import_module("piper")
    except ImportError:
        return None
    try:
        return importlib.metadata.version("piper-tts")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _model_language(config: dict[str, Any], config_path: Path) -> Language:
    """The language a voice speaks, from its config ("kk_KZ", or its eSpeak voice "kk")."""
    code = str(config.get("language", {}).get("code") or config.get("espeak", {}).get("voice", ""))
    try:
        return Language(code.replace("-", "_").split("_")[0].lower())
    except ValueError:
        raise SynthesisError(
            f"the Piper voice {config_path} speaks {code!r}, not Kazakh, Russian or English"
        ) from None


class PiperSynthesizer:
    """One Piper voice model, speaking the one language it was trained for."""

    name: Final = "piper"

    def __init__(self, model: Path, config: Path | None = None) -> None:
        """Load model (an .onnx file) with its config (model + ".json" unless given)."""
        config = config or model.with_name(model.name + ".json")
        if not model.is_file():
            raise PiperModelNotFoundError(
                f"Piper voice model not found: {model}. Configure the path of an existing "
                ".onnx voice file, or use the eSpeak NG engine."
            )
        if not config.is_file():
            raise PiperModelNotFoundError(
                f"Piper voice config not found: {config}. Put the voice's .onnx.json file "
                "beside the model."
            )
        try:
            settings = json.loads(config.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise SynthesisError(f"cannot read the Piper voice config {config}: {error}") from error
        self.languages: frozenset[Language] = frozenset({_model_language(settings, config)})
        if piper_version() is None:
            raise SynthesisError("piper-tts is not installed: pip install piper-tts")
        piper = importlib.import_module("piper")
        try:
            self._voice: Any = piper.PiperVoice.load(model, config_path=config)
        except Exception as error:  # onnxruntime raises its own many kinds
            raise SynthesisError(f"cannot load the Piper voice model {model}: {error}") from error
        self._config_class: Any = piper.SynthesisConfig
        self.model = model

    def synthesize(self, text: str, language: Language, *, rate: int = NORMAL_RATE) -> Speech:
        """Speak text at rate percent of the voice's normal speed."""
        check_request(self.name, self.languages, text, language, rate)
        length_scale = float(self._voice.config.length_scale) * NORMAL_RATE / rate
        options = self._config_class(length_scale=length_scale)
        with _lock:
            chunks = [chunk.audio_int16_array for chunk in self._voice.synthesize(text, options)]
        if not chunks:
            raise SynthesisError("the Piper voice produced no audio")
        samples = np.concatenate(chunks).astype(np.int16).reshape(-1)
        return Speech(samples, int(self._voice.config.sample_rate), self.name)
