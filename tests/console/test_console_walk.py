"""Every console page in Kazakh and Russian has no English left (issue 21).

The walk reads the application's own GET routes, so a page added anywhere is walked the moment
it exists. It signs in as each role, asks for each page in kk and ru, and reads every text a
person sees or hears: text nodes, and the labels screen readers announce (aria-label, title,
placeholder, alt, button values). A Latin-letter word in any of them is English left behind,
unless the element says it is in another language (`lang`, as an alert's English text or an
English organisation name is marked) or the word is a name (a user name, Kömek, SMS...).

Pages whose words are not in the catalogs yet are listed in NOT_YET: the walk checks that they
still have English (so the list cannot go stale) and says so; emptying it is the goal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from console.app import create_app
from core.profile import Language
from tests.console.cap_documents import current
from tests.console.harness import ConsoleHarness, StaffClient
from tests.console.test_bookings_board import at, book, today, weekday_after
from tests.console.test_inbox import emergency, person

ROLES = ("admin", "dispatcher", "approver", "coordinator")
NAMES = {"w-admin", "w-dispatcher", "w-approver", "w-coordinator"}
"""User names are shown as they are: Latin letters that are not English."""
NAMES_AND_CODES = {
    "Kömek", "SMS", "CAP", "KATO", "CSV", "XLSX", "XML", "GeoJSON", "Excel", "ID", "Telegram",
    "OpenStreetMap",
    "Almaty",  # the test alert's area, as its CAP document names it inside the kk and ru texts
}  # fmt: skip
NOT_YET: set[str] = set()
"""Pages still in English only (their templates and messages not yet in the catalogs): none."""
SKIPPED = re.compile(
    r"(/events$|/pictures$|\.ogg$|\.csv$|^/api/|^/sms/|^/inbox/latest$|^/(healthz|readyz|metrics)$)"
)
"""Not pages: live streams, pieces of a page (walked within it), sound, downloads, the API and
monitoring."""
LATIN_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ]+(?:[-'][A-Za-zÀ-ÖØ-öø-ɏ]+)*")
SPOKEN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
SILENT = {"script", "style", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class VisibleText(HTMLParser):
    """The texts of a page a person meets, with the language each is marked as."""

    page_lang: str = ""
    texts: list[tuple[str, str]] = field(default_factory=list)
    _stack: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    @property
    def _lang(self) -> str:
        return self._stack[-1][1] if self._stack else self.page_lang

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.page_lang = values.get("lang", "")
        lang = values.get("lang") or self._lang
        if values.get("translate") == "no":
            lang = "names"
        if tag == "input" and values.get("type") in ("submit", "button"):
            self.texts.append((lang, values.get("value", "")))
        for name in SPOKEN_ATTRIBUTES:
            if values.get(name):
                self.texts.append((lang, values[name]))
        if tag not in VOID:
            self._stack.append((tag, "silent" if tag in SILENT else lang))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip() and self._lang != "silent":
            self.texts.append((self._lang, data.strip()))


def english_left(page: str, allowed: set[str]) -> tuple[str, list[str]]:
    """The page's language and its texts in that language that hold an English word."""
    reader = VisibleText()
    reader.feed(page)
    left = [
        text
        for lang, text in reader.texts
        if lang == reader.page_lang
        and any(word not in allowed for word in LATIN_WORD.findall(text))
    ]
    return reader.page_lang, left


def test_the_reader_finds_english_and_respects_lang() -> None:
    page = (
        '<html lang="ru"><head><title>Оповещения</title><script>var x = "Hello";</script>'
        '</head><body><p>Записи</p><p lang="en">Astana branch</p><p translate="no">aigul</p>'
        '<button aria-label="Close it">×</button><input type="submit" value="Send"></body></html>'
    )
    assert english_left(page, set()) == ("ru", ["Close it", "Send"])


@pytest.fixture
async def world(console: ConsoleHarness) -> dict[str, str]:
    """Something on every page: an alert, a help request with words, a booking."""
    for role in ROLES:
        await console.add_staff(f"w-{role}", role)
    stored = await console.system.service.receive(current("walk-1"), actor="staff:w-dispatcher")
    deaf = await person(console, 7301, Language.RU, "deaf")
    request = await emergency(console, deaf, "fire", place=True)
    await book(console, deaf, at(weekday_after(today(console), 2), 10))
    return {"alert_id": str(stored.id), "request_id": str(request)}


def html_pages(console: ConsoleHarness, values: dict[str, str]) -> dict[str, str]:
    """Every GET route that draws a page: its pattern and its path with ids filled in."""
    pages: dict[str, str] = {}
    for context in iter_route_contexts(create_app(console.ctx).routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or "GET" not in (context.methods or ()):
            continue
        pattern = re.sub(r":\w+}", "}", str(context.path_format))
        path = pattern
        for name, value in values.items():
            path = path.replace(f"{{{name}}}", value)
        if SKIPPED.search(pattern) or "{" in path:
            continue
        pages[pattern] = path
    return pages


async def test_every_page_in_kazakh_and_russian_has_no_english(
    console: ConsoleHarness, world: dict[str, str]
) -> None:
    pages = html_pages(console, world)
    assert {"/", "/login", "/bookings", "/inbox", "/inbox/{request_id}"} <= set(pages)
    assert not NOT_YET - set(pages), "NOT_YET names a page that does not exist"
    clients: dict[str, StaffClient] = {role: await console.client(f"w-{role}") for role in ROLES}
    clients["visitor"] = await console.client()
    allowed = NAMES | NAMES_AND_CODES
    problems: list[str] = []
    walked: dict[str, set[str]] = {}
    for pattern, path in sorted(pages.items()):
        for who, client in clients.items():
            for language in ("kk", "ru"):
                answer = await client.get(path, headers={"Accept-Language": language})
                if answer.status != 200 or "text/html" not in answer.content_type:
                    continue
                lang, left = english_left(await answer.text(), allowed)
                walked.setdefault(pattern, set()).add(who)
                if lang != language:
                    problems.append(f"{path} as {who}: <html lang={lang!r}>, wanted {language}")
                if pattern in NOT_YET:
                    continue
                problems += [f"{path} as {who} in {language}: {text!r}" for text in left[:5]]
        if pattern in NOT_YET and pattern in walked:
            answer = await clients["admin" if "admin" in pattern else "dispatcher"].get(
                path, headers={"Accept-Language": "ru"}
            )
            _, left = english_left(await answer.text(), allowed)
            assert left, f"{pattern} has no English left: take it out of NOT_YET"
    assert set(walked) >= set(pages) - NOT_YET, walked
    assert not problems, "\n".join(problems)


def error_paths(console: ConsoleHarness) -> dict[str, str]:
    """Every page route with its ids for something that does not exist, and a few requests
    every console refuses: an unknown address, a wrong value in the address bar."""
    nowhere = {"alert_id": "4040", "request_id": "4040", "booking_id": "4040", "user_id": "4040"}
    paths = {f"{pattern} (none)": path for pattern, path in html_pages(console, nowhere).items()}
    paths |= {
        "unknown address": "/no-such-page",
        "a word where a number goes": "/alerts/not-a-number",
        "a query value that is not a number": "/admin/audit?page=many",
        "a value the validator refuses": "/inbox/4040/events?after=soon",
        "an unknown voice language": "/alerts/4040/voice/xx.ogg",
    }
    return paths


async def test_every_error_page_in_kazakh_and_russian_has_no_english(
    console: ConsoleHarness, world: dict[str, str]
) -> None:
    """404, 403, 405 and 422 pages: refusals of the console and the domain, as each role."""
    clients: dict[str, StaffClient] = {role: await console.client(f"w-{role}") for role in ROLES}
    allowed = NAMES | NAMES_AND_CODES
    problems: list[str] = []
    statuses: set[int] = set()
    requests = [(name, path) for name, path in error_paths(console).items()]
    requests += [(f"{p} (as another role)", path) for p, path in html_pages(console, world).items()]
    for name, path in sorted(requests):
        for who, client in clients.items():
            for language in ("kk", "ru"):
                answer = await client.get(path, headers={"Accept-Language": language})
                if answer.status < 400 or "text/html" not in answer.content_type:
                    continue
                statuses.add(answer.status)
                lang, left = english_left(await answer.text(), allowed)
                if lang != language:
                    problems.append(f"{name} as {who}: <html lang={lang!r}>, wanted {language}")
                problems += [f"{name} as {who} in {language}: {text!r}" for text in left[:5]]
    # a form sent without its token, and a page asked for with a method it does not take
    dispatcher = clients["dispatcher"]
    for language in ("kk", "ru"):
        headers = {"Accept-Language": language}
        for name, answer in (
            ("no form token", await dispatcher.post("/alerts/new", csrf=False, headers=headers)),
            ("wrong method", await dispatcher.post("/login/nowhere", headers=headers)),
        ):
            statuses.add(answer.status)
            lang, left = english_left(await answer.text(), allowed)
            problems += [f"{name} in {language}: {text!r}" for text in left[:5]]
    assert {403, 404, 422} <= statuses, statuses
    assert not problems, "\n".join(problems)
