"""Server-rendered pages: one Jinja2 environment, one layout, the navigation by role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from core.staff.accounts import Staff
from core.staff.roles import Role
from core.text import without_bidi_controls

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
LOCAL_TIME = ZoneInfo("Asia/Almaty")


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    roles: frozenset[Role]


NAVIGATION = (
    NavItem("Alerts", "/alerts", frozenset({Role.DISPATCHER, Role.APPROVER})),
    NavItem("Help inbox", "/inbox", frozenset({Role.DISPATCHER})),
    NavItem("Bookings", "/bookings", frozenset({Role.COORDINATOR})),
    NavItem("Registration list", "/admin/registry", frozenset({Role.ADMIN})),
    NavItem("Users", "/admin/users", frozenset({Role.ADMIN})),
    NavItem("Audit log", "/admin/audit", frozenset({Role.ADMIN})),
    NavItem("Settings", "/admin/settings", frozenset({Role.ADMIN})),
    NavItem("Teach the assistant", "/admin/review", frozenset({Role.ADMIN})),
)

templates = Jinja2Templates(directory=str(TEMPLATES))


def _local(value: Any, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A UTC time as Kazakhstan's local time (UTC+5), for display."""
    if value is None:
        return ""
    if value.tzinfo is None:  # SQLite gives back naive times; every time stored is UTC
        value = value.replace(tzinfo=UTC)
    return str(value.astimezone(LOCAL_TIME).strftime(pattern))


templates.env.filters["local"] = _local
templates.env.filters["no_bidi"] = without_bidi_controls


def page(
    request: Request,
    template: str,
    *,
    title: str,
    status_code: int = 200,
    **values: Any,
) -> HTMLResponse:
    """A page in the layout, with the navigation for the member of staff's roles."""
    staff: Staff | None = getattr(request.state, "staff", None)
    nav = [item for item in NAVIGATION if staff is not None and staff.roles & item.roles]
    return templates.TemplateResponse(
        request,
        template,
        {
            "title": title,
            "staff": staff,
            "csrf_token": staff.csrf_token if staff else "",
            "nav": nav,
            "current_path": request.url.path,
            **values,
        },
        status_code=status_code,
    )
