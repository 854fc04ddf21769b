"""`komek run` in its own process on a free port, for benchmarks that talk to it as users."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sandbox.client import SandboxClient


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@asynccontextmanager
async def running_komek() -> AsyncIterator[SandboxClient]:
    """Start `komek run` on a fresh data directory; a client for its sandbox; stop it after."""
    port = free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="komek-bench-"))
    env = {
        **os.environ,
        "KOMEK_SANDBOX_PORT": str(port),
        "KOMEK_DATA_DIR": str(data_dir),
        "KOMEK_FLOOD_MESSAGES": "1000",
        "KOMEK_LOG_LEVEL": "WARNING",
    }
    komek = str(Path(sys.executable).with_name("komek"))
    process = await asyncio.create_subprocess_exec(
        komek, "run", env=env, stdout=asyncio.subprocess.DEVNULL
    )
    try:
        async with SandboxClient(f"http://127.0.0.1:{port}") as client:
            for _ in range(600):
                if process.returncode is not None:
                    raise SystemExit("komek run exited during start-up")
                try:
                    await client.health()
                    break
                except OSError:  # not listening yet
                    await asyncio.sleep(0.1)
            else:
                raise SystemExit("komek run did not start in 60 s")
            yield client
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 30)
        shutil.rmtree(data_dir, ignore_errors=True)
