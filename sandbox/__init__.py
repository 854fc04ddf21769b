"""A local Telegram Bot API server with a control API and an accessible web chat page."""

from sandbox.app import SandboxServer, create_app
from sandbox.client import SandboxClient, SandboxError, SimUser
from sandbox.world import World

__all__ = ["SandboxClient", "SandboxError", "SandboxServer", "SimUser", "World", "create_app"]
