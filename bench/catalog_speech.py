"""What the whole-catalog speech tests cost: catalog messages spoken as the bot speaks them.

    .venv/bin/python bench/catalog_speech.py [--every 10] [--languages kk ru en] [--rate 100]

Every `--every`-th catalog message of each language (keys in sorted order, placeholders
filled with "7", as tests/conversation/catalog_speech.py does) goes through `Voice.say` with
an empty cache: normalisation, the `auto` engine (eSpeak NG for Kazakh, Festival for Russian,
Piper for English) and the OGG/Opus voice note. Prints JSON per language: messages, seconds of
audio, CPU seconds of this process (every thread), of the running Festival and of the
processes that ended (Festival processes replaced after a failure), wall seconds;
and the calibration figure. Run it against two trees back to back to compare them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from string import Formatter
from typing import Any

# bench/voice.py would shadow the `voice` package when this runs as a script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]

from bench.calibration import calibration_seconds  # noqa: E402
from core.i18n import Catalogs  # noqa: E402
from core.profile import Language  # noqa: E402
from core.settings import Settings  # noqa: E402
from voice.factory import build_voice  # noqa: E402
from voice.service import Voice  # noqa: E402
from voice.synthesis.choice import choose_synthesizer  # noqa: E402


def _filled(catalogs: Catalogs, language: Language, key: str) -> str:
    template = catalogs.texts[language][key]
    names = {name: "7" for _, name, _, _ in Formatter().parse(template) if name}
    return catalogs.text(language, key, **names)


def _ended_children_cpu() -> float:
    """CPU seconds of the child processes that ended (Festival processes replaced)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _festival_cpu() -> float:
    """CPU seconds the running Festival process has used (0 when there is none)."""
    primary = getattr(choose_synthesizer(Language.RU, engine="auto"), "primary", None)
    pid = getattr(primary, "pid", None)
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _language(
    voice: Voice, catalogs: Catalogs, language: Language, every: int, rate: int
) -> dict[str, Any]:
    texts = [_filled(catalogs, language, key) for key in sorted(catalogs.keys(language))][::every]
    await voice.say("1", language, rate=rate)  # the engine loads outside the figures
    festival, ended = _festival_cpu(), _ended_children_cpu()
    cpu, wall = time.process_time(), time.perf_counter()
    audio = 0.0
    for text in texts:
        audio += (await voice.say(text, language, rate=rate)).seconds
    return {
        "messages": len(texts),
        "audio_s": round(audio, 1),
        "cpu_s": round(time.process_time() - cpu, 2),
        "festival_cpu_s": round(_festival_cpu() - festival, 2),
        "ended_processes_cpu_s": round(_ended_children_cpu() - ended, 2),
        "wall_s": round(time.perf_counter() - wall, 2),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--every", type=int, default=10)
    parser.add_argument("--languages", nargs="+", default=["kk", "ru", "en"])
    parser.add_argument("--rate", type=int, default=100, help="percent of normal speed (50-200)")
    args = parser.parse_args()
    catalogs = Catalogs.load()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(_env_file=None, data_dir=Path(folder))  # type: ignore[call-arg]
        voice = build_voice(settings)
        report: dict[str, object] = {}
        for code in args.languages:
            language = Language(code)
            report[code] = await _language(voice, catalogs, language, args.every, args.rate)
    report["calibration_s"] = calibration_seconds()
    report["load_average"] = [round(figure, 1) for figure in os.getloadavg()]
    print(json.dumps(report))


if __name__ == "__main__":
    asyncio.run(main())
