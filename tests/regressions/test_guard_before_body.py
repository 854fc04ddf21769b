"""Issue 16, finding 3: authentication and the role are checked before a body is read, and
every route refuses a body larger than its limit while it streams in.

The console's app runs in-process and counts the bytes it asks for: an anonymous or
unauthorised request gets its answer having read nothing (so nothing can reach a temporary
file), and a signed-in one stops at the route's limit.
"""

from __future__ import annotations

from collections.abc import Iterator

from console.app import create_app
from console.security import DEFAULT_MAX_BODY, SESSION_COOKIE
from tests.console.harness import PASSWORD, ConsoleHarness
from tests.regressions.asgi_calls import call

MIB = 1024 * 1024
BOUNDARY = "x-komek-test"
FORM_POSTS = (
    "/inbox/1/reply",
    "/alerts/1/reject",
    "/admin/users/password",
    "/bookings/1/confirm",
    "/admin/registry",
    "/alerts/new",
)


def multipart(total: int) -> Iterator[bytes]:
    """A multipart body with one file part, `total` bytes in 64 KiB chunks."""
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    sent = 0
    while sent < total:
        yield b"\0" * 65536
        sent += 65536


def headers(extra: dict[str, str] | None = None, length: int | None = None) -> dict[str, str]:
    found = {"content-type": f"multipart/form-data; boundary={BOUNDARY}", "accept": "text/html"}
    if length is not None:
        found["content-length"] = str(length)
    return found | (extra or {})


async def test_anonymous_and_unauthorised_bodies_are_never_read(console: ConsoleHarness) -> None:
    app = create_app(console.ctx)
    await console.add_staff("coordinator", "coordinator")
    login = await console.ctx.accounts.staff_sessions.log_in("coordinator", PASSWORD, origin=None)
    cookie = {"cookie": f"{SESSION_COOKIE}={login.token}"}
    for path in FORM_POSTS:
        # no cookie, a chunked body of 64 MiB: answered without reading any of it
        anonymous = await call(app, "POST", path, headers=headers(), chunks=multipart(64 * MIB))
        assert anonymous.status == 401, (path, anonymous.status, anonymous.text)
        assert anonymous.read == 0, path
        # a body declared as 1 GB: the same, whatever the length says
        declared = await call(
            app, "POST", path, headers=headers(length=1024 * MIB), chunks=multipart(MIB)
        )
        assert declared.status in (401, 413) and declared.read == 0, path
        if path.startswith(("/bookings", "/login")):
            continue
        # a coordinator may not use these routes: refused before the body
        wrong_role = await call(
            app, "POST", path, headers=headers(cookie), chunks=multipart(64 * MIB)
        )
        assert wrong_role.status == 403, (path, wrong_role.status)
        assert wrong_role.read == 0, path
        assert wrong_role.headers["x-content-type-options"] == "nosniff"


async def test_the_sign_in_form_reads_at_most_its_limit(console: ConsoleHarness) -> None:
    app = create_app(console.ctx)
    huge = await call(app, "POST", "/login", headers=headers(), chunks=multipart(64 * MIB))
    assert huge.status == 413
    assert DEFAULT_MAX_BODY <= huge.read <= DEFAULT_MAX_BODY + 2 * 65536


async def test_a_signed_in_body_stops_at_the_routes_limit(console: ConsoleHarness) -> None:
    app = create_app(console.ctx)
    await console.add_staff("dispatcher", "dispatcher")
    login = await console.ctx.accounts.staff_sessions.log_in("dispatcher", PASSWORD, origin=None)
    cookie = {"cookie": f"{SESSION_COOKIE}={login.token}"}
    answer = await call(
        app, "POST", "/inbox/1/reply", headers=headers(cookie), chunks=multipart(64 * MIB)
    )
    assert answer.status == 413
    assert answer.read <= DEFAULT_MAX_BODY + 2 * 65536
