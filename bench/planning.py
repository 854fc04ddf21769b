"""CPU of planning a broadcast per recipient, and of reading its recipients two ways.

    .venv/bin/python bench/planning.py --recipients 20000 [--rounds 3] [--json]

Planning writes an alert's ledger rows (recipients and deliveries) for N deaf registrants in
Almaty with Telegram, with no sending (the fan-out's other half). Read alone, the same
recipients come as whole registrants (`targets`, what planning read until 2026-12-08) and as
the columns planning needs (`reachable`, what it reads now), alternately in this process:
`read_ratio` is the second's CPU over the first's. CPU is `time.process_time()` (SQLite's
thread included) in microseconds per recipient; `calibration_cpu_s` is printed beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path[:] = [path for path in sys.path if Path(path).resolve() != Path(__file__).parent]
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alerts.cap.codec import from_dict  # noqa: E402
from alerts.cap.export import to_xml  # noqa: E402
from alerts.fanout.planner import Planner  # noqa: E402
from alerts.models import Alert  # noqa: E402
from alerts.targeting import Audience, reachable, targets  # noqa: E402
from bench.calibration import calibration_seconds  # noqa: E402
from bench.fanout import TOKEN, cap_alert  # noqa: E402
from core.clock import SystemClock  # noqa: E402
from core.database import create_engine, session_factory, upgrade  # noqa: E402
from core.settings import Settings  # noqa: E402
from tests.alerts.broadcast import add_registrants, telegram_alert_system  # noqa: E402

BATCH = 500


async def _dispatch(alert_id: int, batch: int) -> None:
    """Planning alone: nobody sends the batches."""


def _per_recipient(started: float, count: int) -> float:
    return round((time.process_time() - started) / max(1, count) * 1e6, 1)


async def main(recipients: int, rounds: int) -> dict[str, object]:
    planning: list[float] = []
    read_whole: list[float] = []
    read_columns: list[float] = []
    with tempfile.TemporaryDirectory(prefix="komek-planning-") as data_dir:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            environment="test",
            data_dir=Path(data_dir),
            telegram_alert_rate=0.0,
            telegram_paid_rate=0.0,
            alert_batch_size=BATCH,
        )
        engine = create_engine(settings)
        await upgrade(engine)
        sessions = session_factory(engine)
        chats = range(1, recipients + 1)
        rows = [{"telegram_chat_id": chat} for chat in chats]
        await add_registrants(sessions, rows, now=datetime.now(UTC))
        # The Bot API is never called: planning only hands batches to `_dispatch`.
        async with telegram_alert_system(
            settings, sessions, "http://127.0.0.1:9", token=TOKEN
        ) as system:
            planner = Planner(
                sessions, SystemClock(), batch_size=BATCH, first_escalation=timedelta(minutes=5)
            )
            for number in range(rounds):
                alert = cap_alert(f"planning-{number}")
                stored = await system.service.receive(to_xml(alert), actor="bench")
                started = time.process_time()
                planned = await planner.plan(stored.id, _dispatch)
                planning.append(_per_recipient(started, planned))
                async with sessions() as session:
                    cap = from_dict((await session.get_one(Alert, stored.id)).document)
                    for read, figures in ((targets, read_whole), (reachable, read_columns)):
                        started = time.process_time()
                        count = await _count(
                            read(session, cap, Audience(), test_group_only=False, batch_size=BATCH)
                        )
                        figures.append(_per_recipient(started, count))
        await engine.dispose()
    return {
        "recipients": recipients,
        "planning_cpu_us_per_recipient": planning,
        "read_whole_registrants_cpu_us": read_whole,
        "read_planned_columns_cpu_us": read_columns,
        "read_ratio": round(sum(read_columns) / max(1e-9, sum(read_whole)), 3),
        "calibration_cpu_s": calibration_seconds(),
    }


async def _count(batches: AsyncIterator[Sequence[object]]) -> int:
    return sum([len(batch) async for batch in batches])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    result = asyncio.run(main(args.recipients, args.rounds))
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:36} {value}")
