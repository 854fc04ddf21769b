"""The CAP API for alerting authorities: POST /api/cap, GET /api/alerts/{id} and its CAP XML."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
