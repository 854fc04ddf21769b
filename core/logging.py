"""Structured logs. Events carry ids and kinds, never names, phones, places or message texts."""

from __future__ import annotations

import logging
import sys

import structlog


def _current_stderr(*_args: object) -> structlog.PrintLogger:
    return structlog.PrintLogger(file=sys.stderr)


def configure_logging(level: str = "INFO", *, json: bool = False) -> None:
    """Route structlog and the standard library to stderr, as JSON lines or readable text."""
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if json
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=_current_stderr,
        # Not cached: a logger keeps the stream it was made with, and stderr may be replaced
        # (tests capture it, a command runner closes it).
        cache_logger_on_first_use=False,
    )
    logging.basicConfig(
        level=level.upper(), stream=sys.stderr, format="%(levelname)s %(name)s %(message)s"
    )
    for noisy in ("aiogram.event", "aiohttp.access", "gtts", "gtts.tts", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
