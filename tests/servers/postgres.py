"""A throwaway PostgreSQL server from Debian's packages, on 127.0.0.1, for one test session.

The postmaster is the test process's own child (not pg_ctl's daemon), so it is stopped with an
immediate shutdown when the test process ends, even when it is killed (tests/servers/lifetime.py).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.servers.lifetime import die_with_parent
from tests.servers.ports import free_port

START_SECONDS = 60.0


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory, if any."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _server_user() -> dict[str, Any]:
    """PostgreSQL refuses to run as root; as root, run it as the `postgres` system user."""
    if os.geteuid() != 0:
        return {}
    return {"user": "postgres", "group": "postgres", "extra_groups": []}


@contextmanager
def running_postgres() -> Iterator[str]:
    """Start a server in a fresh directory; yield an asyncpg SQLAlchemy URL; stop and delete it."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (Debian package postgresql)")
    root = Path(tempfile.mkdtemp(prefix="komek-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
    port = free_port()
    try:
        subprocess.run(
            [
                str(bin_dir / "initdb"),
                *("-D", str(data), "-U", "komek", "--auth=trust", "--encoding=UTF8", "--no-sync"),
            ],
            check=True,
            capture_output=True,
            timeout=120,
            **_server_user(),
        )
        options = ("-p", str(port), "-k", str(root), "-h", "127.0.0.1", "-c", "fsync=off")
        with (root / "log").open("wb") as log:
            server = subprocess.Popen(
                [str(bin_dir / "postgres"), "-D", str(data), *options],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent(signal.SIGQUIT),  # SIGQUIT: immediate shutdown
                **_server_user(),
            )
        try:
            _wait_until_ready(server, data, root / "log")
            yield f"postgresql+asyncpg://komek@127.0.0.1:{port}/postgres"
        finally:
            server.send_signal(signal.SIGQUIT)
            try:
                server.wait(60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _wait_until_ready(server: subprocess.Popen[bytes], data: Path, log: Path) -> None:
    """Wait, as pg_ctl -w does, for the postmaster to write "ready" in postmaster.pid."""
    deadline = time.monotonic() + START_SECONDS
    pid_file = data / "postmaster.pid"
    while True:
        lines = pid_file.read_text().splitlines() if pid_file.exists() else []
        if len(lines) >= 8 and lines[0] == str(server.pid) and lines[7].strip() == "ready":
            return
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"PostgreSQL did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.05)
