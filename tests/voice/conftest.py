"""Where the shared real recordings are (the Whisper model fixture is in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

SPEECH = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "speech"
