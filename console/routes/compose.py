"""Composing alerts from templates, previewing them per channel, and approving them.

An Actual alert needs a second person with the approver role (the two-person rule).
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
