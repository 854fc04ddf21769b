"""Fan-out throughput with 1, 2 and 3 worker processes on one machine, and where the CPU goes.

    .venv/bin/python bench/scale.py --recipients 20000 --workers 1,2,3 [--repeat 2] [--json]

The layout of tests/deploy/test_scale_out.py (tests/servers/komek_cluster.py): PostgreSQL and
Redis from Debian's packages on 127.0.0.1, the sandbox Bot API in its own process answering at
once with no rate limit (the system's own capacity), `komek console` (the alert comes in as a
trusted sender's POST /api/cap), `komek scheduler`, and N `komek worker`s. For each N, one
alert to every registrant (deaf people with Telegram in Almaty, text messages):

- `deliveries_per_s`: recipients over the time from the console's 202 to the last message
  arriving at the sandbox (planning, claiming, sending and recording all included);
- `planning_s`: from the 202 until every recipient is in the ledger (one worker plans);
- `cpu_percent`: CPU time of each process over that time, as a percentage of one core (the
  machine's total is 100 % times its cores), read from /proc; `other_processes` is what the
  rest of the machine used meanwhile; `cpu_ms_per_delivery`, the CPU each kind of process
  spent per delivery, depends little on what else runs. On a shared machine, `--repeat`
  runs each count again and reports the run the other processes disturbed least (every run
  is in `runs`).

The workers are stopped (SIGTERM) between runs; the database keeps every run's ledger.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path[:] = [path for path in sys.path if Path(path).resolve() != Path(__file__).parent]
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from alerts.cap.export import to_xml  # noqa: E402
from alerts.models import Alert  # noqa: E402
from bench.fanout import cap_alert  # noqa: E402
from tests.servers.cpu import machine_busy_seconds  # noqa: E402
from tests.servers.komek_cluster import Cluster, running_cluster, services_missing  # noqa: E402

SETTINGS = {
    "KOMEK_TELEGRAM_ALERT_RATE": "0",  # no send limit: the sandbox allows any rate
    "KOMEK_ALERT_BATCH_SIZE": "500",
    # Nobody answers in a benchmark: a Severe alert would be sent again after 10 minutes,
    # in the middle of a later run. A day later is after the benchmark.
    "KOMEK_ALERT_ESCALATION_MINUTES": "1440",
}
GROUPS = ("worker", "console", "scheduler", "sandbox", "postgresql", "redis", "bench")


def _bench_cpu() -> float:
    times = os.times()
    return times.user + times.system


def _by_group(cpu: dict[str, float]) -> dict[str, float]:
    grouped = dict.fromkeys(GROUPS, 0.0)
    for name, seconds in cpu.items():
        grouped[name.rsplit("-", 1)[0]] += seconds
    return grouped


async def one_run(cluster: Cluster, workers: int, recipients: int, run: int) -> dict[str, object]:
    """Start `workers` workers, send one alert to everyone, measure, stop the workers."""
    started = [cluster.start_worker() for _ in range(workers)]
    await cluster.ready()
    await cluster.sandbox.set_network(latency_ms=0, send_rate=0)  # also zeroes its counters
    machine_before = machine_busy_seconds()
    before = _by_group(cluster.cpu()) | {"bench": _bench_cpu()}
    worker_before = [worker.cpu_seconds() for worker in started]
    approved = time.time()
    alert_id = await cluster.post_cap(to_xml(cap_alert(f"bench-scale-{workers}-{run}")))
    await cluster.wait_sent(alert_id, recipients, seconds=600, every=0.5)
    after = _by_group(cluster.cpu()) | {"bench": _bench_cpu()}
    machine = machine_busy_seconds() - machine_before
    per_worker = [w.cpu_seconds() - b for w, b in zip(started, worker_before, strict=True)]
    measured = time.time() - approved
    network = await cluster.sandbox.request("GET", "network")
    wall = float(network["last_admitted_at"]) - approved
    async with cluster.sessions() as session:
        planned = await session.scalar(select(Alert.planned_at).where(Alert.id == alert_id))
    assert planned is not None
    for worker in started:
        await worker.stop(signal.SIGTERM)
    cpu = {group: round(100 * (after[group] - before[group]) / measured) for group in GROUPS}
    ours = sum(cpu.values())
    busy = round(100 * machine / measured)
    return {
        "workers": workers,
        "deliveries_per_s": round(recipients / wall, 1),
        "seconds": round(wall, 2),
        "time_to_first_message_s": round(float(network["first_admitted_at"]) - approved, 3),
        "planning_s": round(planned.timestamp() - approved, 2),
        "cpu_percent": cpu | {"total": ours, "other_processes": max(0, busy - ours)},
        "machine_busy_percent": busy,
        "cpu_percent_per_worker": round(100 * statistics.mean(per_worker) / measured),
        "cpu_ms_per_delivery": {
            group: round(1000 * (after[group] - before[group]) / recipients, 3) for group in GROUPS
        },
    }


async def main(recipients: int, counts: list[int], repeat: int) -> dict[str, object]:
    missing = services_missing()
    if missing is not None:
        raise SystemExit(missing)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="komek-scale-") as root:
        async with running_cluster(Path(root), env=SETTINGS) as cluster:
            await cluster.register(recipients)
            await cluster.ready()
            runs = []
            for run in range(repeat):
                for workers in counts:
                    runs.append(await one_run(cluster, workers, recipients, run))
    quietest = {}
    for workers in counts:
        mine = [result for result in runs if result["workers"] == workers]
        quietest[workers] = min(mine, key=_disturbance)
    return {
        "recipients": recipients,
        "cores": os.cpu_count(),
        "load_average_before": round(load_before, 2),
        "results": [quietest[workers] for workers in counts],
        "runs": runs,
    }


def _disturbance(result: dict[str, object]) -> int:
    """CPU the machine's other processes took during a run (on a shared machine)."""
    cpu = result["cpu_percent"]
    assert isinstance(cpu, dict)
    return int(cpu["other_processes"])


def table(report: dict[str, object]) -> str:
    results = report["results"]
    assert isinstance(results, list)
    lines = [
        "| workers | deliveries/s | first message | planning done | CPU per worker | "
        "workers | PostgreSQL | Redis | sandbox | console + scheduler | all of ours | "
        "other processes |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        cpu = result["cpu_percent"]
        lines.append(
            f"| {result['workers']} | {result['deliveries_per_s']:,} | "
            f"{result['time_to_first_message_s']} s | {result['planning_s']} s | "
            f"{result['cpu_percent_per_worker']} % | {cpu['worker']} % | {cpu['postgresql']} % | "
            f"{cpu['redis']} % | {cpu['sandbox']} % | {cpu['console'] + cpu['scheduler']} % | "
            f"{cpu['total']} % | {cpu['other_processes']} % |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--workers", default="1,2,3", help="worker counts, comma-separated")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per count; the least disturbed is reported"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    counts = [int(count) for count in args.workers.split(",")]
    report = asyncio.run(main(args.recipients, counts, args.repeat))
    print(json.dumps(report) if args.json else table(report))
