"""A Redis server from Debian's redis-server package on a free loopback port, for one test.

It stops with the test process, even when that is killed (tests/servers/lifetime.py)."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

from tests.servers.lifetime import die_with_parent
from tests.servers.ports import free_port


def redis_bin() -> str | None:
    return shutil.which("redis-server")


@contextmanager
def running_redis() -> Iterator[str]:
    """Start redis-server without persistence; yield its URL; stop it."""
    binary = redis_bin()
    assert binary is not None
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="komek-redis-") as root:
        process = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                root,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=die_with_parent(signal.SIGTERM),
        )
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError("redis-server did not start") from None
                    time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
