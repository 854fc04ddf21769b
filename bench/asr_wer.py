"""Speech recognition accuracy and speed on real recordings nobody here made.

    .venv/bin/python bench/asr_wer.py [--festvox 40] [--engines whisper,pocketsphinx,vosk]
        [--hotwords "ru=тенге,пособие" --hotwords "en=tenge,benefit"]

Clips: the shared English and Russian recordings (../shared/testdata/speech) and a seeded sample
of the studio sentences festvox-ru ships (Debian package; the same speaker as Festival's Russian
voice). Prints JSON: per engine and language, each clip's transcript, then WER and CER over all
words (lower case, punctuation removed, digits spelled out: voice/evaluation.py), real-time
factor (decode wall time / audio time) and cpu_rtf (the process's CPU time over all its
threads, which holds on a busy machine better than wall time), with the calibration figure
(bench/calibration.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

# bench/voice.py and bench/nlu.py would shadow the packages of the same names.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]

import av  # noqa: E402
import numpy as np  # noqa: E402
from av.audio.resampler import AudioResampler  # noqa: E402
from numpy.typing import NDArray  # noqa: E402

from bench.calibration import calibration_seconds  # noqa: E402
from core.profile import Language  # noqa: E402
from voice.evaluation import (  # noqa: E402
    Clip,
    character_error_rate,
    festvox_sentences,
    shared_clips,
    word_error_rate,
)
from voice.recognition import ModelMissing, RecognitionConfig, Recognizer  # noqa: E402
from voice.recognition.pocketsphinx_engine import PocketsphinxRecognizer  # noqa: E402
from voice.recognition.vosk_engine import VoskRecognizer  # noqa: E402
from voice.recognition.whisper_engine import (  # noqa: E402
    WhisperModelLoader,
    WhisperOptions,
    WhisperRecognizer,
)

ROOT = Path(__file__).resolve().parents[1]
SPEECH = ROOT.parent / "shared" / "testdata" / "speech"


def read_audio(path: Path) -> NDArray[np.int16]:
    """A WAV or FLAC file as 16 kHz mono 16-bit samples."""
    parts: list[NDArray[Any]] = []
    resampler = AudioResampler(format="s16", layout="mono", rate=16_000)
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            parts += [out.to_ndarray().reshape(-1) for out in resampler.resample(frame)]
    parts += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
    return np.concatenate(parts).astype(np.int16)


def evaluate(
    recognizer: Recognizer,
    clips: list[Clip],
    language: Language,
    phrases: list[str] | None = None,
) -> dict[str, Any]:
    """Transcribe every clip once (with `phrases` to lean towards, if any) and score it."""
    rows: list[dict[str, Any]] = []
    for clip in clips:
        samples = read_audio(clip.path)
        cpu = time.process_time()
        transcript = recognizer.recognize(samples, phrases=phrases)
        cpu = time.process_time() - cpu
        rows.append(
            {
                "file": clip.path.name,
                "reference": clip.transcript,
                "hypothesis": transcript.text,
                "wer": round(word_error_rate([clip.transcript], [transcript.text], language), 3),
                "audio_s": round(transcript.audio_seconds, 3),
                "decode_s": round(transcript.decode_seconds, 3),
                "cpu_s": round(cpu, 3),
            }
        )
    audio = sum(float(r["audio_s"]) for r in rows)
    decode = sum(float(r["decode_s"]) for r in rows)
    cpu_total = sum(float(r["cpu_s"]) for r in rows)
    references = [str(r["reference"]) for r in rows]
    hypotheses = [str(r["hypothesis"]) for r in rows]
    return {
        "clips": len(rows),
        "wer": round(word_error_rate(references, hypotheses, language), 3),
        "cer": round(character_error_rate(references, hypotheses, language), 3),
        "audio_s": round(audio, 1),
        "rtf": round(decode / audio, 3) if audio else 0.0,
        "cpu_rtf": round(cpu_total / audio, 3) if audio else 0.0,
        "recordings": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--models-dir", type=Path, default=ROOT / "var" / "vosk")
    parser.add_argument("--whisper-dir", type=Path, default=ROOT / "var" / "whisper" / "base")
    parser.add_argument("--festvox", type=int, default=40, help="festvox-ru sentences to use")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--engines", default="whisper,pocketsphinx,vosk")
    parser.add_argument(
        "--hotwords",
        action="append",
        default=[],
        metavar="LANG=WORD,WORD",
        help="Whisper only: phrases to lean towards in one language (repeat per language)",
    )
    args = parser.parse_args()
    engines = set(args.engines.split(","))
    hints = {
        Language(code): [word.strip() for word in words.split(",") if word.strip()]
        for code, _, words in (item.partition("=") for item in args.hotwords)
    }
    english = shared_clips(SPEECH, frozenset({Language.EN}))
    russian = shared_clips(SPEECH, frozenset({Language.RU}))
    festvox = festvox_sentences(args.festvox, seed=args.seed)
    report: dict[str, Any] = {
        "calibration_s": round(calibration_seconds(), 3),
        "festvox_sentences": [clip.path.stem for clip in festvox],
        "engines": {},
    }
    if "whisper" in engines:
        started = time.perf_counter()
        config = RecognitionConfig(args.models_dir, whisper_dir=args.whisper_dir)
        loader = WhisperModelLoader(config.resolved_whisper_dir, WhisperOptions(time_limit=600))
        loader.model(Language.RU)
        load_s = round(time.perf_counter() - started, 2)
        report["engines"]["whisper"] = {
            "load_s": load_s,
            "hotwords": {language.value: words for language, words in hints.items()},
            "en": evaluate(
                WhisperRecognizer(loader, Language.EN), english, Language.EN, hints.get(Language.EN)
            ),
            "ru shared clip": evaluate(
                WhisperRecognizer(loader, Language.RU), russian, Language.RU, hints.get(Language.RU)
            ),
            "ru festvox": evaluate(
                WhisperRecognizer(loader, Language.RU), festvox, Language.RU, hints.get(Language.RU)
            ),
        }
    if "pocketsphinx" in engines:
        report["engines"]["pocketsphinx"] = {
            "en": evaluate(PocketsphinxRecognizer(decoders=1), english, Language.EN)
        }
    if "vosk" in engines:
        vosk: dict[str, Any] = {}
        for language, clips in ((Language.EN, english), (Language.RU, russian + festvox)):
            try:
                recognizer = VoskRecognizer(args.models_dir / language.value, language)
            except ModelMissing as missing:
                vosk[language.value] = {"status": "no model", "reason": missing.reason}
                continue
            vosk[language.value] = evaluate(recognizer, clips, language)
        report["engines"]["vosk"] = vosk
    report["calibration_after_s"] = round(calibration_seconds(), 3)
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
