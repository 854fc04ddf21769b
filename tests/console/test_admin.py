"""Admin pages: the registration list import and its report, users, the audit log, settings."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime, time, timedelta

import aiohttp
from openpyxl import Workbook  # type: ignore[import-untyped]
from pydantic import SecretStr
from sqlalchemy import func, select

from alerts.models import Registrant
from core import audit
from core.localtime import LOCAL_ZONE, to_local
from tests.console.harness import PASSWORD, ConsoleHarness, StaffClient

# An office's list: Windows-1251 with ";" and a name column; line 3 has a bad phone.
OFFICE_LIST = [
    "ФИО;Телефон;Вид инвалидности;Язык;Область;Дата согласия",
    "Иванов Иван;8 701 123 45 67;незрячий;русский;Алматы;01.03.2025",
    "Омаров Али;12345;глухой;ru;Алматы;01.03.2025",
    "Ахметов Ерлан;87011112233;нашар естітін, глухой;казахский;Караганды облысы;2025-03-01",
]


def cp1251(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


async def upload(
    client: StaffClient, content: bytes, name: str = "list.csv", **fields: str
) -> aiohttp.ClientResponse:
    form = aiohttp.FormData()
    form.add_field("csrf_token", client.csrf)
    for key, value in fields.items():
        form.add_field(key, value)
    form.add_field("file", content, filename=name, content_type="text/csv")
    response = await client.http.post(
        "/admin/registry", data=form, headers={"Accept": "text/html"}, allow_redirects=False
    )
    await response.read()
    return response


async def registrants(console: ConsoleHarness) -> int:
    async with console.ctx.sessions() as session:
        return await session.scalar(select(func.count()).select_from(Registrant)) or 0


async def test_registry_import_shows_the_row_report(console: ConsoleHarness) -> None:
    await console.add_staff("root", "admin")
    client = await console.client("root")
    form = await client.get("/admin/registry")
    assert form.status == 200
    assert 'enctype="multipart/form-data"' in await form.text()

    response = await upload(client, cp1251(OFFICE_LIST), consent_version="2025-1")
    assert response.status == 200
    page = text_of(await response.text())
    assert "Import report: list.csv" in page
    assert "Read as CSV (cp1251, ';') . Rows: 3." in page
    assert (
        "New people on the list 2 Updated 0 Unchanged 0 Not imported (see the problems) 1" in page
    )
    assert "phone from “Телефон”" in page
    assert "Columns not read (not needed to warn anybody): “ФИО” ." in page
    assert "Line Field Problem 3 phone not a valid phone number" in page
    assert "Омаров" not in page  # names are never read, nor shown
    assert await registrants(console) == 2

    again = text_of(
        await (await upload(client, cp1251(OFFICE_LIST), consent_version="2025-1")).text()
    )
    assert "New people on the list 0 Updated 0 Unchanged 2" in again
    async with console.ctx.sessions() as session:
        imports = await audit.entries(session, action="registry.import")
        uploads = await audit.entries(session, action="registry.uploaded")
    assert [(e.actor, e.details["imported"]) for e in imports] == [
        ("staff:root", 2),
        ("staff:root", 0),
    ]
    assert [(e.actor, e.origin, e.details["result"]) for e in uploads] == [
        ("staff:root", "127.0.0.1", "done"),
        ("staff:root", "127.0.0.1", "done"),
    ]


async def test_an_xlsx_list_is_imported(console: ConsoleHarness) -> None:
    await console.add_staff("root", "admin")
    client = await console.client("root")
    book = Workbook()
    sheet = book.active
    sheet.append(["Phone", "Disability", "Language", "Region", "Consent date", "Consent version"])
    sheet.append(["+77015550011", "deaf", "kk", "Astana", "2025-03-01", "2025-1"])
    sheet.append(["+77015550012", "blind", "en", "Mars", "2025-03-01", "2025-1"])
    content = io.BytesIO()
    book.save(content)
    response = await upload(client, content.getvalue(), name="list")  # no .xlsx in the name
    page = text_of(await response.text())
    assert "Read as XLSX . Rows: 2." in page
    assert "New people on the list 1" in page
    assert "3 region unknown region; use a KATO code or the region's name" in page


async def test_registry_refusals_say_what_to_do(console: ConsoleHarness) -> None:
    await console.add_staff("root", "admin")
    client = await console.client("root")

    no_version = await upload(client, cp1251(OFFICE_LIST))
    assert no_version.status == 422
    assert "(the “Consent version” box)" in text_of(await no_version.text())

    headers = [
        "Номер;Вид инвалидности;Язык;Область;Дата согласия",
        "87011112233;глухой;ru;75;2025-03-01",
    ]
    unknown = await upload(client, cp1251(headers), consent_version="1")
    text = text_of(await unknown.text())
    assert "list.csv was not imported. No column found for: phone" in text
    assert "the “Columns” box (one FIELD=COLUMN a line)" in text
    mapped = await upload(client, cp1251(headers), consent_version="1", columns="phone=Номер")
    assert "New people on the list 1" in text_of(await mapped.text())

    bad_mapping = await upload(client, cp1251(headers), columns="phone")
    assert bad_mapping.status == 400
    assert "Line 1 is not FIELD=COLUMN" in text_of(await bad_mapping.text())

    huge = await upload(client, b"phone;language\r\n" + b"x" * (21 * 1024 * 1024))
    assert huge.status == 413
    assert "The file is too big (21.0 MB): the most is 20 MB." in text_of(await huge.text())
    assert await registrants(console) == 1


async def test_users_are_created_changed_and_disabled(console: ConsoleHarness) -> None:
    await console.add_staff("root", "admin")
    admin = await console.client("root")
    new_password = "a long and new passphrase"

    mismatch = await admin.post(
        "/admin/users/create",
        {
            "username": "saule",
            "password": new_password,
            "password_again": "different one here",
            "roles": "coordinator",
        },
    )
    assert mismatch.status == 400
    text = await mismatch.text()
    assert "The two passwords are not the same." in text
    assert 'value="saule"' in text  # what was typed stays
    weak = await admin.post(
        "/admin/users/create", {"username": "saule", "password": "short", "password_again": "short"}
    )
    assert weak.status == 400
    assert "Choose at least one role." in (text := await weak.text())
    assert "A password needs at least 12 characters." in text

    form = aiohttp.FormData()
    for key, value in [
        ("csrf_token", admin.csrf),
        ("username", "saule"),
        ("password", PASSWORD),
        ("password_again", PASSWORD),
        ("roles", "dispatcher"),
        ("roles", "approver"),
    ]:
        form.add_field(key, value)
    async with admin.http.post("/admin/users/create", data=form, allow_redirects=False) as made:
        assert made.status == 303
    listing = text_of(await (await admin.get("/admin/users")).text())
    assert "saule approver, dispatcher Active never" in listing
    saule = await console.client("saule")
    assert (await saule.get("/inbox")).status == 200
    assert (await saule.get("/admin/users")).status == 403

    changed = await admin.post("/admin/users/roles", {"username": "saule", "roles": "coordinator"})
    assert changed.status == 303
    assert (await saule.get("/")).status == 303  # her session ended with the change
    saule = await console.client("saule")
    assert (await saule.get("/bookings")).status == 200

    disabled = await admin.post("/admin/users/active", {"username": "saule", "active": "no"})
    assert disabled.status == 303
    assert "saule coordinator Disabled" in text_of(await (await admin.get("/admin/users")).text())
    anonymous = await console.client()
    assert (await anonymous.log_in("saule", PASSWORD)).status == 401
    assert (
        await admin.post("/admin/users/active", {"username": "saule", "active": "yes"})
    ).status == 303
    reset = await admin.post(
        "/admin/users/password",
        {"username": "saule", "password": new_password, "password_again": new_password},
    )
    assert reset.status == 303
    assert (await anonymous.log_in("saule", PASSWORD)).status == 401
    assert (await anonymous.log_in("saule", new_password)).status == 200

    myself = await admin.post("/admin/users/active", {"username": "root", "active": "no"})
    assert myself.status == 400
    assert "You cannot disable your own account." in await myself.text()
    no_admin = await admin.post("/admin/users/roles", {"username": "root", "roles": "dispatcher"})
    assert no_admin.status == 400
    async with console.ctx.sessions() as session:
        steps = [
            (e.action, e.actor, e.subject, e.origin)
            for e in await audit.entries(session)
            if e.action.startswith("staff.") and e.actor == "staff:root"
        ]
    assert steps[1:] == [  # after root's own sign-in
        ("staff.created", "staff:root", "staff:saule", "127.0.0.1"),
        ("staff.roles_changed", "staff:root", "staff:saule", "127.0.0.1"),
        ("staff.disabled", "staff:root", "staff:saule", "127.0.0.1"),
        ("staff.enabled", "staff:root", "staff:saule", "127.0.0.1"),
        ("staff.password_reset", "staff:root", "staff:saule", "127.0.0.1"),
    ]


async def test_settings_never_show_a_secret(console: ConsoleHarness) -> None:
    await console.add_staff("root", "admin")
    console.ctx.settings = console.ctx.settings.model_copy(
        update={
            "telegram_token": SecretStr("123456:the-real-bot-token"),
            "smpp_password": SecretStr("sm8pass"),
            "database_url": "postgresql+asyncpg://komek:db-password-1@db:5432/komek",
            "redis_url": "redis://:redis-password-2@redis:6379/0",
            "sms_http_url": "http://kannel:13013/cgi-bin/sendsms?username=komek&password=gw-pass-3",
        }
    )
    client = await console.client("root")
    response = await client.get("/admin/settings")
    assert response.status == 200
    page = await response.text()
    for secret in (
        "the-real-bot-token",
        "sm8pass",
        "db-password-1",
        "redis-password-2",
        "gw-pass-3",
    ):
        assert secret not in page
    text = text_of(page)
    assert "KOMEK_TELEGRAM_TOKEN Secret: set Bot token from @BotFather" in text
    assert "KOMEK_WEBHOOK_SECRET Secret: not set" in text
    assert "KOMEK_DATABASE_URL postgresql+asyncpg://komek:********@db:5432/komek" in text
    assert "redis://:********@redis:6379/0" in text
    assert "username=komek&password=********" in text
    assert "KOMEK_CONSOLE_TWO_PERSON_RULE yes" in text


async def test_the_audit_log_is_filtered_and_paged(console: ConsoleHarness) -> None:
    await console.add_staff("root", "admin")
    await console.add_staff("dana", "coordinator")
    client = await console.client("root")
    await console.client("dana")
    now = console.ctx.clock.now()
    async with console.ctx.sessions.begin() as session:
        for number in range(60):
            audit.record(
                session, at=now, actor="staff:dana", action="test.step", subject=f"n:{number}"
            )

    first = text_of(await (await client.get("/admin/audit")).text())
    assert "Page 1: entries 1 to 50." in first
    assert "Older entries" in first and "Newer entries" not in first
    older = await client.get("/admin/audit?page=2")
    assert "Newer entries" in text_of(await older.text())

    mine = await (await client.get("/admin/audit?actor=dana&action=staff.")).text()
    assert "staff.logged_in" in mine and "test.step" not in mine and "staff:root" not in mine
    steps = text_of(await (await client.get("/admin/audit?action=test.&page=2")).text())
    assert "Page 2: entries 51 to 60." in steps
    tomorrow = (to_local(now) + timedelta(days=1)).date()
    later = await client.get(f"/admin/audit?from={tomorrow}")
    assert "No entries match." in await later.text()
    today = to_local(now).date()
    sign_ins = await (
        await client.get(f"/admin/audit?action=staff.logged_in&from={today}&to={today}")
    ).text()
    assert "staff:root" in sign_ins and "staff:dana" in sign_ins
    # a day is a day in Kazakhstan: 00:30 local is still the evening before in UTC
    day = today - timedelta(days=3)
    edges = [(time(0, 30), "test.edge.early"), (time(23, 30), "test.edge.late")]
    async with console.ctx.sessions.begin() as session:
        for moment, action in edges:
            at = datetime.combine(day, moment, tzinfo=LOCAL_ZONE).astimezone(UTC)
            audit.record(session, at=at, actor="staff:dana", action=action)
        outside = datetime.combine(day, time(0), tzinfo=LOCAL_ZONE) - timedelta(minutes=1)
        audit.record(
            session, at=outside.astimezone(UTC), actor="staff:dana", action="test.edge.before"
        )
    on_the_day = await (
        await client.get(f"/admin/audit?action=test.edge&from={day}&to={day}")
    ).text()
    assert "test.edge.early" in on_the_day and "test.edge.late" in on_the_day
    assert "test.edge.before" not in on_the_day
    assert f"{day} 00:30:00" in on_the_day
    wrong = await client.get(f"/admin/audit?from={today}&to={today - timedelta(days=2)}")
    assert "The last day is before the first day." in await wrong.text()


async def test_only_admins_see_admin_pages(console: ConsoleHarness) -> None:
    await console.add_staff("aigul", "dispatcher,approver,coordinator")
    client = await console.client("aigul")
    for path in ("/admin/registry", "/admin/users", "/admin/audit", "/admin/settings"):
        assert (await client.get(path)).status == 403, path
    refused = await upload(client, cp1251(OFFICE_LIST), consent_version="1")
    assert refused.status == 403
    assert await registrants(console) == 0
