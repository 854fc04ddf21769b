"""Admins: staff accounts, their roles, disabling and password resets (StaffAccounts audits)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.context import ConsoleContext
from console.deps import Context
from console.language import words_for
from console.pages import page
from console.security import actor_of, allow, client_address, current_staff
from core.staff.credentials import WeakPassword, check_strength
from core.staff.errors import AccountError
from core.staff.roles import Role

router = APIRouter(include_in_schema=False)

USER_DONE = ("created", "roles", "enabled", "disabled", "password")
"""What a redirect back to the users page says was done (console.users.done.<what>)."""


async def _users_page(
    request: Request,
    ctx: ConsoleContext,
    *,
    notice: str | None = None,
    problem: str | None = None,
    new_user: dict[str, Any] | None = None,
    create_problems: dict[str, str] | None = None,
    user_problem: tuple[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    users = await ctx.accounts.list()
    return page(
        request,
        "admin_users.html",
        title="console.nav.users",
        users=users,
        now=ctx.clock.now(),
        roles={role: words_for(request)(f"console.users.role.{role.value}") for role in Role},
        me=current_staff(request).username,
        new_user=new_user or {"username": "", "roles": []},
        create_problems=create_problems or {},
        user_problem=user_problem,
        notice=notice,
        problem=problem,
        status_code=status_code,
    )


@router.get("/admin/users")
@allow(Role.ADMIN)
async def users_page(
    request: Request, ctx: Context, done: str | None = None, name: str | None = None
) -> HTMLResponse:
    notice = None
    if done in USER_DONE and name:
        notice = words_for(request)(f"console.users.done.{done}", name=name)
    return await _users_page(request, ctx, notice=notice)


def _roles(names: list[str] | None) -> frozenset[Role]:
    known = {role.value for role in Role}
    return frozenset(Role(name) for name in names or [] if name in known)


def _user_done(action: str, username: str) -> RedirectResponse:
    return RedirectResponse(
        "/admin/users?" + urlencode({"done": action, "name": username}), status_code=303
    )


@router.post("/admin/users/create")
@allow(Role.ADMIN)
async def create_user(
    request: Request,
    ctx: Context,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    password_again: Annotated[str, Form(max_length=1000)] = "",
    roles: Annotated[list[str] | None, Form()] = None,
) -> Response:
    chosen = _roles(roles)
    words = words_for(request)
    problems: dict[str, str] = {}
    if not username.strip():
        problems["username"] = words("console.users.need_name")
    if not chosen:
        problems["roles"] = words("console.users.need_role")
    try:
        check_strength(password, username.strip())
    except WeakPassword as error:
        problems["password"] = _sentence(str(error))
    if password != password_again:
        problems["repeat"] = words("console.users.not_same")
    if not problems:
        try:
            await ctx.accounts.create(
                username, password, chosen, actor=actor_of(request), origin=client_address(request)
            )
        except WeakPassword as error:
            problems["password"] = _sentence(str(error))
        except AccountError as error:
            problems["username"] = _sentence(str(error))
    if problems:
        return await _users_page(
            request,
            ctx,
            problem=words("console.users.not_created", why=" ".join(problems.values())),
            new_user={"username": username, "roles": sorted(chosen)},
            create_problems=problems,
            status_code=400,
        )
    return _user_done("created", username.strip())


@router.post("/admin/users/roles")
@allow(Role.ADMIN)
async def change_roles(
    request: Request,
    ctx: Context,
    username: Annotated[str, Form(max_length=200)],
    roles: Annotated[list[str] | None, Form()] = None,
) -> Response:
    chosen = _roles(roles)
    refused = None
    if not chosen:
        refused = words_for(request)("console.users.need_role_disable")
    elif username == current_staff(request).username and Role.ADMIN not in chosen:
        refused = words_for(request)("console.users.own_admin")
    return await _account_step(
        request, ctx, username, "roles", refused, ctx.accounts.set_roles, username, chosen
    )


@router.post("/admin/users/active")
@allow(Role.ADMIN)
async def set_active(
    request: Request,
    ctx: Context,
    username: Annotated[str, Form(max_length=200)],
    active: Annotated[str, Form(max_length=10)],
) -> Response:
    enable = active == "yes"
    refused = None
    if not enable and username == current_staff(request).username:
        refused = words_for(request)("console.users.own_account")
    action = "enabled" if enable else "disabled"
    return await _account_step(
        request, ctx, username, action, refused, ctx.accounts.set_active, username, enable
    )


@router.post("/admin/users/password")
@allow(Role.ADMIN)
async def reset_password(
    request: Request,
    ctx: Context,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)] = "",
    password_again: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    refused = words_for(request)("console.users.not_same") if password != password_again else None
    return await _account_step(
        request, ctx, username, "password", refused, ctx.accounts.reset_password, username, password
    )


async def _account_step(
    request: Request,
    ctx: ConsoleContext,
    username: str,
    action: str,
    refused: str | None,
    step: Any,
    *args: Any,
) -> Response:
    """Run one StaffAccounts change (it audits itself), or show why it was refused."""
    if refused is None:
        try:
            await step(*args, actor=actor_of(request), origin=client_address(request))
        except (AccountError, WeakPassword) as error:
            refused = _sentence(str(error))
    if refused is not None:
        return await _users_page(
            request,
            ctx,
            problem=words_for(request)("console.users.not_changed", name=username, why=refused),
            user_problem=(username, refused),
            status_code=400,
        )
    return _user_done(action, username)


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."
