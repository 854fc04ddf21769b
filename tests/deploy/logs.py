"""Logging as production sets it up (JSON lines on stderr), undone after the test."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import structlog

from core.logging import configure_logging


@contextmanager
def json_logs(level: str = "DEBUG") -> Iterator[None]:
    """Production's logging for the block; afterwards structlog's defaults and no handler."""
    root = logging.getLogger()
    before = list(root.handlers), root.level
    configure_logging(level, json=True)
    try:
        yield
    finally:
        structlog.reset_defaults()
        for handler in root.handlers:
            if handler not in before[0]:
                root.removeHandler(handler)
        root.setLevel(before[1])


def read_lines(capsys: pytest.CaptureFixture[str]) -> tuple[str, list[dict[str, Any]]]:
    """Everything written to stderr so far, and each line parsed (every one must be JSON)."""
    err = capsys.readouterr().err
    return err, [json.loads(line) for line in err.splitlines() if line.strip()]
