"""`komek voice say` and `komek voice hear`, as evaluations run them."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from core.profile import Language
from tests.cli.test_chat import komek
from tests.conftest import need
from tests.testdata import shared_data
from voice.audio import decode, is_silence
from voice.evaluation import FESTVOX_RU, festvox_sentences, shared_clips, word_error_rate


def run(args: list[str], tmp_path: Path) -> str:
    env = {**os.environ, "KOMEK_DATA_DIR": str(tmp_path), "KOMEK_LOG_LEVEL": "WARNING"}
    done = subprocess.run(
        [komek(), *args], env=env, capture_output=True, text=True, timeout=300, check=True
    )
    return done.stdout


def test_say_writes_a_voice_note_in_each_language(tmp_path: Path) -> None:
    for language, text in (
        ("kk", "Әлеуметтік такси тегін."),
        ("ru", "Такси бесплатно."),
        ("en", "The social taxi is free."),
    ):
        out = tmp_path / f"{language}.ogg"
        run(["voice", "say", text, "--lang", language, "-o", str(out)], tmp_path)
        pcm = decode(out.read_bytes())
        assert 0.5 < pcm.seconds < 8 and not is_silence(pcm)


def test_hear_uses_whisper_for_russian_and_english_recordings(tmp_path: Path) -> None:
    speech = shared_data("speech")
    need(FESTVOX_RU.is_dir(), "festvox-ru is not installed")
    chosen = ("14-golos-ru.wav", "13-pocketsphinx-forever-en.wav")
    clips = [c for c in shared_clips(speech, frozenset(Language)) if c.path.name in chosen]
    # Russian: the Golos clip's six words and a studio sentence, because one word more or less
    # wrong in six is a CPU's int8 kernels, not the command (tests/voice/test_whisper.py).
    clips += festvox_sentences(1, seed=5, max_seconds=6.0)
    for language, limit in ((Language.RU, 0.25), (Language.EN, 0.12)):
        references, heard = [], []
        for clip in (c for c in clips if c.language is language):
            command = ["voice", "hear", str(clip.path), "--lang", language.value, "--json"]
            result = json.loads(run(command, tmp_path))
            assert result["audio_seconds"] > 0 and result["recognise_ms"] > 0
            assert result["engine"] == "whisper"
            references.append(clip.transcript)
            heard.append(result["text"])
        assert word_error_rate(references, heard, language) <= limit, heard
