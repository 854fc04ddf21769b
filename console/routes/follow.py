"""Following an alert: live progress (Server-Sent Events), recipients, CSV, Update, Cancel."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
