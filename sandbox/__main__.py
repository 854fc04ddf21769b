"""Run the sandbox on its own: python -m sandbox [--host HOST] [--port PORT] [--token TOKEN]."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging

from sandbox.app import SandboxServer

logger = logging.getLogger("sandbox")


async def serve(host: str, port: int, token: str | None) -> None:
    """Serve until cancelled."""
    async with SandboxServer(host, port, token=token) as server:
        logger.info(
            "Sandbox chat page: %s/  Bot API base URL: %s", server.base_url, server.base_url
        )
        await asyncio.Event().wait()


def main() -> None:
    """Parse arguments and serve until Ctrl+C."""
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--token", default=None, help="accept only this bot token")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.host, args.port, args.token))


if __name__ == "__main__":
    main()
