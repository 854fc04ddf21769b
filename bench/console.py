"""Following a big alert in the console: approval to first delivery, and SSE update latency.

    .venv/bin/python bench/console.py --recipients 100000 --json [--viewers N]

Everything runs as `komek run` has it, in one process: the console (uvicorn), the embedded
fan-out, SQLite. The sandbox Bot API runs in its own process and answers at once (as in
bench/fanout.py, whose helpers this reuses). `--viewers` dispatchers (aiohttp clients, signed
in) subscribe to the alert's event stream before it is approved; the approver then approves
it with the console's own route, `POST /alerts/{id}/approve`.

- `approve_to_first_delivery_s`: from sending the approver's POST to the `sent_at` of the
  first row of the delivery ledger that reached "sent".
- `sse_latency_*`: for every delivery that reached "sent", from its `sent_at` to the arrival
  at a viewer of the first event whose sent count includes it. `sent_at` is stamped when the
  fan-out starts writing the outcome, so this includes its wait for the database. Split in
  two at the read that first saw it (the event's `as_of`): `until_read_p50_ms` (writing it,
  and waiting for the next read) and `read_to_viewer_p50_ms` (reading, sending). The viewers
  share the process's event loop with the server and the fan-out, as a browser would not.
- `status_read_ms`: one read of the alert's figures (AlertService.status) once all is sent.
- `--pictures-every S`: each viewer also fetches the alert page's map and chart
  (`GET /alerts/{id}/pictures`, as the page's script does at most every 15 s) every S seconds
  during the send; `pictures_fetches` and `pictures_p50_ms` say how many and how long, and
  `pictures_reads` / `pictures_drawings` how many of them were read and drawn anew (the rest
  were kept for every viewer, console/picture_store.py). After the send,
  `pictures_cpu_anew_ms` / `pictures_cpu_kept_ms`: the process's CPU for one fetch (median of
  5, the client's share included), read and drawn anew and kept. Compare `all_sent_s` with and
  without to see what drawing them costs the fan-out (issue 21).
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

sys.path[:] = [path for path in sys.path if Path(path).resolve() != Path(__file__).parent]
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from alerts.cap.export import to_xml  # noqa: E402
from alerts.models import Delivery  # noqa: E402
from bench.calibration import calibration_seconds  # noqa: E402
from bench.fanout import TOKEN, cap_alert, start_sandbox, wait_for  # noqa: E402
from bookings.service import BookingService  # noqa: E402
from bot.telegram.app import build_bot  # noqa: E402
from cli.alerts_runtime import alert_system  # noqa: E402
from console.assembly import console_context  # noqa: E402
from console.picture_store import PictureStore  # noqa: E402
from console.routes.follow import PICTURES, picture_store, reads  # noqa: E402
from console.server import console_server  # noqa: E402
from core.clock import SystemClock  # noqa: E402
from core.database import create_engine, session_factory, upgrade  # noqa: E402
from core.i18n import Catalogs  # noqa: E402
from core.settings import Settings  # noqa: E402
from sandbox.client import SandboxClient  # noqa: E402
from tests.alerts.broadcast import add_registrants  # noqa: E402
from tests.console.event_stream import Event, EventStream, open_stream  # noqa: E402
from tests.console.harness import ConsoleHarness, StaffClient  # noqa: E402


def _sent(event: Event) -> int:
    totals = event.data["state_totals"]
    return int(totals["sent"]) + int(totals["delivered"])


async def _follow(stream: EventStream, everyone: int, seen: list[Event]) -> None:
    """Read events until one shows every delivery settled (sent, or failed for good).

    A stream that ends (the console ends each after a few minutes) is opened again, as a
    browser's EventSource does.
    """
    while True:
        try:
            event = await stream.next(within=600.0)
        except EOFError:
            await asyncio.sleep((stream.retry or 3000) / 1000)
            stream.response = (await open_stream(stream.http, stream.path)).response
            continue
        seen.append(event)
        totals = event.data["state_totals"]
        settled = totals["queued"] == 0 and totals["sending"] == 0
        if event.data["total"] >= everyone and settled:
            return


def latencies(sent_at: list[float], events: list[Event]) -> list[tuple[float, float]]:
    """For the i-th delivery sent, the first event counting at least i sent: (from the
    delivery's sent_at to the read that saw it, from that read to the event's arrival)."""
    counts = [_sent(event) for event in events]
    waits = []
    for rank, moment in enumerate(sorted(sent_at), start=1):
        first = bisect.bisect_left(counts, rank)  # counts only grow
        if first < len(events):
            event = events[first]
            read_at = datetime.fromisoformat(event.data["as_of"]).timestamp()
            waits.append((read_at - moment, event.received - read_at))
    return waits


def _percentile(values: list[float], share: float) -> float:
    return sorted(values)[min(len(values) - 1, int(share * len(values)))]


async def _draw(viewer: StaffClient, path: str, every: float, took: list[float]) -> None:
    """Fetch the pictures every `every` seconds until cancelled."""
    while True:
        started = time.perf_counter()
        response = await viewer.get(path)
        await response.read()
        assert response.status == 200, response.status
        took.append(time.perf_counter() - started)
        await asyncio.sleep(every)


async def run(
    recipients: int, viewers: int, settings: Settings, sandbox_url: str, pictures_every: float
) -> dict:
    engine = create_engine(settings)
    await upgrade(engine)
    sessions = session_factory(engine)
    clock = SystemClock()
    catalogs = Catalogs.load()
    async with SandboxClient(sandbox_url) as sandbox:
        await wait_for(sandbox)
        chats = await sandbox.add_users(recipients)
        await sandbox.set_network(latency_ms=0, send_rate=0)
        await add_registrants(
            sessions, [{"telegram_chat_id": chat} for chat in chats], now=datetime.now(UTC)
        )
        bot = build_bot(TOKEN, sandbox_url)
        try:
            async with alert_system(
                settings,
                sessions,
                clock,
                bot=bot,
                catalogs=catalogs,
                voice=None,
                in_flight=400,
            ) as system:
                ctx = console_context(
                    settings,
                    sessions,
                    clock,
                    alerts=system.service,
                    bookings=BookingService(sessions, clock),
                    catalogs=catalogs,
                    voice=None,
                )
                async with console_server(ctx, "127.0.0.1", 0) as url:
                    harness = ConsoleHarness(url, ctx, system, sandbox, sandbox_url)
                    try:
                        return await _measure(harness, recipients, viewers, pictures_every)
                    finally:
                        await harness.close()
        finally:
            await bot.session.close()
            await engine.dispose()


async def _measure(
    harness: ConsoleHarness, recipients: int, viewers: int, pictures_every: float
) -> dict:
    ctx, system = harness.ctx, harness.system
    await harness.add_staff("dana", "dispatcher")
    await harness.add_staff("erlan", "approver")
    stored = await system.service.receive(to_xml(cap_alert("bench-console")), actor="staff:dana")
    approver = await harness.client("erlan")
    streams = []
    drawing: list[asyncio.Task[None]] = []
    drawing_viewer: StaffClient | None = None
    drawn: list[float] = []
    for _ in range(viewers):
        viewer = await harness.client("dana")
        stream = await open_stream(viewer.http, f"/alerts/{stored.id}/events")
        await stream.next()  # the figures before approval
        streams.append(stream)
        if pictures_every > 0:
            path = f"/alerts/{stored.id}/pictures"
            drawing_viewer = viewer
            drawing.append(asyncio.create_task(_draw(viewer, path, pictures_every, drawn)))
    seen: list[list[Event]] = [[] for _ in streams]
    following = [
        asyncio.create_task(_follow(stream, recipients, events))
        for stream, events in zip(streams, seen, strict=True)
    ]

    clicked = time.time()
    response = await approver.post(f"/alerts/{stored.id}/approve")
    assert response.status == 303, f"approval refused: {response.status}"
    await system.fanout.wait_idle()
    finished = time.time()
    for task in drawing:
        task.cancel()
    await asyncio.gather(*drawing, return_exceptions=True)
    await asyncio.gather(*following)
    for stream in streams:
        await stream.close()

    async with ctx.sessions() as session:
        rows = await session.execute(
            select(Delivery.sent_at).where(
                Delivery.alert_id == stored.id, Delivery.sent_at.is_not(None)
            )
        )
        sent_at = [row.sent_at.timestamp() for row in rows]
    if pictures_every > 0:
        result_pictures = await _picture_costs(harness, drawing_viewer, stored.id)
    else:
        result_pictures = {}
    reads = []
    for _ in range(10):
        started = time.perf_counter()
        await ctx.alerts.status(stored.id)
        reads.append(time.perf_counter() - started)
    parts = [wait for events in seen for wait in latencies(sent_at, events)]
    waits = [to_read + to_viewer for to_read, to_viewer in parts]
    result: dict[str, object] = {
        "recipients": recipients,
        "viewers": viewers,
        "cores": os.cpu_count(),
        "sent": len(sent_at),
        "approve_to_first_delivery_s": round(min(sent_at) - clicked, 3),
        "all_sent_s": round(max(sent_at) - clicked, 2),
        "deliveries_per_s": round(len(sent_at) / max(1e-9, max(sent_at) - clicked), 1),
        "fanout_idle_s": round(finished - clicked, 2),
        "status_read_ms": round(statistics.median(reads) * 1000, 1),
        "pictures_every_s": pictures_every,
        "pictures_fetches": len(drawn),
        "pictures_p50_ms": round(statistics.median(drawn) * 1000, 1) if drawn else None,
        **result_pictures,
        "load_average_1m": round(os.getloadavg()[0], 2),
        "calibration_cpu_s": calibration_seconds(),
    }
    if waits:
        events = [len(events) for events in seen]
        result |= {
            "sse_events_per_viewer": round(statistics.mean(events), 1),
            "sse_latency_p50_ms": round(_percentile(waits, 0.50) * 1000, 1),
            "sse_latency_p95_ms": round(_percentile(waits, 0.95) * 1000, 1),
            "sse_latency_max_ms": round(max(waits) * 1000, 1),
            "until_read_p50_ms": round(_percentile([p[0] for p in parts], 0.50) * 1000, 1),
            "read_to_viewer_p50_ms": round(_percentile([p[1] for p in parts], 0.50) * 1000, 1),
        }
    return result


async def _picture_costs(
    harness: ConsoleHarness, viewer: StaffClient | None, alert_id: int
) -> dict[str, object]:
    """How often the send's fetches were read and drawn, and the process's CPU for one fetch
    after the send (server and client together): read and drawn anew, and kept."""
    assert viewer is not None
    ctx = harness.ctx
    store = picture_store(ctx)
    counts = {"pictures_reads": store.figures.made, "pictures_drawings": store.pieces.made}
    path = f"/alerts/{alert_id}/pictures"

    async def cpu_ms() -> float:
        started = time.process_time()
        response = await viewer.get(path)
        await response.read()
        return (time.process_time() - started) * 1000

    anew = []
    for _ in range(5):
        ctx.extras[PICTURES] = PictureStore(reads(ctx), ctx.clock, keep_seconds=0.0)
        anew.append(await cpu_ms())
    ctx.extras[PICTURES] = PictureStore(reads(ctx), ctx.clock)
    await cpu_ms()
    kept = [await cpu_ms() for _ in range(5)]
    return counts | {
        "pictures_cpu_anew_ms": round(statistics.median(anew), 1),
        "pictures_cpu_kept_ms": round(statistics.median(kept), 1),
    }


async def main(recipients: int, viewers: int, pictures_every: float) -> dict:
    with ExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="komek-console-")))
        sandbox, sandbox_url = start_sandbox()
        stack.callback(sandbox.terminate)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            environment="test",
            data_dir=data_dir,
            telegram_alert_rate=0.0,
            telegram_paid_rate=0.0,
            alert_batch_size=500,
        )
        return await run(recipients, viewers, settings, sandbox_url, pictures_every)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--viewers", type=int, default=1, help="dispatchers following it")
    parser.add_argument("--pictures-every", type=float, default=0.0, help="seconds; 0: never")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    outcome = asyncio.run(main(args.recipients, args.viewers, args.pictures_every))
    if args.json:
        print(json.dumps(outcome))
    else:
        for key, value in outcome.items():
            print(f"{key:32} {value}")
