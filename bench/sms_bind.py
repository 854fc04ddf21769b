"""SMS throughput of one SMPP bind with delivery receipts on, against node-smpp's SMSC.

    PYTHONPATH=. .venv/bin/python bench/sms_bind.py --messages 2000 --throughput 1000

Starts node-smpp 0.5.1's server (tests/interop/node_smsc.js, npm packages from
tests/node) on 127.0.0.1, binds one SmppChannel as a transceiver, sends the messages (a
Russian alert text in UCS-2, one part, or --long for a three-part one) as the fan-out does, and
waits until every part's delivery receipt has come back. Prints messages and parts a second,
the CPU seconds of this process per message, and the calibration figure.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alerts.channels.base import Sent
from bench.calibration import calibration_seconds
from tests.alerts.recording import RecordingEvents
from tests.alerts.smpp_helpers import deliver, open_channel, phone, sms
from tests.interop.node_peers import NodeSmsc

SHORT = "Выйдите из здания. Землетрясение. Ответьте 1 или 2."
LONG = (
    "Выйдите из здания сейчас. Сильное землетрясение в Алматинской области. Идите на открытое "
    "место, подальше от стен и проводов. Не пользуйтесь лифтом. Ответьте 1, если вы в "
    "безопасности, 2, если нужна помощь."
)


async def run(messages: int, throughput: float, window: int, text: str) -> None:
    events = RecordingEvents()
    async with (
        NodeSmsc() as smsc,
        open_channel(smsc, events, throughput=throughput, window=window) as channel,
    ):
        sending = asyncio.Semaphore(4 * window)  # as the fan-out: a bounded number in hand

        async def one(number: int) -> Sent:
            async with sending:
                return await deliver(channel, sms(phone(number), text, number))

        cpu, wall = time.process_time(), time.perf_counter()
        sent = await asyncio.gather(*(one(n) for n in range(messages)))
        parts = sum(max(1, len(one.part_ids)) for one in sent)
        await events.wait_for(lambda: len(events.receipts) >= parts, 600)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"messages {messages}, parts {parts}, window {window}, throughput limit {throughput:g}/s")
    print(f"receipts back for every part in {wall:.2f} s")
    print(f"messages/s {messages / wall:.0f}, parts/s {parts / wall:.0f}")
    print(f"CPU per message in this process {cpu / messages * 1000:.2f} ms")
    print(f"calibration (CPU s of the fixed loop) {calibration_seconds():.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--throughput", type=float, default=1000.0)
    parser.add_argument("--window", type=int, default=10)
    parser.add_argument("--long", action="store_true", help="three UCS-2 parts a message")
    args = parser.parse_args()
    asyncio.run(run(args.messages, args.throughput, args.window, LONG if args.long else SHORT))


if __name__ == "__main__":
    main()
