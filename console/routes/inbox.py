"""The help inbox: "I need help" answers and emergency requests from the bot."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
