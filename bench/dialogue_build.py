"""What one test's dialogue costs to build, with the catalogs read per dialogue or shared.

    .venv/bin/python bench/dialogue_build.py [--runs 20]

Builds the dialogue as tests/conftest.py's `dialogue` fixture does (a copy of a migrated
SQLite file, `build_dialogue`, the providers seeded), with the session's NLU, knowledge base
and voice made once. Prints CPU milliseconds per dialogue for each step, first reading the
catalogs for every dialogue (as before), then sharing one `Catalogs`; and the calibration.
The NLU is trained first if the cache in a temporary folder is empty (minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

# bench/voice.py would shadow the `voice` package when this runs as a script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]

from bench.calibration import calibration_seconds  # noqa: E402
from bot.assembly import build_dialogue  # noqa: E402
from content.articles import KnowledgeBase  # noqa: E402
from core.clock import ManualClock  # noqa: E402
from core.database import create_engine, session_factory, upgrade  # noqa: E402
from core.i18n import Catalogs  # noqa: E402
from core.settings import Settings  # noqa: E402
from nlu.pipeline import NLU, load_or_train  # noqa: E402
from voice.factory import build_voice  # noqa: E402


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--models", type=Path, help="an NLU model cache (KOMEK_TEST_MODEL_CACHE/…)")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp())
    try:
        template = Settings(_env_file=None, environment="test", data_dir=base / "template")  # type: ignore[call-arg]
        engine = create_engine(template)
        await upgrade(engine)
        await engine.dispose()
        nlu = NLU(load_or_train(args.models or base / "models"))
        knowledge = KnowledgeBase.load()
        voice = build_voice(Settings(_env_file=None, data_dir=base / "voice"))  # type: ignore[call-arg]
        report: dict[str, object] = {}
        for label, shared in (
            ("catalogs_per_dialogue", None),
            ("catalogs_shared", Catalogs.load()),
        ):
            spent = {"copy_and_engine": 0.0, "build_dialogue": 0.0, "seed_providers": 0.0}
            for run in range(args.runs):
                folder = base / f"{label}-{run}"
                folder.mkdir()
                started = time.process_time()
                shutil.copyfile(base / "template" / "komek.db", folder / "komek.db")
                settings = Settings(_env_file=None, environment="test", data_dir=folder)  # type: ignore[call-arg]
                engine = create_engine(settings)
                built = time.process_time()
                dialogue = build_dialogue(
                    settings,
                    session_factory(engine),
                    ManualClock(),
                    nlu=nlu,
                    knowledge=knowledge,
                    voice=voice,
                    catalogs=shared,
                )
                seeded = time.process_time()
                await dialogue.services.bookings.seed_providers()
                done = time.process_time()
                await engine.dispose()
                spent["copy_and_engine"] += built - started
                spent["build_dialogue"] += seeded - built
                spent["seed_providers"] += done - seeded
            report[label] = {step: round(s / args.runs * 1000, 1) for step, s in spent.items()}
    finally:
        shutil.rmtree(base, ignore_errors=True)
    report["unit"] = "CPU ms per dialogue"
    report["calibration_s"] = calibration_seconds()
    report["load_average"] = [round(figure, 1) for figure in os.getloadavg()]
    print(json.dumps(report))


if __name__ == "__main__":
    asyncio.run(main())
