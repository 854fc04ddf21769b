"""Text-turn latency: simulated users chat with `komek run` (sandbox, bot, SQLite) at once.

Starts `komek run` in its own process on a free port, onboards every user, then lets each user
send a message, wait for the bot's reply, "think" for a while, and send the next, for a fixed
time. Prints JSON: p50/p95/p99 reply time (from sending to the first message of the reply)
and replies per second.

    .venv/bin/python bench/text_turn.py --users 200 --duration 30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time

from komek_process import percentile, running_komek

from sandbox.sim_user import SimUser

MESSAGES = ["help", "my data", "repeat", "what can you do", "2", "мои данные", "қайтала", "menu"]


async def onboard(user: SimUser) -> None:
    for text, replies in (("/start", 1), ("3", 1), ("1", 2), ("skip", 2)):
        await user.send_text(text)
        await user.wait_for_bot_messages(replies, timeout=60)


async def chat(user: SimUser, until: float, think: tuple[float, float], out: list[float]) -> None:
    rng = random.Random(user.user_id)
    await asyncio.sleep(rng.uniform(*think))  # users do not all start on the same tick
    while time.monotonic() < until:
        started = time.perf_counter()
        await user.send_text(rng.choice(MESSAGES))
        await user.wait_for_bot_messages(1, timeout=60)
        out.append(time.perf_counter() - started)
        await asyncio.sleep(rng.uniform(*think))


async def run(users: int, duration: float, think: tuple[float, float]) -> dict[str, object]:
    async with running_komek() as client:
        people = [await client.add_user(f"user{i}") for i in range(users)]
        await asyncio.gather(*(onboard(person) for person in people))
        for person in people:
            await person.sync()
        latencies: list[float] = []
        started = time.monotonic()
        until = started + duration
        await asyncio.gather(*(chat(p, until, think, latencies) for p in people))
        elapsed = time.monotonic() - started
    ms = [value * 1000 for value in latencies]
    return {
        "users": users,
        "duration_s": round(elapsed, 1),
        "think_time_s": list(think),
        "replies": len(ms),
        "replies_per_s": round(len(ms) / elapsed, 1),
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(percentile(ms, 0.95), 1),
        "p99_ms": round(percentile(ms, 0.99), 1),
        "max_ms": round(max(ms), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--think-min", type=float, default=2.0)
    parser.add_argument("--think-max", type=float, default=4.0)
    args = parser.parse_args()
    result = asyncio.run(run(args.users, args.duration, (args.think_min, args.think_max)))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
