"""The PostgreSQL and Redis servers a test starts stop when the test process is killed.

A test run killed from outside (a CI timeout, kill -9) left its PostgreSQL running: pg_ctl had
started it as a daemon, so nothing stopped it. Now each server is the test process's own child
with a parent-death signal (tests/servers/lifetime.py). Here a child Python starts a server and
is killed with SIGKILL; the server and every process it started must then go away.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.conftest import need
from tests.servers.cpu import listening_pid
from tests.servers.postgres import postgres_bin
from tests.servers.redis import redis_bin
from tests.waiting import until

pytestmark = pytest.mark.realtime

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import sys
from tests.servers.{0} import running_{0}
with running_{0}() as url:
    print(url, flush=True)
    sys.stdin.read()
"""
Process = tuple[int, str]
"""A pid and its start time (so a pid used again later is not taken for the same process)."""


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _process(pid: int) -> Process | None:
    fields = _stat(pid)
    return (pid, fields[19]) if fields else None  # field 22 of stat: the start time


def _running(process: Process) -> bool:
    """Whether the process is still there and has not exited (a zombie has exited)."""
    fields = _stat(process[0])
    return fields is not None and fields[19] == process[1] and fields[0] not in {"Z", "X"}


def _tree(pid: int) -> list[Process]:
    """The process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        fields = _stat(int(entry.name)) if entry.name.isdigit() else None
        if fields:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        process = _process(current)
        if process is not None:
            found.append(process)
            todo += children.get(current, [])
    return found


def _folder_of(pid: int) -> Path:
    """The server's temporary folder (both servers work in it: PostgreSQL in its data/)."""
    folder = Path(os.readlink(f"/proc/{pid}/cwd"))
    return folder.parent if folder.name == "data" else folder


@pytest.fixture
async def child_server(request: pytest.FixtureRequest) -> AsyncIterator[list[Process]]:
    """Start a server from a child Python, kill that child with SIGKILL, and yield the
    server's processes (found by the port it listens on, whoever its parent is)."""
    kind = request.param
    found = postgres_bin() is not None if kind == "postgres" else redis_bin() is not None
    need(found, f"{kind} from Debian packages is not installed")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CHILD.format(kind), cwd=ROOT, env=env, stdin=-1, stdout=-1
    )
    assert child.stdout is not None
    url = (await asyncio.wait_for(child.stdout.readline(), 120)).decode().strip()
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    server = listening_pid(port)
    assert server is not None, f"nothing listens on {port}"
    processes, folder = _tree(server), _folder_of(server)
    child.kill()  # SIGKILL: no `finally` of the child runs
    await child.wait()
    try:
        yield processes
    finally:
        for pid, _ in (p for p in processes if _running(p)):
            os.kill(pid, signal.SIGKILL)  # leave no server behind when the test fails
        if folder.name.startswith("komek-"):
            shutil.rmtree(folder, ignore_errors=True)  # what the killed child could not delete


async def _all_gone(processes: list[Process]) -> None:
    async def gone() -> bool:
        return not any(_running(process) for process in processes)

    await until(gone, seconds=60, every=0.05)


@pytest.mark.postgres
@pytest.mark.parametrize("child_server", ["postgres"], indirect=True)
async def test_postgres_stops_when_the_test_process_is_killed(
    child_server: list[Process],
) -> None:
    assert len(child_server) > 1, "the postmaster and the processes it started"
    await _all_gone(child_server)


@pytest.mark.parametrize("child_server", ["redis"], indirect=True)
async def test_redis_stops_when_the_test_process_is_killed(child_server: list[Process]) -> None:
    await _all_gone(child_server)
