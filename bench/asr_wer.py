"""Speech recognition accuracy and speed on the real recordings in ../shared/testdata/speech.

    .venv/bin/python bench/asr_wer.py [--models-dir var/models]

Prints JSON: for each engine and language, every recording's transcript, word error rate
(jiwer; lower case, punctuation stripped) and real-time factor (decode wall time / audio time;
cpu_rtf counts the decoding thread's CPU time only, so it holds on a busy machine), then the
overall WER (all words of all recordings) and RTF. PocketSphinx runs on the English
recordings; Vosk on each language that has a model in models-dir/<lang>, else "no model".
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path
from typing import Any

# bench/voice.py and bench/nlu.py would shadow the packages of the same names.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]

import av  # noqa: E402
import jiwer  # noqa: E402
import numpy as np  # noqa: E402
from av.audio.resampler import AudioResampler  # noqa: E402
from numpy.typing import NDArray  # noqa: E402

from core.profile import Language  # noqa: E402
from voice.recognition import ModelMissing, Recognizer  # noqa: E402
from voice.recognition.pocketsphinx_engine import PocketsphinxRecognizer  # noqa: E402
from voice.recognition.vosk_engine import VoskRecognizer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SPEECH = ROOT.parent / "shared" / "testdata" / "speech"
NORMALISE = jiwer.Compose(
    [
        jiwer.ToLowerCase(),
        jiwer.RemovePunctuation(),  # type: ignore[no-untyped-call]
        jiwer.RemoveMultipleSpaces(),
        jiwer.Strip(),
        jiwer.ReduceToListOfListOfWords(),
    ]
)


def read_audio(path: Path) -> NDArray[np.int16]:
    """A WAV or FLAC file as 16 kHz mono 16-bit samples."""
    parts: list[NDArray[Any]] = []
    resampler = AudioResampler(format="s16", layout="mono", rate=16_000)
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            parts += [out.to_ndarray().reshape(-1) for out in resampler.resample(frame)]
    parts += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
    return np.concatenate(parts).astype(np.int16)


def word_error_rate(references: list[str], hypotheses: list[str]) -> float:
    """WER over all the words, with both sides lower-cased and stripped of punctuation."""
    return float(
        jiwer.wer(
            references,
            hypotheses,
            reference_transform=NORMALISE,
            hypothesis_transform=NORMALISE,
        )
    )


def evaluate(recognizer: Recognizer, rows: list[dict[str, str]]) -> dict[str, Any]:
    """Transcribe every recording once and score it."""
    recordings: list[dict[str, Any]] = []
    for row in rows:
        samples = read_audio(SPEECH / row["file"])
        cpu = time.thread_time()
        transcript = recognizer.recognize(samples)
        cpu = time.thread_time() - cpu
        recordings.append(
            {
                "file": row["file"],
                "reference": row["transcript"],
                "hypothesis": transcript.text,
                "wer": round(word_error_rate([row["transcript"]], [transcript.text]), 3),
                "audio_s": round(transcript.audio_seconds, 3),
                "decode_s": round(transcript.decode_seconds, 3),
                "rtf": round(transcript.real_time_factor, 3),
                "cpu_rtf": round(cpu / transcript.audio_seconds, 3),
            }
        )
    audio = sum(float(r["audio_s"]) for r in recordings)
    decode = sum(float(r["decode_s"]) for r in recordings)
    cpu_total = sum(float(r["cpu_rtf"]) * float(r["audio_s"]) for r in recordings)
    return {
        "recordings": recordings,
        "wer": round(
            word_error_rate(
                [str(r["reference"]) for r in recordings],
                [str(r["hypothesis"]) for r in recordings],
            ),
            3,
        ),
        "audio_s": round(audio, 3),
        "decode_s": round(decode, 3),
        "rtf": round(decode / audio, 3) if audio else 0.0,
        "cpu_rtf": round(cpu_total / audio, 3) if audio else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models-dir", type=Path, default=ROOT / "var" / "models")
    args = parser.parse_args()
    with (SPEECH / "MANIFEST.tsv").open(encoding="utf-8") as stream:
        manifest = list(csv.DictReader(stream, delimiter="\t"))
    by_language = {
        language: [row for row in manifest if row["language"] == language.value]
        for language in Language
    }
    report: dict[str, Any] = {"speech_dir": str(SPEECH), "engines": {}}

    started = time.perf_counter()
    pocketsphinx = PocketsphinxRecognizer(decoders=1)
    english = evaluate(pocketsphinx, by_language[Language.EN])
    english["load_s"] = round(time.perf_counter() - started - english["decode_s"], 3)
    report["engines"]["pocketsphinx"] = {Language.EN.value: english}

    vosk: dict[str, Any] = {}
    for language in Language:
        started = time.perf_counter()
        try:
            recognizer = VoskRecognizer(args.models_dir / language.value, language)
        except ModelMissing as missing:
            vosk[language.value] = {"status": "no model", "reason": missing.reason}
            continue
        load_s = time.perf_counter() - started
        vosk[language.value] = {
            "load_s": round(load_s, 3),
            **evaluate(recognizer, by_language[language]),
        }
    report["engines"]["vosk"] = vosk
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
