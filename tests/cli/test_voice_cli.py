"""`komek voice say` and `komek voice hear`, as evaluations run them."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from pathlib import Path

import jiwer

from tests.cli.test_chat import komek
from tests.conftest import need
from voice.audio import decode, is_silence

SPEECH = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "speech"


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


def test_hear_transcribes_real_english_recordings(tmp_path: Path) -> None:
    need(SPEECH.is_dir(), f"the real recordings are not at {SPEECH}")
    with (SPEECH / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if r["file"].endswith("-en.wav")]
    references, heard = [], []
    for row in rows[:6]:
        result = json.loads(
            run(["voice", "hear", str(SPEECH / row["file"]), "--lang", "en", "--json"], tmp_path)
        )
        assert result["audio_seconds"] > 0 and result["recognise_ms"] > 0
        references.append(row["transcript"].lower())
        heard.append(result["text"])
    error_rate = jiwer.wer([jiwer.RemovePunctuation()(r) for r in references], heard)
    assert error_rate < 0.5, (error_rate, heard)
