"""How long targeting takes on 100,000 registrants, with and without KOMEK_DATA_KEY.

    .venv/bin/python bench/targeting.py --registrants 100000 [--json]

Registrants are spread over the 20 regions, 90 % of them with coordinates near their region's
centre. For three alerts (Almaty by KATO code, a 10 km circle in Almaty, a polygon around
Almaty) it measures the dispatcher's preview (every recipient counted) and the first batch of
recipients a broadcast gets (what the first message waits for). With a key the coordinates are
encrypted, so the database cannot narrow a circle or a polygon to a box: every registrant with
coordinates is read and decrypted, and the shape is tested on the decrypted values.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path[:] = [path for path in sys.path if Path(path).resolve() != Path(__file__).parent]
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pydantic import SecretStr  # noqa: E402

from alerts.cap.model import Area, CapAlert, Circle, Info  # noqa: E402
from alerts.registry import regions  # noqa: E402
from alerts.targeting import Audience, preview, targets  # noqa: E402
from core.database import create_engine, session_factory, upgrade  # noqa: E402
from core.encryption import new_key  # noqa: E402
from core.settings import Settings  # noqa: E402
from tests.alerts.broadcast import add_registrants  # noqa: E402

NOW = datetime(2026, 1, 1, tzinfo=UTC)
ALMATY = (43.238, 76.889)


def cap(name: str, area: Area) -> CapAlert:
    info = Info(
        language="ru",
        categories=("Geo",),
        event="Землетрясение",
        urgency="Immediate",
        severity="Extreme",
        certainty="Observed",
        headline="Землетрясение",
        instruction="Выйдите из здания.",
        areas=(area,),
    )
    return CapAlert(
        identifier=name,
        sender="bench@komek.test",
        sent=NOW,
        status="Actual",
        msg_type="Alert",
        scope="Public",
        infos=(info,),
    )


ALERTS = {
    "kato_almaty": cap("kato", Area("Almaty", geocodes=(("KATO", "750000000"),))),
    "circle_10km": cap("circle", Area("circle", circles=(Circle(*ALMATY, 10.0),))),
    "polygon_almaty": cap(
        "polygon",
        Area(
            "polygon",
            polygons=(((43.1, 76.7), (43.1, 77.1), (43.4, 77.1), (43.4, 76.7), (43.1, 76.7)),),
        ),
    ),
}


def rows(count: int) -> list[dict[str, object]]:
    spread = random.Random(7)
    every = regions.regions()
    made: list[dict[str, object]] = []
    for n in range(count):
        region = every[n % len(every)]
        row: dict[str, object] = {"phone": f"+7701{n:07d}", "region": region.code}
        if spread.random() < 0.9:
            row["latitude"] = region.centre[0] + spread.uniform(-0.3, 0.3)
            row["longitude"] = region.centre[1] + spread.uniform(-0.3, 0.3)
        made.append(row)
    return made


async def measure(count: int, key: str | None, directory: Path) -> dict[str, dict[str, float]]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=directory,
        data_key=SecretStr(key) if key else None,
    )
    engine = create_engine(settings)
    await upgrade(engine)
    sessions = session_factory(engine)
    await add_registrants(sessions, rows(count), now=NOW)
    results: dict[str, dict[str, float]] = {}
    try:
        for name, alert in ALERTS.items():
            async with sessions() as session:
                started = time.perf_counter()
                counted = await preview(session, alert, Audience(), test_group_only=False)
                whole = time.perf_counter() - started
            async with sessions() as session:
                started = time.perf_counter()
                batches = targets(session, alert, Audience(), test_group_only=False)
                await anext(batches)
                first = time.perf_counter() - started
                await batches.aclose()
            results[name] = {
                "recipients": counted.recipients,
                "preview_s": round(whole, 3),
                "first_batch_s": round(first, 3),
            }
    finally:
        await engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--registrants", type=int, default=100_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as plain, tempfile.TemporaryDirectory() as sealed:
        report = {
            "plain": asyncio.run(measure(args.registrants, None, Path(plain))),
            "encrypted": asyncio.run(measure(args.registrants, new_key(), Path(sealed))),
        }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for mode, results in report.items():
        for name, figures in results.items():
            print(f"{mode:9} {name:15} {figures}")


if __name__ == "__main__":
    main()
