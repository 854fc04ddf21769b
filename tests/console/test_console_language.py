"""The console's language: the account's choice, else the browser's, else English."""

from __future__ import annotations

import re

import pytest

from console.language import from_accept_language
from core import audit
from core.profile import Language
from tests.console.harness import ConsoleHarness

LANG = re.compile(r'<html lang="([a-z]+)">')


@pytest.mark.parametrize(
    ("header", "wanted"),
    [
        ("ru-KZ,ru;q=0.9,en-US;q=0.8", Language.RU),
        ("en-GB, kk;q=0.9", Language.EN),
        ("de-DE, en;q=0.5, kk;q=0.7", Language.KK),
        ("kk;q=0, ru;q=0.1", Language.RU),
        ("fr, de", None),
        ("ru;q=nonsense, kk", Language.KK),
        ("", None),
    ],
)
def test_the_browser_language_by_its_weights(header: str, wanted: Language | None) -> None:
    assert from_accept_language(header) == wanted


async def test_the_browser_decides_until_the_account_chooses(console: ConsoleHarness) -> None:
    await console.add_staff("aigerim", "coordinator")
    client = await console.client("aigerim")
    home = await client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    text = await home.text()
    assert LANG.search(text).group(1) == "ru"  # type: ignore[union-attr]
    assert "Записи" in text and "Вы вошли как" in text and "координатор" in text

    plain = await client.get("/")
    assert LANG.search(await plain.text()).group(1) == "en"  # type: ignore[union-attr]

    chosen = await client.post("/language", {"language": "kk", "back": "/bookings"})
    assert chosen.status == 303 and chosen.headers["Location"] == "/bookings"
    home = await client.get("/", headers={"Accept-Language": "ru-RU,en;q=0.5"})
    text = await home.text()
    assert LANG.search(text).group(1) == "kk"  # type: ignore[union-attr]
    assert "Жазылулар" in text and "үйлестіруші" in text

    elsewhere = await client.post("/language", {"language": "", "back": "https://evil.example"})
    assert elsewhere.headers["Location"] == "/"
    home = await client.get("/", headers={"Accept-Language": "ru"})
    assert LANG.search(await home.text()).group(1) == "ru"  # type: ignore[union-attr]

    async with console.ctx.sessions() as session:
        changes = await audit.entries(session, action="staff.language_changed")
    assert [(e.actor, e.details.get("language")) for e in changes] == [
        ("staff:aigerim", "kk"),
        ("staff:aigerim", None),
    ]


async def test_the_sign_in_page_and_errors_follow_the_browser(console: ConsoleHarness) -> None:
    client = await console.client()
    login = await client.get("/login", headers={"Accept-Language": "kk"})
    text = await login.text()
    assert '<html lang="kk">' in text and "Құпиясөз" in text
    await console.add_staff("daniyar", "coordinator")
    staff = await console.client("daniyar")
    refused = await staff.get("/admin/users", headers={"Accept-Language": "ru"})
    assert refused.status == 403
    assert "Ваша роль этого не позволяет." in await refused.text()
