"""Run the sandbox on its own: python -m sandbox [--host HOST] [--port PORT] [--token TOKEN]."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
from typing import Any

from sandbox.app import SandboxServer

logger = logging.getLogger("sandbox")


async def serve(host: str, port: int, token: str | None) -> None:
    """Serve until cancelled."""
    async with SandboxServer(host, port, token=token) as server:
        logger.info(
            "Sandbox chat page: %s/  Bot API base URL: %s", server.base_url, server.base_url
        )
        await asyncio.Event().wait()


def _freeze_survivors() -> None:
    """Keep garbage collections short, so the sandbox answers as steadily as Telegram.

    The sandbox keeps every message it was sent, a few dozen objects each. A full collection
    walks them all: at 1,000 messages a second it stopped the server for 40-60 ms every nine
    seconds, after which the calls that waited were all taken at once, as a burst Telegram
    would never see (and counted against its rate as one). Whatever survives a collection of
    the older generations is frozen, so later ones walk only what is new. (Only for the
    sandbox run as its own process: the policy is process-wide.)
    """

    def after(phase: str, info: dict[str, Any]) -> None:
        if phase == "stop" and info.get("generation", 0) >= 1:
            gc.freeze()

    gc.callbacks.append(after)


def main() -> None:
    """Parse arguments and serve until Ctrl+C."""
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--token", default=None, help="accept only this bot token")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    _freeze_survivors()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.host, args.port, args.token))


if __name__ == "__main__":
    main()
