"""`komek alerts send` and `komek alerts status`, run as the operator runs them."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from alerts.cap.export import to_xml
from core.database import create_engine, session_factory, upgrade
from core.settings import Settings
from sandbox.app import SandboxServer
from sandbox.client import SandboxClient
from tests.alerts.broadcast import add_registrants, alert

KOMEK = Path(sys.executable).with_name("komek")


async def _komek(env: dict[str, str], *args: str, seconds: float = 120) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        str(KOMEK),
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), seconds)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    assert process.returncode is not None
    return process.returncode, output.decode()


async def test_send_previews_sends_and_reports(tmp_path: Path) -> None:
    async with SandboxServer("127.0.0.1", 0) as sandbox, SandboxClient(sandbox.base_url) as client:
        env = os.environ | {
            "KOMEK_ENVIRONMENT": "test",
            "KOMEK_DATA_DIR": str(tmp_path / "var"),
            "KOMEK_TELEGRAM_TOKEN": "123456:cli-test",
            "KOMEK_TELEGRAM_API_URL": sandbox.base_url,
            "KOMEK_SMS_BACKEND": "none",
            "COLUMNS": "120",
        }
        settings = Settings(_env_file=None, environment="test", data_dir=tmp_path / "var")  # type: ignore[call-arg]
        engine = create_engine(settings)
        await upgrade(engine)
        chats = list(await client.add_users(3))
        await add_registrants(
            session_factory(engine),
            [
                {"telegram_chat_id": chats[0]},
                {"telegram_chat_id": chats[1], "disability_kinds": ["blind"]},
                {"telegram_chat_id": chats[2], "test_group": True},
            ],
        )
        await engine.dispose()
        document = tmp_path / "quake.xml"
        document.write_bytes(to_xml(alert("cli-quake")))

        code, output = await _komek(env, "alerts", "send", str(document), "--as", "duty-officer")
        assert code == 0, output
        assert "3 people" in output and "voice 1" in output
        assert await client.message_counts() == {chats[0]: 1, chats[1]: 1, chats[2]: 1}

        code, output = await _komek(env, "alerts", "status", "1")
        assert code == 0, output
        assert "Telegram" in output and "3 people" in output

        code, output = await _komek(env, "alerts", "send", str(document))
        assert code == 1 and "already here" in output  # the same alert is not sent twice

        broken = tmp_path / "broken.xml"
        broken.write_text("<alert>not CAP</alert>")
        code, output = await _komek(env, "alerts", "send", str(broken))
        assert code == 1 and "invalid CAP document" in output
        assert await client.message_counts() == {chats[0]: 1, chats[1]: 1, chats[2]: 1}
