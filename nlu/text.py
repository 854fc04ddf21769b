"""Text normalisation used by the NLU components (the folding itself lives in core)."""

from __future__ import annotations

from core.text import fold

__all__ = ["fold"]
