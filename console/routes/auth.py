"""Signing in and out, and the start page."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.deps import Context
from console.language import words_for
from console.pages import page
from console.security import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    allow,
    client_address,
    current_staff,
    public,
    secure_cookies,
)
from core.profile import LANGUAGES
from core.staff.credentials import new_token, same
from core.staff.roles import Role
from core.staff.sessions import LoginRefused

router = APIRouter(include_in_schema=False)

REFUSED = "console.login.refused"
"""The same words for every refusal: they never tell whether an account exists."""
TOO_MANY = "console.login.too_many"
STALE = "console.login.stale"


def _safe_next(value: str | None) -> str:
    """Only a path on this site, never another site (no open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _login_page(
    request: Request,
    *,
    next_path: str,
    username: str = "",
    problem: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    token = new_token()
    response = page(
        request,
        "login.html",
        title="console.title.login",
        login_csrf=token,
        next_path=next_path,
        username=username,
        problem=problem,
        status_code=status_code,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=secure_cookies(request),
        max_age=3600,
    )
    return response


@router.get("/login")
@public
async def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    return _login_page(request, next_path=_safe_next(next))


@router.post("/login")
@public
async def login(
    request: Request,
    ctx: Context,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    next_path = _safe_next(next)
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not cookie or not csrf_token or not same(cookie, csrf_token):
        return _login_page(
            request,
            next_path=next_path,
            username=username,
            problem=words_for(request)(STALE),
            status_code=403,
        )
    address = client_address(request)
    wait = ctx.login_limit.wait(username, address)
    if wait > 0:
        seconds = math.ceil(wait)
        throttled = _login_page(
            request,
            next_path=next_path,
            username=username,
            problem=words_for(request)(TOO_MANY, seconds=seconds),
            status_code=429,
        )
        throttled.headers["Retry-After"] = str(seconds)
        return throttled
    try:
        login = await ctx.accounts.staff_sessions.log_in(username, password, origin=address)
    except LoginRefused:
        ctx.login_limit.failed(username, address)
        return _login_page(
            request,
            next_path=next_path,
            username=username,
            problem=words_for(request)(REFUSED),
            status_code=401,
        )
    ctx.login_limit.succeeded(username, address)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        login.token,
        httponly=True,
        samesite="strict",
        secure=secure_cookies(request),
        max_age=int(ctx.accounts.staff_sessions.policy.session_max.total_seconds()),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
@allow(*Role)
async def logout(request: Request, ctx: Context) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await ctx.accounts.staff_sessions.log_out(token, origin=client_address(request))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
@allow(*Role)
async def home(request: Request) -> HTMLResponse:
    return page(request, "home.html", title="console.title.home")


@router.post("/language")
@allow(*Role)
async def choose_language(
    request: Request,
    ctx: Context,
    language: Annotated[str, Form(max_length=8)] = "",
    back: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """The console's language for this account (empty: the browser's), kept and audited."""
    staff = current_staff(request)
    chosen = language if language in {lang.value for lang in LANGUAGES} else None
    await ctx.accounts.set_language(
        staff.username, chosen, actor=staff.actor, origin=client_address(request)
    )
    return RedirectResponse(_safe_next(back), status_code=303)
