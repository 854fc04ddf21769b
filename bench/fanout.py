"""How fast an alert reaches N registrants: the fan-out's own capacity, and against Telegram.

    .venv/bin/python bench/fanout.py --recipients 100000 --json [--postgres]

The sandbox Bot API runs in its own process (as Telegram does). Two runs:

1. Unthrottled: the sandbox answers at once and allows any rate. This is the system's own
   capacity, ledger writes included: `deliveries_per_s` and `time_to_first_message_s` (from
   the approval to the first message arriving at the sandbox).
2. Like Telegram seen from Kazakhstan: an 80 ms round trip and 1,000 messages a second allowed
   (paid broadcast). `limit_utilisation` is the rate reached over the allowed rate;
   `naive_deliveries_per_s` is a plain `for chat in chats: await bot.send_message(...)` loop
   under the same conditions, and `ratio` the fan-out's rate over the loop's.

`--compare-chunks 50x3` runs both kinds of broadcast with chunks of 50 rows, three claimed
ahead (the sender's sizes before 2026-12-08), and with today's (CHUNK x CHUNKS_AHEAD),
alternately on one list in this process, and prints each and today's over the other's.

Every recipient is a deaf person with Telegram (text messages), in Almaty.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path[:] = [path for path in sys.path if Path(path).resolve() != Path(__file__).parent]
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from alerts.cap.export import to_xml  # noqa: E402
from alerts.cap.model import Area, CapAlert, Info  # noqa: E402
from alerts.fanout.limits import LocalLimiter  # noqa: E402
from alerts.fanout.outgoing import PAID_TELEGRAM_LANE  # noqa: E402
from alerts.fanout.sender import CHUNK, CHUNKS_AHEAD  # noqa: E402
from alerts.models import Delivery, Registrant  # noqa: E402
from bench.calibration import calibration_seconds  # noqa: E402
from bot.telegram.app import build_bot  # noqa: E402
from core.database import (  # noqa: E402
    create_engine,
    refresh_statistics,
    session_factory,
    upgrade,
)
from core.heap import freeze_startup_heap  # noqa: E402
from core.settings import Settings  # noqa: E402
from sandbox.client import SandboxClient  # noqa: E402
from tests.alerts.broadcast import add_registrants, telegram_alert_system  # noqa: E402
from tests.servers.ports import free_port  # noqa: E402
from tests.servers.postgres import running_postgres  # noqa: E402

TOKEN = "123456:bench-fanout"
ALLOWED_RATE = 1000
LATENCY_MS = 80
NAIVE_SECONDS = 10.0
TARGET_RATE = 970.0
"""The rate the fan-out is told to keep: 3 % under Telegram's, which refuses beyond it."""


def cap_alert(identifier: str) -> CapAlert:
    sent = datetime.now(UTC)
    info = Info(
        language="ru",
        categories=("Geo",),
        event="Землетрясение",
        urgency="Immediate",
        severity="Severe",
        certainty="Observed",
        headline="Сильное землетрясение в Алматы",
        instruction="Выйдите из здания сейчас. Отойдите от стен и проводов.",
        expires=sent + timedelta(hours=6),
        areas=(Area("Алматы", geocodes=(("KATO", "750000000"),)),),
    )
    return CapAlert(
        identifier=identifier,
        sender="bench@komek.test",
        sent=sent.replace(microsecond=0),
        status="Actual",
        msg_type="Alert",
        infos=(info,),
    )


def start_sandbox() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process, f"http://127.0.0.1:{port}"


async def wait_for(client: SandboxClient) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            await client.health()
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) another process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def broadcast(
    settings: Settings,
    base_url: str,
    client: SandboxClient,
    chats: range,
    identifier: str,
    sandbox_pid: int,
    chunking: tuple[int, int] = (CHUNK, CHUNKS_AHEAD),
) -> dict[str, float]:
    """One alert to everyone; times measured at the sandbox."""
    engine = create_engine(settings)
    await upgrade(engine)
    sessions = session_factory(engine)
    async with sessions() as session:
        registered = await session.scalar(select(func.count()).select_from(Registrant))
    if not registered:  # the second run reuses the first run's list
        await add_registrants(
            sessions, [{"telegram_chat_id": chat} for chat in chats], now=datetime.now(UTC)
        )
        # As `komek alerts import-registry` does after loading a list.
        await refresh_statistics(sessions, Registrant.__tablename__)
    try:
        async with telegram_alert_system(
            settings,
            sessions,
            base_url,
            token=TOKEN,
            in_flight=400,
            chunk=chunking[0],
            chunks_ahead=chunking[1],
        ) as system:
            freeze_startup_heap()  # as `komek worker` does once it is ready
            stored = await system.service.receive(to_xml(cap_alert(identifier)), actor="bench")
            approved = time.time()
            cpu, sandbox_cpu = time.process_time(), process_cpu(sandbox_pid)
            await system.service.approve(stored.id, actor="bench")
            await system.fanout.wait_idle()
            finished = time.time()
            cpu, sandbox_cpu = time.process_time() - cpu, process_cpu(sandbox_pid) - sandbox_cpu
            limiter = system.sender.limiter if system.sender is not None else None
            unused, paused = (
                limiter.lost_seconds(PAID_TELEGRAM_LANE)
                if isinstance(limiter, LocalLimiter)
                else (0.0, 0.0)
            )
            network = await client.request("GET", "network")
            async with sessions() as session:
                sent = int(
                    await session.scalar(
                        select(func.count()).where(
                            Delivery.alert_id == stored.id, Delivery.state == "sent"
                        )
                    )
                    or 0
                )
    finally:
        await engine.dispose()
    first = float(network["first_admitted_at"])
    last = float(network["last_admitted_at"])
    return {
        "sent": sent,
        "seconds": finished - approved,
        "time_to_first_message_s": first - approved,
        "deliveries_per_s": sent / max(1e-9, last - approved),
        "refused_429": int(network["refused"]),
        "cpu_ms_per_delivery": cpu / max(1, sent) * 1000,
        "sandbox_cpu_ms_per_delivery": sandbox_cpu / max(1, sent) * 1000,
        "pace_unused_s": unused,
        "paused_s": paused,
    }


async def naive(base_url: str, chats: range) -> float:
    """A plain loop, one message after the other: bound by the round trip."""
    bot = build_bot(TOKEN, base_url)
    sent = 0
    started = time.monotonic()
    try:
        for chat in chats:
            await bot.send_message(chat, "Выйдите из здания сейчас.")
            sent += 1
            if time.monotonic() - started >= NAIVE_SECONDS:
                break
    finally:
        await bot.session.close()
    return sent / (time.monotonic() - started)


def _surroundings(stack: ExitStack, postgres: bool) -> tuple[Settings, str, int]:
    """A data folder, the database (PostgreSQL on loopback, or SQLite), the sandbox Bot API and
    the settings every run of this bench starts from; all undone when `stack` closes."""
    data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="komek-fanout-")))
    database_url = stack.enter_context(running_postgres()) if postgres else None
    sandbox, base_url = start_sandbox()
    stack.callback(sandbox.terminate)
    base = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        data_dir=data_dir,
        database_url=database_url,
        telegram_alert_rate=0.0,
        telegram_paid_rate=0.0,
        alert_batch_size=500,
    )
    return base, base_url, sandbox.pid


async def main(recipients: int, postgres: bool) -> dict[str, object]:
    with ExitStack() as stack:
        base, base_url, sandbox_pid = _surroundings(stack, postgres)
        async with SandboxClient(base_url) as client:
            await wait_for(client)
            chats = await client.add_users(recipients)
            await client.set_network(latency_ms=0, send_rate=0)
            free = await broadcast(base, base_url, client, chats, "bench-unthrottled", sandbox_pid)

            await client.set_network(latency_ms=LATENCY_MS, send_rate=ALLOWED_RATE)
            limited_settings = base.model_copy(
                update={"telegram_paid_broadcast": True, "telegram_paid_rate": TARGET_RATE}
            )
            limited = await broadcast(
                limited_settings, base_url, client, chats, "bench-telegram-like", sandbox_pid
            )
            naive_rate = await naive(base_url, chats)
    return {
        "recipients": recipients,
        "database": "postgresql" if postgres else "sqlite",
        "cores": os.cpu_count(),
        "deliveries_per_s": round(free["deliveries_per_s"], 1),
        "time_to_first_message_s": round(free["time_to_first_message_s"], 3),
        "unthrottled_total_s": round(free["seconds"], 2),
        "unthrottled_sent": free["sent"],
        "throttled_deliveries_per_s": round(limited["deliveries_per_s"], 1),
        "throttled_time_to_first_message_s": round(limited["time_to_first_message_s"], 3),
        "throttled_sent": limited["sent"],
        "throttled_refused_429": limited["refused_429"],
        "limit_utilisation": round(limited["deliveries_per_s"] / ALLOWED_RATE, 3),
        # Where the rest of the allowed rate went: turns no sender was ready for, and the
        # lane's pauses after answers 429 (retry_after).
        "throttled_pace_unused_s": round(limited["pace_unused_s"], 2),
        "throttled_paused_s": round(limited["paused_s"], 2),
        # CPU per delivery of each process: the fan-out (planning, ledger, aiogram requests)
        # and the sandbox Bot API answering it (Telegram's side, not ours to cut).
        "fanout_cpu_ms_per_delivery": round(free["cpu_ms_per_delivery"], 3),
        "sandbox_cpu_ms_per_delivery": round(free["sandbox_cpu_ms_per_delivery"], 3),
        "throttled_fanout_cpu_ms_per_delivery": round(limited["cpu_ms_per_delivery"], 3),
        "calibration_cpu_s": calibration_seconds(),
        "naive_deliveries_per_s": round(naive_rate, 1),
        "ratio": round(limited["deliveries_per_s"] / naive_rate, 1),
    }


def _figures(free: dict[str, float], limited: dict[str, float]) -> dict[str, float]:
    return {
        "deliveries_per_s": round(free["deliveries_per_s"], 1),
        "cpu_ms_per_delivery": round(free["cpu_ms_per_delivery"], 3),
        "limit_utilisation": round(limited["deliveries_per_s"] / ALLOWED_RATE, 3),
        "throttled_refused_429": limited["refused_429"],
        "throttled_pace_unused_s": round(limited["pace_unused_s"], 2),
        "throttled_paused_s": round(limited["paused_s"], 2),
        "throttled_cpu_ms_per_delivery": round(limited["cpu_ms_per_delivery"], 3),
    }


async def compare_chunks(
    recipients: int, postgres: bool, baseline: tuple[int, int], pairs: int
) -> dict[str, object]:
    """Both broadcasts with the `baseline` chunking and with today's, alternately, one list."""
    current = (CHUNK, CHUNKS_AHEAD)
    runs: dict[tuple[int, int], list[dict[str, float]]] = {baseline: [], current: []}
    with ExitStack() as stack:
        base, base_url, sandbox_pid = _surroundings(stack, postgres)
        limited_settings = base.model_copy(
            update={"telegram_paid_broadcast": True, "telegram_paid_rate": TARGET_RATE}
        )
        async with SandboxClient(base_url) as client:
            await wait_for(client)
            chats = await client.add_users(recipients)
            for pair in range(pairs):
                # Each broadcast leaves its rows in the ledger: the order alternates.
                order = [baseline, current] if pair % 2 == 0 else [current, baseline]
                for chunking in order:
                    name = f"{chunking[0]}x{chunking[1]}-{pair}"
                    await client.set_network(latency_ms=0, send_rate=0)
                    free = await broadcast(
                        base, base_url, client, chats, f"free-{name}", sandbox_pid, chunking
                    )
                    await client.set_network(latency_ms=LATENCY_MS, send_rate=ALLOWED_RATE)
                    limited = await broadcast(
                        limited_settings,
                        base_url,
                        client,
                        chats,
                        f"tg-{name}",
                        sandbox_pid,
                        chunking,
                    )
                    runs[chunking].append(_figures(free, limited))

    def mean(config: tuple[int, int], key: str) -> float:
        return sum(run[key] for run in runs[config]) / len(runs[config])

    keys = ("cpu_ms_per_delivery", "throttled_cpu_ms_per_delivery", "limit_utilisation")
    return {
        "recipients": recipients,
        "database": "postgresql" if postgres else "sqlite",
        "calibration_cpu_s": calibration_seconds(),
        "load_average": os.getloadavg()[0],
        f"baseline_{baseline[0]}x{baseline[1]}": runs[baseline],
        f"current_{current[0]}x{current[1]}": runs[current],
        "current_over_baseline": {
            key: round(mean(current, key) / max(1e-9, mean(baseline, key)), 3) for key in keys
        },
    }


def _chunking(text: str) -> tuple[int, int]:
    chunk, _, ahead = text.partition("x")
    return int(chunk), int(ahead)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--compare-chunks",
        type=_chunking,
        metavar="CHUNKxAHEAD",
        help="compare today's chunking with this one (e.g. 50x3), in this process",
    )
    parser.add_argument("--pairs", type=int, default=1, help="runs of each, with --compare-chunks")
    args = parser.parse_args()
    result = asyncio.run(
        compare_chunks(args.recipients, args.postgres, args.compare_chunks, args.pairs)
        if args.compare_chunks
        else main(args.recipients, args.postgres)
    )
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:36} {value}")
