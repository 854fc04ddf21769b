"""Kömek as separate processes on one machine, laid out as in production.

PostgreSQL and Redis from Debian's packages on 127.0.0.1, the sandbox Bot API in its own
process (standing in for Telegram), `komek console` (alerts come in through its `POST
/api/cap`, from a trusted sender), `komek scheduler`, and as many `komek worker` processes as
the caller starts, stops, kills and restarts. The multi-process tests and `bench/scale.py`
share it. CPU time of every process is read from /proc, to say where the cores went.

    async with running_cluster(tmp_path, env={...}) as cluster:
        workers = [cluster.start_worker() for _ in range(3)]
        people = await cluster.register(20_000)  # while the processes start
        await cluster.ready()
        alert_id = await cluster.post_cap(document)
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from sqlalchemy import func, select

from alerts.cap.model import CapAlert
from alerts.models import Alert, Delivery
from alerts.service import AlertService
from cli.alerts_runtime import alert_system
from core.clock import SystemClock
from core.database import SessionFactory, create_engine, session_factory, upgrade
from core.i18n import Catalogs
from core.settings import Settings
from core.staff.accounts import StaffAccounts
from sandbox.client import SandboxClient
from tests.alerts.broadcast import SENDER, add_registrants, alert
from tests.servers.cpu import cpu_seconds, listening_pid
from tests.servers.lifetime import die_with_parent
from tests.servers.ports import free_port
from tests.servers.postgres import postgres_bin, running_postgres
from tests.servers.redis import redis_bin, running_redis

ROOT = Path(__file__).resolve().parents[2]
KOMEK = Path(sys.executable).with_name("komek")
TOKEN = "123456:komek-cluster"
CAP_SENDER = "cluster-authority"
"""The CAP API sender the alerts come from; trusted, so its Actual alerts go out at once."""
START_SECONDS = 90.0
"""A `komek` process imports aiogram and more: seconds of CPU, longer on a busy machine."""


def current_alert(identifier: str) -> CapAlert:
    """An Actual, Extreme earthquake alert for Almaty (kk, ru, en), sent now, valid 6 hours."""
    now = datetime.now(UTC).replace(microsecond=0)
    template = alert(identifier)
    infos = tuple(
        dataclasses.replace(info, expires=now + timedelta(hours=6)) for info in template.infos
    )
    return dataclasses.replace(template, sent=now, infos=infos)


def services_missing() -> str | None:
    """Why the cluster cannot run here (a Debian package missing), or None."""
    if postgres_bin() is None:
        return "PostgreSQL from Debian packages is not installed"
    if redis_bin() is None:
        return "redis-server from Debian packages is not installed"
    return None


@dataclass
class KomekProcess:
    """One `komek …` process, its output in a log file."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    ready_line: str
    """What it logs once it is serving."""

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def worker(self) -> str:
        """How the ledger's `worker` column names this process."""
        return f"{socket.gethostname()}:{self.pid}"

    def running(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid) if self.running() else 0.0

    async def ready(self) -> None:
        await self.wait_for_line(self.ready_line)

    async def wait_for_line(self, text: str, seconds: float = START_SECONDS) -> None:
        """Wait until the process has logged `text` (it started, it stopped…)."""
        deadline = time.monotonic() + seconds
        while text not in self.output():
            if not self.running():
                raise RuntimeError(f"{self.name} exited:\n{self.output()[-3000:]}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name} did not log {text!r}:\n{self.output()[-3000:]}")
            await asyncio.sleep(0.05)

    async def stop(self, signum: int = signal.SIGTERM, seconds: float = 30.0) -> float:
        """Send `signum` and wait for the exit; returns how long it took, in seconds."""
        started = time.monotonic()
        if self.running():
            self.popen.send_signal(signum)
        while self.running():
            if time.monotonic() - started > seconds:
                self.popen.kill()
                self.popen.wait()
                raise TimeoutError(f"{self.name} did not stop within {seconds} s")
            await asyncio.sleep(0.02)
        return time.monotonic() - started


@dataclass
class People:
    """The registrants of a cluster: their Telegram chats and the phones that get SMS."""

    chats: range
    phones: list[str] = field(default_factory=list)


@dataclass
class Cluster:
    env: dict[str, str]
    database_url: str
    redis_url: str
    settings: Settings
    sessions: SessionFactory
    sandbox: SandboxClient
    sandbox_pid: int
    logs: Path
    scheduler_runs: bool
    console_url: str = ""
    sender_token: str = ""
    processes: list[KomekProcess] = field(default_factory=list)
    _count: dict[str, int] = field(default_factory=dict)

    def start(self, name: str, *args: str, ready_line: str) -> KomekProcess:
        number = self._count[name] = self._count.get(name, 0) + 1
        log = self.logs / f"{name}-{number}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                [str(KOMEK), *args],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
                preexec_fn=die_with_parent(signal.SIGTERM),  # stops if the tests are killed
            )
        process = KomekProcess(f"{name}-{number}", popen, log, ready_line)
        self.processes.append(process)
        return process

    def start_worker(self) -> KomekProcess:
        """A `komek worker`, starting (`await worker.ready()` to know it is listening)."""
        args = ["worker", "--no-ticks"] if self.scheduler_runs else ["worker"]
        return self.start("worker", *args, ready_line="worker.started")

    async def ready(self) -> None:
        """Wait until every process started so far is serving (they start side by side)."""
        await asyncio.gather(*(process.ready() for process in self.processes if process.running()))

    def workers(self) -> list[KomekProcess]:
        return [p for p in self.processes if p.name.startswith("worker") and p.running()]

    async def register(self, count: int, *, sms_every: int = 0, blind_every: int = 0) -> People:
        """`count` deaf people in Almaty with Telegram; every `sms_every`-th also wants SMS,
        every `blind_every`-th is blind (a voice note, and an SMS when they have a phone)."""
        chats = await self.sandbox.add_users(count)
        phones = []
        rows: list[dict[str, object]] = []
        for number, chat in enumerate(chats):
            row: dict[str, object] = {"telegram_chat_id": chat}
            if blind_every and number % blind_every == 0:
                row["disability_kinds"] = ["blind"]
            if sms_every and number % sms_every == 0:
                row |= {"phone": f"+7701{number:07d}", "wants_sms": True}
                phones.append(f"+7701{number:07d}")
            rows.append(row)
        await add_registrants(self.sessions, rows)
        return People(chats, phones)

    async def post_cap(self, document: bytes) -> int:
        """Send a CAP alert as the trusted authority through the console; its id."""
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                f"{self.console_url}/api/cap",
                data=document,
                headers={
                    "Authorization": f"Bearer {self.sender_token}",
                    "Content-Type": "application/cap+xml",
                },
            ) as response,
        ):
            body = await response.json()
            if response.status != 202:
                raise RuntimeError(f"POST /api/cap answered {response.status}: {body}")
            return int(body["id"])

    @asynccontextmanager
    async def alert_service(self) -> AsyncIterator[AlertService]:
        """Alerts handed to the workers from this process, as the console does."""
        async with alert_system(
            self.settings,
            self.sessions,
            SystemClock(),
            bot=None,
            catalogs=Catalogs.load(),
            voice=None,
            sends=False,
        ) as system:
            yield system.service

    async def wait_planned(self, alert_id: int, seconds: float) -> None:
        """Wait until every recipient of the alert is in the ledger."""
        deadline = time.monotonic() + seconds
        while True:
            async with self.sessions() as session:
                planned = await session.scalar(select(Alert.planned_at).where(Alert.id == alert_id))
            if planned is not None:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"alert {alert_id} not planned after {seconds} s")
            await asyncio.sleep(0.1)

    async def sent(self, alert_id: int) -> int:
        """Deliveries of the alert with an outcome from the channel (sent or delivered)."""
        async with self.sessions() as session:
            count = await session.scalar(
                select(func.count()).where(
                    Delivery.alert_id == alert_id, Delivery.state.in_(("sent", "delivered"))
                )
            )
        return int(count or 0)

    async def wait_sent(
        self, alert_id: int, at_least: int, seconds: float, *, every: float = 0.1
    ) -> None:
        deadline = time.monotonic() + seconds
        while (done := await self.sent(alert_id)) < at_least:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{done} of {at_least} sent after {seconds} s")
            await asyncio.sleep(every)

    def cpu(self) -> dict[str, float]:
        """CPU seconds so far of every running process of the cluster, by name."""
        result = {process.name: process.cpu_seconds() for process in self.processes}
        result["sandbox"] = cpu_seconds(self.sandbox_pid)
        for name, url in (("postgresql", self.database_url), ("redis", self.redis_url)):
            port = int(url.rsplit(":", 1)[1].split("/", 1)[0])
            pid = listening_pid(port)
            result[name] = cpu_seconds(pid) if pid is not None else 0.0
        return result

    async def stop_all(self) -> None:
        for process in self.processes:
            if process.running():
                process.popen.send_signal(signal.SIGTERM)
        for process in self.processes:
            with suppress(TimeoutError):
                await process.stop(signal.SIGTERM, seconds=30.0)


@contextmanager
def _sandbox_process(logs: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = free_port()
    with (logs / "sandbox.log").open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "sandbox", "--port", str(port)],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent(signal.SIGTERM),
        )
    try:
        yield process, f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


async def _until_up(client: SandboxClient, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            await client.health()
            return
        except aiohttp.ClientError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)


@asynccontextmanager
async def running_cluster(
    root: Path,
    *,
    env: Mapping[str, str] | None = None,
    console: bool = True,
    scheduler: bool = True,
) -> AsyncIterator[Cluster]:
    """PostgreSQL, Redis, the sandbox, the console and the scheduler; the workers are the
    caller's to start. The processes are starting when the block begins: `await
    cluster.ready()` before using them. `env` adds or overrides KOMEK_* settings of every
    process. Without the scheduler, the workers tick escalation and the sweep themselves."""
    logs = root / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    async with AsyncExitStack() as stack:
        database_url = stack.enter_context(running_postgres())
        redis_url = stack.enter_context(running_redis())
        sandbox_process, sandbox_url = stack.enter_context(_sandbox_process(logs))
        sandbox = await stack.enter_async_context(SandboxClient(sandbox_url))
        await _until_up(sandbox, sandbox_process)
        full_env = os.environ | {
            "KOMEK_ENVIRONMENT": "test",
            "KOMEK_DATA_DIR": str(root / "var"),
            "KOMEK_DATABASE_URL": database_url,
            "KOMEK_REDIS_URL": redis_url,
            "KOMEK_TELEGRAM_TOKEN": TOKEN,
            "KOMEK_TELEGRAM_API_URL": sandbox_url,
            "KOMEK_SMS_BACKEND": "none",
            "KOMEK_CONSOLE_PORT": str(free_port()),
            "KOMEK_CAP_TRUSTED_SENDERS": CAP_SENDER,
            "KOMEK_OPS_PORT": "0",  # several processes on one machine: no ops server each
            "KOMEK_LOG_LEVEL": "INFO",
            **(env or {}),
        }
        settings = Settings(
            _env_file=None,
            **{  # type: ignore[arg-type]
                key.removeprefix("KOMEK_").lower(): value
                for key, value in full_env.items()
                if key.startswith("KOMEK_")
            },
        )
        engine = create_engine(settings)
        stack.push_async_callback(engine.dispose)
        await upgrade(engine)  # once, before several processes would race to do it
        cluster = Cluster(
            env=full_env,
            database_url=database_url,
            redis_url=redis_url,
            settings=settings,
            sessions=session_factory(engine),
            sandbox=sandbox,
            sandbox_pid=sandbox_process.pid,
            logs=logs,
            scheduler_runs=scheduler,
        )
        stack.push_async_callback(cluster.stop_all)
        if console:
            # What `komek api-senders create` does, without a process start's seconds.
            accounts = StaffAccounts(cluster.sessions, SystemClock())
            cluster.sender_token = await accounts.api_senders.create(
                CAP_SENDER, actor="test", cap_senders=[SENDER]
            )
            cluster.start("console", "console", ready_line="Staff console at")
            cluster.console_url = f"http://127.0.0.1:{full_env['KOMEK_CONSOLE_PORT']}"
        if scheduler:
            cluster.start("scheduler", "scheduler", ready_line="scheduler.started")
        yield cluster
