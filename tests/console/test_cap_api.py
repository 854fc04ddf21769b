"""The CAP API as an alerting authority uses it: post a document with a token, follow it.

Real documents from other agencies are taken and wait for an approver; a trusted sender's
alert reaches people at once; hostile and broken XML is refused with the reason; a sender
sees only its own alerts.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from sqlalchemy import func, select

from alerts.cap.parse import parse
from alerts.models import Alert
from core import audit
from tests.alerts.broadcast import SENDER, add_registrants
from tests.alerts.cap_documents import BILLION_LAUGHS
from tests.console.cap_documents import current, real
from tests.console.harness import ConsoleHarness

CAP = "application/cap+xml"
NOAA = "KSTO@NWS.NOAA.GOV"
USGS = "http://earthquake.usgs.gov/research/monitoring/anss/neic/"


async def api(console: ConsoleHarness) -> aiohttp.ClientSession:
    """An HTTP client with no session cookie, as an alerting authority's system is."""
    return (await console.client()).http


async def post_cap(
    http: aiohttp.ClientSession,
    document: bytes,
    token: str | None,
    *,
    content_type: str = CAP,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any], str | None]:
    sent = {"Content-Type": content_type, **(headers or {})}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    async with http.post("/api/cap", data=document, headers=sent) as response:
        assert response.content_type == "application/json"
        return response.status, await response.json(), response.headers.get("Location")


async def get_json(
    http: aiohttp.ClientSession, path: str, token: str | None = None
) -> tuple[int, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with http.get(path, headers=headers) as response:
        return response.status, await response.json()


async def stored_alerts(console: ConsoleHarness) -> int:
    async with console.ctx.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Alert)) or 0)


async def test_a_real_cap_document_waits_for_an_approver(console: ConsoleHarness) -> None:
    token = await console.ctx.accounts.api_senders.create(
        "kazhydromet", actor="test", cap_senders=[NOAA]
    )
    http = await api(console)
    status, body, location = await post_cap(http, real("valid/02-oasis-thunderstorm.xml"), token)
    assert status == 202, body
    assert body["identifier"] == "KSTO1055887203"
    assert body["approval"] == "required"
    assert body["state"] == "awaiting_approval"
    assert location == f"/api/alerts/{body['id']}"

    status, alert_status = await get_json(http, location, token)
    assert status == 200
    assert alert_status["state"] == "awaiting_approval"
    assert alert_status["status"] == "Actual"
    assert alert_status["recipients"] == 0
    assert alert_status["deliveries"] == {}
    async with console.ctx.sessions() as session:
        received = await audit.entries(session, action="alert.received")
        approved = await audit.entries(session, action="alert.approved")
    assert [(e.actor, e.subject) for e in received] == [
        ("sender:kazhydromet", f"alert:{body['id']}")
    ]
    assert approved == []


async def test_the_cap_xml_of_an_alert_reads_back_as_the_same_alert(
    console: ConsoleHarness,
) -> None:
    token = await console.ctx.accounts.api_senders.create(
        "usgs", actor="test", cap_senders=[NOAA, USGS]
    )
    http = await api(console)
    for name in ("valid/11-usgs-earthquake-iso8859-1.xml", "valid/05-oasis-cap11-thunderstorm.xml"):
        original = parse(real(name))
        status, body, location = await post_cap(http, real(name), token)
        assert status == 202, body
        async with http.get(
            f"{location}.cap", headers={"Authorization": f"Bearer {token}"}
        ) as response:
            assert response.status == 200
            assert response.content_type == CAP
            served = parse(await response.read())
        assert (served.identifier, served.sender, served.sent) == (
            original.identifier,
            original.sender,
            original.sent,
        )
        assert [info.headline for info in served.infos] == [
            info.headline for info in original.infos
        ]


async def test_a_trusted_senders_alert_reaches_people_at_once(console: ConsoleHarness) -> None:
    console.ctx.settings = console.ctx.settings.model_copy(
        update={"cap_trusted_senders": "112-almaty, other"}
    )
    token = await console.ctx.accounts.api_senders.create(
        "112-almaty", actor="test", cap_senders=[SENDER]
    )
    chats = list(await console.sandbox.add_users(2))
    await add_registrants(
        console.ctx.sessions,
        [
            {"telegram_chat_id": chats[0], "language": "ru", "disability_kinds": ["deaf"]},
            {"telegram_chat_id": chats[1], "language": "ru", "region": "71"},  # Astana
        ],
    )
    http = await api(console)
    status, body, location = await post_cap(http, current("quake-api-1"), token)
    assert status == 202, body
    assert body["approval"] == "not required"
    await console.system.fanout.wait_idle()

    events = (await console.sandbox.events(chats[0]))["events"]
    texts = [e["message"]["text"] for e in events if e["kind"] == "bot_message"]
    assert len(texts) == 1 and texts[0].startswith("Выйдите из здания сейчас.")
    assert (await console.sandbox.events(chats[1]))["events"] == []
    assert location is not None
    status, alert_status = await get_json(http, location, token)
    assert status == 200
    assert alert_status["state"] in ("sending", "sent")
    assert alert_status["recipients"] == 1
    assert alert_status["deliveries"] == {"telegram": {"sent": 1}}
    assert alert_status["waiting"] == 1
    async with console.ctx.sessions() as session:
        approved = await audit.entries(session, action="alert.approved")
    assert [e.actor for e in approved] == ["sender:112-almaty"]


async def test_only_actual_alerts_of_untrusted_senders_wait(console: ConsoleHarness) -> None:
    token = await console.ctx.accounts.api_senders.create(
        "drills", actor="test", cap_senders=[SENDER]
    )
    http = await api(console)
    status, body, _ = await post_cap(http, current("drill-1", status="Exercise"), token)
    assert (status, body["approval"]) == (202, "not required")
    status, body, _ = await post_cap(http, current("real-1"), token)
    assert (status, body["approval"]) == (202, "required")
    console.ctx.settings = console.ctx.settings.model_copy(
        update={"console_two_person_rule": False}
    )
    status, body, _ = await post_cap(http, current("real-2"), token)
    assert (status, body["approval"]) == (202, "not required")


async def test_hostile_and_broken_documents_are_refused_with_the_reason(
    console: ConsoleHarness,
) -> None:
    token = await console.ctx.accounts.api_senders.create(
        "somebody", actor="test", cap_senders=[SENDER]
    )
    http = await api(console)
    external = current("xxe-1").replace(
        b"<?xml version='1.0' encoding='UTF-8'?>",
        b'<?xml version="1.0"?>\n<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    )
    assert b"<!DOCTYPE" in external
    external = external.replace("Землетрясение".encode(), b"&xxe;")
    cases = {
        "billion laughs": (BILLION_LAUGHS, "DOCTYPE"),
        "external entity": (external, "DOCTYPE"),
        "XXE test document": (real("invalid/03-xxe-doctype-extra-elements.xml"), "DOCTYPE"),
        "no scope": (real("invalid/01-missing-scope.xml"), "info"),
        "not CAP": (real("invalid/04-wrong-namespace.xml"), "CAP"),
        "not XML": (b"this is not an alert", "well-formed"),
        "empty": (b"", "empty"),
    }
    for name, (document, reason) in cases.items():
        status, body, location = await post_cap(http, document, token)
        assert status == 422, name
        assert isinstance(body["detail"], str) and reason in body["detail"], (name, body)
        assert "root:" not in body["detail"]
        assert location is None
    assert await stored_alerts(console) == 0

    status, body, _ = await post_cap(http, current("twice"), token)
    assert status == 202
    status, body, _ = await post_cap(http, current("twice"), token)
    assert status == 422 and "already here" in body["detail"]


async def test_only_cap_xml_up_to_one_mebibyte_is_read(console: ConsoleHarness) -> None:
    token = await console.ctx.accounts.api_senders.create("big", actor="test", cap_senders=[SENDER])
    http = await api(console)
    padding = b"<!--" + b"x" * (1024 * 1024) + b"-->"
    status, body, _ = await post_cap(http, current("large") + padding, token)
    assert status == 413
    assert "1 MiB" in body["detail"]
    status, body, _ = await post_cap(
        http, b'{"identifier": "x"}', token, content_type="application/json"
    )
    assert status == 415
    status, body, _ = await post_cap(
        http, current("as-xml"), token, content_type="application/xml; charset=utf-8"
    )
    assert status == 202
    assert await stored_alerts(console) == 1


async def test_without_a_valid_token_the_api_answers_401(console: ConsoleHarness) -> None:
    token = await console.ctx.accounts.api_senders.create(
        "real", actor="test", cap_senders=[SENDER]
    )
    http = await api(console)
    document = current("no-token")
    for headers in (
        {},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Bearer "},
        {"Authorization": f"Basic {token}"},
        {"Authorization": token},
    ):
        status, body, _ = await post_cap(http, document, None, headers=headers)
        assert status == 401, headers
        assert body["detail"]
        async with http.get("/api/alerts/1", headers=headers) as response:
            assert response.status == 401
    assert await stored_alerts(console) == 0


async def test_a_sender_reads_only_its_own_alerts(console: ConsoleHarness) -> None:
    first = await console.ctx.accounts.api_senders.create(
        "first", actor="test", cap_senders=[SENDER]
    )
    second = await console.ctx.accounts.api_senders.create(
        "second", actor="test", cap_senders=["second@komek.test"]
    )
    http = await api(console)
    _, body, location = await post_cap(http, current("mine"), first)
    assert location is not None
    for path in (location, f"{location}.cap"):
        async with http.get(path, headers={"Authorization": f"Bearer {second}"}) as response:
            assert response.status == 404
            assert (await response.json())["detail"] == f"there is no alert {body['id']}"
        async with http.get(path, headers={"Authorization": f"Bearer {first}"}) as response:
            assert response.status == 200
    assert (await get_json(http, "/api/alerts/999", first))[0] == 404

    await console.add_staff("approver", "approver")
    await console.add_staff("coordinator", "coordinator")
    staff = await console.client("approver")
    async with staff.http.get(location) as response:
        assert response.status == 200
        assert (await response.json())["identifier"] == "mine"
    coordinator = await console.client("coordinator")
    async with coordinator.http.get(location) as response:
        assert response.status == 403


async def test_a_signed_in_dispatcher_posts_with_the_csrf_token(console: ConsoleHarness) -> None:
    await console.add_staff("dispatcher", "dispatcher")
    staff = await console.client("dispatcher")
    status, body, _ = await post_cap(staff.http, current("from-console"), None)
    assert status == 403
    status, body, _ = await post_cap(
        staff.http, current("from-console"), None, headers={"X-CSRF-Token": staff.csrf}
    )
    assert (status, body["approval"]) == (202, "required")
    async with console.ctx.sessions() as session:
        stored = await session.get(Alert, body["id"])
    assert stored is not None and stored.created_by == "staff:dispatcher"

    # Staff are held to the console's rule: an Actual alert needs an approver, even with the
    # two-person rule off, and then the approver may send their own.
    console.ctx.settings = console.ctx.settings.model_copy(
        update={"console_two_person_rule": False}
    )
    headers = {"X-CSRF-Token": staff.csrf}
    status, body, _ = await post_cap(staff.http, current("rule-off"), None, headers=headers)
    assert (status, body["approval"]) == (202, "required")
    status, body, _ = await post_cap(
        staff.http, current("drill", status="Exercise"), None, headers=headers
    )
    assert (status, body["approval"]) == (202, "not required")
    await console.add_staff("both", "dispatcher,approver")
    both = await console.client("both")
    status, body, _ = await post_cap(
        both.http, current("by-approver"), None, headers={"X-CSRF-Token": both.csrf}
    )
    assert (status, body["approval"]) == (202, "not required")
