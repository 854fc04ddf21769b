"""The console's FastAPI application: the guard on every route, pages, the API, errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from console.body_guard import BodyGuard
from console.context import ConsoleContext
from console.error_words import ERROR_TITLES, detail_words, error_words, form_fields_words
from console.language import words_for
from console.pages import STATIC, page
from console.routes import (
    admin,
    auth,
    bookings_board,
    bookings_reach,
    cap_api,
    compose,
    follow,
    help_talk,
    inbox,
    ops,
    review,
)
from console.security import NotLoggedIn, guard
from core.profile import Language

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "media-src 'self' blob: data:; connect-src 'self'; frame-ancestors 'none'; "
        "form-action 'self'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(ctx: ConsoleContext) -> FastAPI:
    app = FastAPI(
        title="Kömek console API",
        version="1",
        description="CAP 1.2 alerts in and out for authorised senders, and alert status.",
        dependencies=[Depends(guard)],
        # Swagger UI loads its scripts from a CDN and runs an inline one, which the CSP below
        # forbids: the page would be blank. The schema itself is public at openapi_url.
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.context = ctx
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    areas = (
        auth,
        compose,
        follow,
        inbox,
        help_talk,
        bookings_reach,
        bookings_board,
        admin,
        review,
        cap_api,
        ops,
    )
    for area in areas:
        app.include_router(area.router)
    app.add_middleware(BodyGuard, routes=app.router.routes)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(NotLoggedIn)
    async def not_logged_in(request: Request, _: NotLoggedIn) -> Response:
        if _is_api(request) or request.method != "GET":
            return JSONResponse({"detail": "sign in first"}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        detail = error.detail
        if _is_api(request) or not _wants_html(request):
            # in the account's language, else the client's; English when neither names one
            detail = detail_words(words_for(request), detail) or detail
            return JSONResponse(
                {"detail": detail}, status_code=error.status_code, headers=error.headers
            )
        return page(
            request,
            "error.html",
            title=ERROR_TITLES.get(error.status_code, "console.error.title.other"),
            message=error_words(words_for(request), error.status_code, detail),
            status_code=error.status_code,
        )

    @app.exception_handler(Exception)
    async def server_error(request: Request, _: Exception) -> Response:
        # Starlette logs the error after this answer; the answer has the headers too.
        response: Response = JSONResponse(
            {"detail": "something went wrong here; it is logged"}, status_code=500
        )
        if not _is_api(request) and _wants_html(request):
            response = page(
                request,
                "error.html",
                title="console.error.title.other",
                message=words_for(request)("console.error.server"),
                status_code=500,
            )
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> Response:
        problems = [
            {"field": ".".join(str(part) for part in item["loc"][1:]), "problem": item["msg"]}
            for item in error.errors()
        ]
        if _is_api(request) or not _wants_html(request):
            return JSONResponse({"detail": problems}, status_code=422)
        words = words_for(request)
        text = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
        if words.language is not Language.EN:  # the validator speaks English only
            text = form_fields_words(words, [p["field"] for p in problems])
        return page(
            request, "error.html", title="console.error.title.form", message=text, status_code=422
        )

    return app


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "") or request.method != "GET"
