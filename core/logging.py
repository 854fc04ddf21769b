"""Structured logs. Events carry ids and kinds, never names, phones, places or message texts."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

import structlog

from core.log_privacy import hide_personal_data


class _CurrentStderr(logging.StreamHandler[TextIO]):
    """The standard library's records, to the stderr of the moment (like structlog's)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        """Ignored: StreamHandler's constructor sets one; the getter always answers anew."""


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
            hide_personal_data,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=_current_stderr,
        # Not cached: a logger keeps the stream it was made with, and stderr may be replaced
        # (tests capture it, a command runner closes it).
        cache_logger_on_first_use=False,
    )
    # The standard library's records (aiogram, taskiq, our alert senders) go the same way:
    # JSON lines in production, personal data hidden in both.
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.stdlib.add_logger_name,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.stdlib.ExtraAdder(),
        ],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            hide_personal_data,
            renderer,
        ],
    )
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, _CurrentStderr)), None)
    if handler is None:
        handler = _CurrentStderr()
        root.addHandler(handler)
    handler.setFormatter(formatter)
    root.setLevel(level.upper())
    # aiosqlite's debug lines hold every SQL statement's parameters: never at any level.
    for noisy in ("aiogram.event", "aiohttp.access", "gtts", "gtts.tts", "urllib3", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
