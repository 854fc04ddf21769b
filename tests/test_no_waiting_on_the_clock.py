"""Tests never wait on the wall clock or time themselves: time is injected and moved
(core.clock.ManualClock), speed is measured in bench/. Only tests marked `realtime` (system
tests of processes, servers and threads on the real clock) may sleep or read a timer."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent
TIMERS = {"sleep", "perf_counter", "process_time", "monotonic", "time"}
"""time.sleep, asyncio.sleep, time.perf_counter, … (asyncio.sleep(0), a yield, is allowed)."""

HELPERS = {
    "waiting.py": "until(): polls for what another task or process brings about, to a deadline",
    "bot/conftest.py": "the injected sleep of the reply sender, recording waits without waiting",
    "servers/komek_cluster.py": "real komek processes for the realtime deploy tests",
    "servers/redis.py": "starts Debian's redis-server and waits for it to answer",
    "servers/smsc.py": "the loopback SMS centre: its receipt delay is what a real SMSC does",
    "servers/postgres.py": "starts Debian's PostgreSQL and waits for it to answer",
    "alerts/test_http_sms.py": "the loopback Kannel fixture answers slowly when a test asks it to",
    "console/event_stream.py": "notes when each event arrived, for bench/console.py only",
    "hostile/running.py": "a health probe timing answers, recorded for the report, not asserted",
}


def _marked_realtime(decorators: list[ast.expr]) -> bool:
    return any("realtime" in ast.unparse(decorator) for decorator in decorators)


def _timer_calls(node: ast.AST) -> list[int]:
    lines = []
    for call in ast.walk(node):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
            continue
        if call.func.attr not in TIMERS or ast.unparse(call.func.value) not in ("time", "asyncio"):
            continue
        if call.func.attr == "sleep" and ast.unparse(call.args[0]) in ("0", "0.0"):
            continue
        lines.append(call.lineno)
    return lines


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module_realtime = any(
        isinstance(node, ast.Assign)
        and any(ast.unparse(target) == "pytestmark" for target in node.targets)
        and "realtime" in ast.unparse(node.value)
        for node in tree.body
    )
    offences = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            realtime = module_realtime or _marked_realtime(node.decorator_list)
            if not realtime:
                offences += [f"{path.relative_to(TESTS)}:{line}" for line in _timer_calls(node)]
    return offences


def test_only_realtime_tests_sleep_or_time_themselves() -> None:
    offences = []
    for path in sorted(TESTS.rglob("*.py")):
        relative = path.relative_to(TESTS).as_posix()
        if relative in HELPERS or relative.startswith("node/") or path == Path(__file__):
            continue
        offences += _offences(path)
    assert offences == [], "mark these `realtime` or move the clock instead:\n" + "\n".join(
        offences
    )
