"""Admins: the registration list import, users and roles, the audit log, the running settings."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from starlette.datastructures import UploadFile

from alerts.registry.importer import FileError, ImportAborted, ImportReport, import_registry
from console import registry_upload
from console.audit_trail import record
from console.deps import Context
from console.language import Words, words_for
from console.pages import page
from console.query_values import day_value, page_value
from console.registry_upload import BadMapping, TooLarge
from console.routes import admin_users
from console.security import actor_of, allow
from console.settings_table import settings_rows
from core import audit_search
from core.audit_search import AuditFilter
from core.localtime import LOCAL_ZONE
from core.profile import Language
from core.said import Said
from core.staff.roles import Role

router = APIRouter(include_in_schema=False)
router.include_router(admin_users.router)

SHOWN_PROBLEMS = 500
LANGUAGE_CODES = ("kk", "ru", "en")


# The registration list


def _registry_page(
    request: Request,
    *,
    report: ImportReport | None = None,
    values: dict[str, str] | None = None,
    problem: str | None = None,
    field_problems: dict[str, str] | None = None,
    file_name: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    return page(
        request,
        "admin_registry.html",
        title=words_for(request)("console.nav.registry"),
        report=report,
        problems=report.problems[:SHOWN_PROBLEMS] if report else [],
        shown_most=SHOWN_PROBLEMS,
        values=values or {},
        languages=LANGUAGE_CODES,
        problem=problem,
        field_problems=field_problems or {},
        file_name=file_name,
        max_megabytes=registry_upload.MAX_BYTES // (1024 * 1024),
        status_code=status_code,
    )


@router.get("/admin/registry")
@allow(Role.ADMIN)
async def registry_form(request: Request) -> HTMLResponse:
    return _registry_page(request)


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


@router.post("/admin/registry")
@allow(Role.ADMIN, max_body=registry_upload.STREAM_LIMIT)
async def registry_import(request: Request, ctx: Context) -> HTMLResponse:
    # The form is read here, not declared as parameters: so the guard has checked the
    # session and role before a large body is parsed.
    form = await request.form()
    upload = form.get("file")
    values = {name: _text(form, name) for name in ("consent_version", "language", "columns")}
    fields: dict[str, str] = {}
    status_code = 400
    mapping: dict[str, str] = {}
    words = words_for(request)
    try:
        mapping = registry_upload.parse_mapping(values["columns"])
    except BadMapping as error:
        fields["columns"] = words("console.registry.bad_mapping", line=error.line)
    if values["language"] and values["language"] not in LANGUAGE_CODES:
        fields["language"] = words("console.registry.choose_language")
    if not isinstance(upload, UploadFile) or not upload.filename:
        fields["file"] = words("console.registry.choose_file")
    elif upload.size is not None and upload.size > registry_upload.MAX_BYTES:
        fields["file"] = _too_large(words, upload.size)
        status_code = 413
    if fields or not isinstance(upload, UploadFile):
        return _registry_page(
            request,
            values=values,
            problem=" ".join((words("console.registry.nothing"), *fields.values())),
            field_problems=fields,
            status_code=status_code,
        )
    name = Path(upload.filename or "list").name
    language = Language(values["language"]) if values["language"] else None
    report: ImportReport | None = None
    problem: str | None = None
    with tempfile.TemporaryDirectory(prefix="komek-registry-") as folder:
        try:
            saved = await asyncio.to_thread(
                registry_upload.save_upload, upload.file, Path(folder), registry_upload.MAX_BYTES
            )
        except TooLarge:
            message = _too_large(words, None)
            return _registry_page(
                request,
                values=values,
                problem=" ".join((words("console.registry.nothing"), message)),
                field_problems={"file": message},
                status_code=413,
            )
        try:
            report = await import_registry(
                ctx.sessions,
                saved.path,
                actor=actor_of(request),
                now=ctx.clock.now(),
                mapping=mapping,
                consent_version=values["consent_version"] or None,
                default_language=language,
            )
        except FileError as error:
            problem = _importer_says(
                words, words("console.registry.not_imported", name=name), error.reason
            )
        except ImportAborted as error:
            report = error.report
            problem = _importer_says(words, words("console.registry.stopped"), error.reason)
    await record(
        request,
        "registry.uploaded",
        bytes=saved.size,
        result="refused" if report is None else ("stopped" if problem else "done"),
        rows=report.rows if report else 0,
    )
    return _registry_page(
        request,
        report=report,
        values=values,
        problem=problem,
        file_name=name,
        status_code=422 if report is None else 200,
    )


def _too_large(words: Words, size: int | None) -> str:
    most = registry_upload.MAX_BYTES // (1024 * 1024)
    if size:
        return words(
            "console.registry.too_large_size", size=f"{size / (1024 * 1024):.1f}", most=most
        )
    return words("console.registry.too_large", most=most)


STOPPED = "registry.file.stopped"


def _importer_says(words: Words, said: str, reason: str) -> Markup:
    """The page's words, then the importer's own reason in the page's language (every reason
    of the importer carries its key; one without would show as English, marked so)."""
    if isinstance(reason, Said) and reason.key == STOPPED:  # the page says it stopped
        inner = reason.params["reason"]
        reason = inner if isinstance(inner, str) else str(inner)
    return Markup("{} {}").format(said, words.sentence(reason))


# The audit log


def _local_day(text: str, problems: dict[str, Said], name: str) -> datetime | None:
    day = day_value(text, name, problems)
    return datetime.combine(day, time(0), tzinfo=LOCAL_ZONE) if day is not None else None


@router.get("/admin/audit")
@allow(Role.ADMIN)
async def audit_page(request: Request, ctx: Context) -> HTMLResponse:
    params = request.query_params
    values = {name: params.get(name, "").strip() for name in ("actor", "action", "from", "to")}
    checked: dict[str, Said] = {}
    words = words_for(request)
    since = _local_day(values["from"], checked, "from")
    last = _local_day(values["to"], checked, "to")
    number = page_value(params.get("page", "").strip(), checked)
    problems = {name: words.said_text(said) for name, said in checked.items()}
    until = last + timedelta(days=1) if last else None
    if since and until and until <= since:
        problems["to"] = words("console.bookings.backwards")
        until = None
    where = AuditFilter(
        actor=values["actor"] or None, action=values["action"] or None, since=since, until=until
    )
    async with ctx.sessions() as session:
        found = await audit_search.search(session, where, page=number)

    def link(to: int) -> str:
        return "/admin/audit?" + urlencode({**values, "page": str(to)})

    return page(
        request,
        "admin_audit.html",
        title="console.nav.audit",
        found=found,
        page_size=audit_search.PAGE_SIZE,
        values=values,
        newer_url=link(found.page - 1) if found.page > 1 else None,
        older_url=link(found.page + 1) if found.has_older else None,
        field_problems=problems,
        problem=words("console.bookings.filters_unused", problems=" ".join(problems.values()))
        if problems
        else None,
        status_code=422 if problems else 200,
    )


# The running settings


@router.get("/admin/settings")
@allow(Role.ADMIN)
async def settings_page(request: Request, ctx: Context) -> HTMLResponse:
    return page(
        request,
        "admin_settings.html",
        title="console.nav.settings",
        rows=settings_rows(ctx.settings),
    )
