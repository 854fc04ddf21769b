"""Recognition with a Vosk (Kaldi) model directory: Kazakh, Russian, or any language it holds."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import vosk  # type: ignore[import-untyped]
from numpy.typing import NDArray

from core.profile import Language
from voice.recognition.base import SAMPLE_RATE, Transcript, chunks, clean_phrases, to_pcm16
from voice.recognition.errors import ModelMissing, RecognitionFailed

UNKNOWN_WORD = "[unk]"
_QUIET = -3
"""Kaldi prints warnings at -1 and errors at -2; failures reach us as exceptions instead."""

_KALDI_BINARY = b"\x00B"
_FST_MAGIC = bytes.fromhex("d6fdb27e")


def _starts_with(path: Path, magic: bytes) -> bool:
    """Whether the file begins with the given bytes."""
    with path.open("rb") as stream:
        return stream.read(len(magic)) == magic


def check_model_dir(path: Path, language: Language) -> None:
    """Raise ModelMissing unless `path` looks like a complete Vosk model (checked before Kaldi)."""
    if not path.exists():
        raise ModelMissing(language, path, "the directory does not exist")
    if not path.is_dir():
        raise ModelMissing(language, path, "it is not a directory")
    acoustic = path / "am" / "final.mdl"
    if not acoustic.is_file() or acoustic.stat().st_size == 0:
        raise ModelMissing(language, path, "am/final.mdl (the acoustic model) is missing")
    if not _starts_with(acoustic, _KALDI_BINARY):
        raise ModelMissing(language, path, "am/final.mdl is not a Kaldi model file")
    features = path / "conf" / "mfcc.conf"
    if not features.is_file() or features.stat().st_size == 0:
        raise ModelMissing(language, path, "conf/mfcc.conf (the feature settings) is missing")
    graph = path / "graph"
    static = [graph / "HCLG.fst"]
    dynamic = [graph / "HCLr.fst", graph / "Gr.fst"]
    if all(file.is_file() for file in dynamic):
        graphs = dynamic
    elif all(file.is_file() for file in static):
        graphs = static
    else:
        raise ModelMissing(language, path, "graph/ has neither HCLG.fst nor HCLr.fst with Gr.fst")
    for file in graphs:
        if not _starts_with(file, _FST_MAGIC):
            raise ModelMissing(language, path, f"graph/{file.name} is not an OpenFst file")


def supports_grammar(path: Path) -> bool:
    """Whether the model's graph is built at run time, so a phrase list can replace its LM."""
    return (path / "graph" / "HCLr.fst").is_file() and (path / "graph" / "Gr.fst").is_file()


class VoskRecognizer:
    """Speech to text with one Vosk model, loaded once; each call gets its own Kaldi recogniser."""

    name = "vosk"

    def __init__(self, model_dir: Path, language: Language) -> None:
        self._language = language
        self.model_dir = model_dir
        check_model_dir(model_dir, language)
        vosk.SetLogLevel(_QUIET)
        try:
            self._model: Any = vosk.Model(str(model_dir))
        except Exception as error:
            raise ModelMissing(language, model_dir, f"Vosk could not load it ({error})") from error
        self._grammar = supports_grammar(model_dir)
        self._has_unknown = self._model.vosk_model_find_word(UNKNOWN_WORD) >= 0

    @property
    def language(self) -> Language:
        """The language this model was installed for."""
        return self._language

    def knows(self, word: str) -> bool:
        """Whether the word is in the model's vocabulary."""
        return bool(self._model.vosk_model_find_word(word) >= 0)

    def grammar_for(self, phrases: Sequence[str] | None) -> str | None:
        """A Vosk JSON phrase list of the phrases the model knows, or None to use its LM."""
        if not self._grammar:
            return None
        known = [words for words in clean_phrases(phrases) if all(map(self.knows, words))]
        usable = [" ".join(words) for words in known]
        if not usable:
            return None
        if self._has_unknown:
            usable.append(UNKNOWN_WORD)
        return json.dumps(usable, ensure_ascii=False)

    def recognize(
        self,
        samples: NDArray[np.generic],
        sample_rate: int = SAMPLE_RATE,
        *,
        phrases: Sequence[str] | None = None,
    ) -> Transcript:
        """Transcribe; with phrases (on models with a run-time graph), keep to them."""
        started = time.perf_counter()
        pcm = to_pcm16(samples, sample_rate)
        grammar = self.grammar_for(phrases)
        if grammar is None:
            recognizer: Any = vosk.KaldiRecognizer(self._model, float(SAMPLE_RATE))
        else:
            recognizer = vosk.KaldiRecognizer(self._model, float(SAMPLE_RATE), grammar)
        pieces: list[str] = []
        try:
            for block in chunks(pcm):
                if recognizer.AcceptWaveform(block):
                    pieces.append(_text(recognizer.Result()))
            pieces.append(_text(recognizer.FinalResult()))
        except Exception as error:
            raise RecognitionFailed(f"Vosk could not decode the audio ({error})") from error
        words = [word for piece in pieces for word in piece.split() if word != UNKNOWN_WORD]
        return Transcript(
            text=" ".join(words).lower(),
            language=self._language,
            engine=self.name,
            audio_seconds=len(pcm) / SAMPLE_RATE,
            decode_seconds=time.perf_counter() - started,
        )


def _text(result: str) -> str:
    """The text field of a Vosk JSON result."""
    value = json.loads(result).get("text", "")
    return value if isinstance(value, str) else ""
