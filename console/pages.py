"""Server-rendered pages: one Jinja2 environment, one layout, the navigation by role.

Every page is in the member of staff's language (console.language): templates call
`t("console.key")` for words, `|local` for times, `|number` for figures.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from console.language import Words, words_for
from core.profile import LANGUAGES
from core.staff.roles import Role
from core.staff.sessions import Staff
from core.text import without_bidi_controls

__all__ = ["NAVIGATION", "page", "templates"]

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


@dataclass(frozen=True)
class NavItem:
    """A link of the console's navigation and the roles that see it."""

    key: str
    """The catalog key of the link's words."""
    href: str
    roles: frozenset[Role]


NAVIGATION = (
    NavItem("console.nav.alerts", "/alerts", frozenset({Role.DISPATCHER, Role.APPROVER})),
    NavItem("console.nav.inbox", "/inbox", frozenset({Role.DISPATCHER})),
    NavItem("console.nav.bookings", "/bookings", frozenset({Role.COORDINATOR})),
    NavItem("console.nav.registry", "/admin/registry", frozenset({Role.ADMIN})),
    NavItem("console.nav.users", "/admin/users", frozenset({Role.ADMIN})),
    NavItem("console.nav.audit", "/admin/audit", frozenset({Role.ADMIN})),
    NavItem("console.nav.settings", "/admin/settings", frozenset({Role.ADMIN})),
    NavItem("console.nav.review", "/admin/review", frozenset({Role.ADMIN})),
)

templates = Jinja2Templates(directory=str(TEMPLATES))
_RENDERING: ContextVar[Words] = ContextVar("console_words")
"""The words of the page being drawn: macros imported without the page's context see them."""


def _t(key: str, **params: object) -> str:
    return _RENDERING.get()(key, **params)


def _local(value: datetime | None, pattern: str = "") -> str:
    """A UTC time as Kazakhstan's local time (UTC+5), written as the page's language does;
    `|local("%H:%M")` for the time of day alone, a pattern with `%S` to the second."""
    words = _RENDERING.get()
    return words.when(value, time_only=pattern.startswith("%H"), seconds="%S" in pattern)


def _day(value: date, pattern: str = "dd.MM.yyyy") -> str:
    return _RENDERING.get().day(value, pattern)


def _number(value: float) -> str:
    return _RENDERING.get().number(value)


def _said(text: str) -> Markup:
    return _RENDERING.get().said(text)


templates.env.globals["t"] = _t
templates.env.filters["said"] = _said
templates.env.filters["local"] = _local
templates.env.filters["day"] = _day
templates.env.filters["number"] = _number
templates.env.filters["no_bidi"] = without_bidi_controls


def rendered(words: Words, template: str, values: dict[str, Any]) -> Markup:
    """A template drawn in `words`' language outside a request (e.g. in a worker thread)."""
    drawing = _RENDERING.set(words)
    try:
        html = templates.get_template(template).render({"lang": words.language.value, **values})
        # safe as markup: autoescape is on for .html templates, so every value was escaped
        return Markup(html)  # noqa: S704
    finally:
        _RENDERING.reset(drawing)


def page_piece(request: Request, template: str, values: dict[str, Any]) -> HTMLResponse:
    """A piece of a page (for a script to put in place), in the staff's language."""
    words = words_for(request)
    drawing = _RENDERING.set(words)
    try:
        return templates.TemplateResponse(
            request, template, {"lang": words.language.value, **values}
        )
    finally:
        _RENDERING.reset(drawing)


def page(
    request: Request,
    template: str,
    *,
    title: str,
    status_code: int = 200,
    **values: Any,
) -> HTMLResponse:
    """A page in the layout, in the staff's language, with the navigation for their roles.

    `title` is a catalog key (`console.title.inbox`) or, with `title_words`, words already
    made (a title with a number in it)."""
    staff: Staff | None = getattr(request.state, "staff", None)
    words = words_for(request)
    nav = [item for item in NAVIGATION if staff is not None and staff.roles & item.roles]
    shown_title = values.pop("title_words", None) or (
        words(title) if title.startswith("console.") else title
    )
    drawing = _RENDERING.set(words)
    try:
        return _draw(request, template, staff, words, shown_title, nav, status_code, values)
    finally:
        _RENDERING.reset(drawing)


def _draw(
    request: Request,
    template: str,
    staff: Staff | None,
    words: Words,
    title: str,
    nav: list[NavItem],
    status_code: int,
    values: dict[str, Any],
) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        template,
        {
            "title": title,
            "staff": staff,
            "csrf_token": staff.csrf_token if staff else "",
            "nav": nav,
            "current_path": request.url.path,
            "lang": words.language.value,
            "languages": [language.value for language in LANGUAGES],
            **values,
        },
        status_code=status_code,
    )
