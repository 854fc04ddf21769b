"""Booking under load: 200 people say "yes" to their read-back at the same moment.

    .venv/bin/python bench/booking.py --users 200

`komek run` (sandbox, bot, SQLite) runs in its own process. Every simulated person onboards
as deaf, asks for a sign-language interpreter on a weekday in the coming two weeks at an hour
of the office day, and gets the booking read back. Then all of them answer "yes" at once; the
figure is the time from sending "yes" to the arrival of the bot's answer (booked, or the
slot was just taken). Prints JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta

from komek_process import percentile, running_komek

from sandbox.sim_user import SimUser, message_text

HOURS = [9, 10, 11, 12, 14, 15, 16, 17]


def weekdays(count: int) -> list[date]:
    days, day = [], datetime.now(UTC).date()
    while len(days) < count:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days


async def prepare(user: SimUser, day: date, hour: int) -> None:
    for text, replies in (("/start", 1), ("3", 1), ("1", 2), ("3, 4", 2)):
        await user.send_text(text)
        await user.wait_for_bot_messages(replies, timeout=120)
    ask = f"book a sign language interpreter on {day:%d.%m.%Y} at {hour}:00 for 1 hour"
    await user.send_text(ask)
    await user.wait_for_bot_messages(3, timeout=120)


async def confirm(user: SimUser, start: asyncio.Event) -> tuple[float, str]:
    await start.wait()
    started = time.perf_counter()
    await user.send_text("yes")
    (answer, *_) = await user.wait_for_bot_messages(1, timeout=120)
    return time.perf_counter() - started, message_text(answer)


async def run(users: int) -> dict[str, object]:
    rng = random.Random(7)
    days = weekdays(10)
    async with running_komek() as client:
        people = [await client.add_user(f"person{i}") for i in range(users)]
        await asyncio.gather(*(prepare(p, rng.choice(days), rng.choice(HOURS)) for p in people))
        start = asyncio.Event()
        waiting = [asyncio.create_task(confirm(p, start)) for p in people]
        await asyncio.sleep(0.5)
        started = time.perf_counter()
        start.set()
        results = await asyncio.gather(*waiting)
        elapsed = time.perf_counter() - started
    ms = [seconds * 1000 for seconds, _ in results]
    booked = sum(1 for _, text in results if text.startswith("Booked:"))
    return {
        "people": users,
        "booked": booked,
        "refused_slot_taken": users - booked,
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(percentile(ms, 0.95), 1),
        "max_ms": round(max(ms), 1),
        "all_answered_in_s": round(elapsed, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.users))))


if __name__ == "__main__":
    main()
