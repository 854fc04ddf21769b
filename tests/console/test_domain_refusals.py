"""Refusals the domain gives staff, in the staff member's language: the CAP validator's reason
and the alert service's in the API's error body, an alert that is not awaiting approval on the
review page, and the list importer's file messages on the import page (in the console's words
for the form's boxes, where the command line names its options)."""

from __future__ import annotations

from alerts.cap.errors import CapError
from alerts.cap.parse import parse
from core.i18n import Catalogs
from core.profile import Language
from core.said import Said
from tests.alerts.broadcast import SENDER
from tests.alerts.cap_documents import cap
from tests.console.harness import ConsoleHarness
from tests.console.test_admin import OFFICE_LIST, cp1251, upload
from tests.console.test_cap_api import api, get_json, post_cap
from tests.console.test_compose import compose, text_of


def test_a_cap_refusal_carries_its_key_and_is_english_as_before() -> None:
    try:
        parse(b"")
    except CapError as error:
        refused = error.reason
    assert isinstance(refused, Said) and refused.key == "alerts.cap.empty"
    assert refused == "the document is empty"
    assert refused.said_in(Catalogs.load(), Language.KK) == "Құжат бос."


async def test_the_api_gives_the_cap_reason_in_the_clients_language(
    console: ConsoleHarness,
) -> None:
    token = await console.ctx.accounts.api_senders.create(
        "hydromet", actor="test", cap_senders=[SENDER]
    )
    http = await api(console)
    status, body, _ = await post_cap(http, b"<alert/>", token, headers={"Accept-Language": "ru"})
    assert status == 422
    assert body["detail"] == "Это не CAP 1.1/1.2: корень <alert> без пространства имён."
    status, body, _ = await post_cap(http, b"", token, headers={"Accept-Language": "kk"})
    assert status == 422 and body["detail"] == "Құжат бос."
    # the schema's complaint in plain words, without the validator's English (h21)
    wrong = cap(status="Real")
    status, body, _ = await post_cap(http, wrong, token, headers={"Accept-Language": "ru"})
    assert status == 422
    assert body["detail"] == (
        "Строка 6: <status> может быть только одним из: Actual, Exercise, System, Test, Draft."
    )
    # a client that names no language gets English, as before
    status, body, _ = await post_cap(http, b"", token)
    assert status == 422 and body["detail"] == "the document is empty"
    async with http.get(
        "/api/alerts/4040",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "kk"},
    ) as response:
        assert response.status == 404
        assert (await response.json())["detail"] == "4040 хабарламасы жоқ."
    status, english = await get_json(http, "/api/alerts/4040", token)
    assert status == 404 and english["detail"] == "there is no alert 4040"


async def test_an_alert_no_longer_awaiting_approval_is_said_in_russian(
    console: ConsoleHarness,
) -> None:
    await console.add_staff("gulnar", "dispatcher")
    client = await console.client("gulnar")
    alert_id = await compose(client, status="Exercise", regions="75")
    for attempt in (1, 2):
        response = await client.http.post(
            f"/alerts/{alert_id}/reject",
            data={"csrf_token": client.csrf, "reason": "the wrong district"},
            headers={"Accept": "text/html", "Accept-Language": "ru"},
            allow_redirects=False,
        )
        if attempt == 1:
            assert response.status == 303
    assert response.status == 409
    page = text_of(await response.text())
    assert f"Текст {alert_id} сейчас rejected. Он не ждёт, что его одобрят." in page
    assert "not awaiting approval" not in page


async def test_the_importers_file_messages_are_in_kazakh_and_russian(
    console: ConsoleHarness,
) -> None:
    await console.add_staff("root", "admin")
    client = await console.client("root")
    client.http.headers["Accept-Language"] = "kk"
    empty = await upload(client, b"", consent_version="1")
    assert empty.status == 422
    kazakh = text_of(await empty.text())
    assert "list.csv файлы жүктелмеді. Файл бос." in kazakh
    old_excel = await upload(client, b"\xd0\xcf\x11\xe0" + b"\0" * 600, name="list.xls")
    assert "Ескі Excel .xls файлы оқылмайды." in text_of(await old_excel.text())

    client.http.headers["Accept-Language"] = "ru"
    no_version = await upload(client, cp1251(OFFICE_LIST))
    assert no_version.status == 422
    russian = text_of(await no_version.text())
    # the console's own words: the form's box, not the command line's --consent-version
    assert "В файле нет столбца с версией согласия. Дайте её в поле «Версия согласия»." in russian
    assert "--consent-version" not in russian
    unknown = await upload(
        client,
        cp1251(["Номер;Вид инвалидности;Язык;Область", "87011112233;глухой;ru;75"]),
        consent_version="1",
    )
    text = text_of(await unknown.text())
    assert "Не найден столбец для: phone." in text
    assert "Укажите его в поле «Столбцы» (по одному ПОЛЕ=СТОЛБЕЦ в строке)." in text
