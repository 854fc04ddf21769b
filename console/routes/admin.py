"""Admins: the registration list import, users and roles, the audit log, the running settings."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
