"""Hostile input, generated: the CAP API, every form of the console, the registry upload.

Each target gets KOMEK_HOSTILE_CASES generated requests (200 in `make test`, so the whole
suite keeps to CI's time; `make hostile` runs the full 1,000 per target), sent in-process
to the console's ASGI app with the session of an admin who holds every role (or the API
token). Whatever comes in: never a 500, and a refused request (4xx) leaves everything stored
as it was. A health probe asks /healthz every 20 ms meanwhile; its slowest answer is kept
with the test's properties (the figure is in BENCHMARKS.md; `python -m bench.hostile`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.app import create_app
from console.security import CSRF_FIELD, LOGIN_CSRF_COOKIE
from tests.hostile import strategies as hs
from tests.hostile.running import Hostile, hostile_console, keep_signed_in

CASES = int(os.environ.get("KOMEK_HOSTILE_CASES", "200"))
RUN = settings(
    max_examples=CASES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
SEPARATE = {"/api/cap", "/admin/registry"}
GET_FORMS = {"/admin/audit", "/bookings", "/alerts/new"}
PATH_VALUES = {
    "request_id": st.sampled_from(["1", "2", "999999"]),
    "booking_id": st.sampled_from(["1", "2", "999999"]),
    "action": st.sampled_from(["confirm", "decline", "complete", "no-show", "fly"]),
    "language": st.sampled_from(["ru", "kk", "en", "xx"]),
}


def _forms() -> list[tuple[str, str]]:
    app = create_app(None)  # type: ignore[arg-type]  # only the routes are read
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or str(context.path_format) in SEPARATE:
            continue
        path = str(context.path_format)
        for method in sorted(context.methods or ()):
            if method == "POST" or (method == "GET" and path in GET_FORMS):
                found.append((method, path))
    return found


FORMS = _forms()


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, record_testsuite_property: Any
) -> Iterator[Hostile]:
    with hostile_console(tmp_path_factory.mktemp("hostile")) as running:
        yield running
        record_testsuite_property("slowest_health_answer_s", f"{running.probe.slowest:.3f}")
        record_testsuite_property("health_answers", str(running.probe.answers))
        record_testsuite_property("slowest_during", running.probe.slowest_during)
        record_testsuite_property("stalls_over_1s", repr(running.probe.stalls))


def _check(world: Hostile, method: str, path: str, **kwargs: Any) -> None:
    before = world.last_state
    answer = world.request(method, path, **kwargs)
    allowed_5xx = {503} if "/voice/" in path else set()
    assert answer.status < 500 or answer.status in allowed_5xx, (
        f"{method} {path}: {answer.status} {answer.text[:300]}"
    )
    assert answer.headers.get("x-content-type-options") == "nosniff", path
    if path.startswith(("/logout", "/admin/users")):
        keep_signed_in(world)  # the example may have signed the admin out
    world.last_state = world.state()
    if answer.status >= 400:
        assert world.last_state == before, f"{method} {path}: refused ({answer.status}), changed"


def _filled(world: Hostile, path: str, data: st.DataObject) -> str:
    for name, strategy in PATH_VALUES.items():
        if f"{{{name}}}" in path:
            path = path.replace(f"{{{name}}}", data.draw(strategy))
    return path.replace("{alert_id}", data.draw(st.sampled_from([str(world.alert_id), "2", "9"])))


@pytest.mark.parametrize(("method", "path"), FORMS, ids=[f"{m} {p}" for m, p in FORMS])
@RUN
@given(data=st.data())
def test_every_form_takes_hostile_input(
    world: Hostile, method: str, path: str, data: st.DataObject
) -> None:
    pairs = data.draw(hs.fields)
    target = _filled(world, path, data)
    if method == "GET":
        _check(
            world, method, target, headers=world.signed_in(), query=hs.urlencoded(pairs)[0].decode()
        )
        return
    csrf = data.draw(st.sampled_from(["valid", "valid", "valid", "missing", "wrong"]))
    headers = world.signed_in({"accept": data.draw(st.sampled_from(["text/html", "*/*"]))})
    if path == "/login":
        headers = {"cookie": f"{LOGIN_CSRF_COOKIE}=login-token", "accept": "text/html"}
        token = "login-token"
    else:
        token = world.csrf
    if csrf == "valid":
        pairs = [*pairs, (CSRF_FIELD, token)]
    elif csrf == "wrong":
        pairs = [*pairs, (CSRF_FIELD, "not-the-token")]
    encode = data.draw(st.sampled_from([hs.urlencoded, hs.multipart]))
    body, content_type = encode(pairs)
    headers["content-type"] = content_type
    _check(world, method, target, headers=headers, chunks=[body])


@RUN
@given(
    document=hs.cap_documents(),
    media=st.sampled_from(["application/cap+xml", "text/xml", "text/plain"]),
)
def test_the_cap_api_takes_hostile_documents(world: Hostile, document: bytes, media: str) -> None:
    headers = {"authorization": f"Bearer {world.token}", "content-type": media}
    _check(world, "POST", "/api/cap", headers=headers, chunks=[document])


@RUN
@given(upload=hs.registry_files(), pairs=hs.fields)
def test_the_registry_upload_takes_hostile_files(
    world: Hostile, upload: tuple[str, bytes], pairs: list[tuple[str, str]]
) -> None:
    name, content = upload
    form = [(k, v) for k, v in pairs if k != "file"] + [(CSRF_FIELD, world.csrf)]
    body, content_type = hs.multipart(form, [("file", name, content)])
    headers = world.signed_in({"content-type": content_type, "accept": "text/html"})
    _check(world, "POST", "/admin/registry", headers=headers, chunks=[body])
