"""The regression tests run against the real console beside the sandbox (tests/console)."""

from tests.console.conftest import browser, console

__all__ = ["browser", "console"]
