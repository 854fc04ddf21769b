"""The domain's own messages (compose checks, area notes, approval refusals, the importer's
row problems; the CAP validator's, the alert service's and the importer's file refusals are in
test_domain_refusals.py) in the viewer's language: the domain gives English text with a catalog key
(core.said.Said), the console says it in Kazakh or Russian; what has no key yet stays English
and is marked so."""

from __future__ import annotations

import pickle
import re
from datetime import UTC, datetime

import aiohttp

from alerts.approval import NEEDS_APPROVER
from alerts.compose import Draft, compose
from core.i18n import Catalogs
from core.profile import Language
from core.said import Said, joined
from tests.console.form_fields import with_values
from tests.console.harness import ConsoleHarness
from tests.console.test_admin import OFFICE_LIST, cp1251
from tests.console.test_compose import compose as compose_in_console
from tests.console.test_compose import new_form, text_of

RUSSIAN = {"Accept-Language": "ru", "Accept": "text/html"}
KAZAKH = {"Accept-Language": "kk", "Accept": "text/html"}


def test_said_is_the_english_text_and_says_it_in_each_language() -> None:
    catalogs = Catalogs.load()
    said = Said("alerts.compose.too_long", limit=120, size=130)
    assert said == "At most 120 characters; this has 130. Keep it short."
    assert (
        said.said_in(catalogs, Language.RU) == "Не больше 120 знаков, а здесь 130. Пишите короче."
    )
    headline = Said("alerts.compose.write_headline", in_language=Said("alerts.in_language.ru"))
    assert headline == "Write the headline in Russian."
    assert headline.said_in(catalogs, Language.KK) == "Тақырыпты орыс тілінде жазыңыз."
    assert pickle.loads(pickle.dumps(headline)).said_in(catalogs, Language.RU) == (
        "Напишите заголовок на русском."
    )
    both = joined([Said("alerts.area.swapped"), Said("alerts.area.holes")])
    assert isinstance(both, Said) and both.startswith("The points look like longitude")
    assert both.said_in(catalogs, Language.RU).endswith("его получит весь контур.")
    assert joined([Said("alerts.area.holes"), "plain"]).endswith(" plain")


def test_compose_gives_keys_for_what_a_person_must_fix() -> None:
    draft = Draft(template="nope", status="Actual", regions=("99",))
    composed = compose(draft, now=datetime(2026, 12, 7, tzinfo=UTC))
    keys = {name: getattr(text, "key", None) for name, text in composed.problems.items()}
    assert keys["template"] == "alerts.compose.choose_template"
    assert keys["regions"] == "alerts.compose.not_kato"
    assert keys["headline_kk"] == "alerts.compose.write_headline"


async def test_field_problems_are_in_russian_and_an_unkeyed_reason_is_marked_english(
    console: ConsoleHarness,
) -> None:
    await console.add_staff("berik", "dispatcher")
    client = await console.client("berik")
    fields = with_values(
        await new_form(client),
        headline_ru="",
        polygons="{not json",
        circles="43.3,north 5",
        regions=[],
    )
    response = await client.http.post(
        "/alerts/new", data=fields, headers=RUSSIAN, allow_redirects=False
    )
    assert response.status == 422
    html = await response.text()
    problem = re.search(r'<p class="field-problem" id="headline_ru-problem">(.*?)</p>', html)
    assert problem is not None
    assert text_of(problem.group(1)) == "Ошибка: Напишите заголовок на русском."
    assert 'lang="en"' not in problem.group(1)
    assert '<a href="#headline_ru">Напишите заголовок на русском.</a>' in html
    circles = re.search(r'id="circles-problem">(.*?)</p>', html)
    assert circles is not None
    assert text_of(circles.group(1)).startswith("Ошибка: Не понять круг «43.3,north 5»")
    # the JSON reader's complaint is said in words of the page's language, with where it is
    polygons = re.search(r'id="polygons-problem">(.*?)</p>', html)
    assert polygons is not None and 'lang="en"' not in polygons.group(1)
    assert text_of(polygons.group(1)) == (
        "Ошибка: Это не верный GeoJSON: строка 1, знак 2: нужно имя в двойных кавычках."
    )


async def test_an_approval_refusal_is_in_kazakh(console: ConsoleHarness) -> None:
    await console.add_staff("gulnar", "dispatcher")
    await console.add_staff("daniyar", "dispatcher")
    alert_id = await compose_in_console(
        await console.client("gulnar"), status="Actual", regions="75"
    )
    other = await console.client("daniyar")
    review = await (await other.http.get(f"/alerts/{alert_id}/review", headers=KAZAKH)).text()
    refusal = re.search(r'<p class="warning" id="approve-refusal">(.*?)</p>', review)
    assert refusal is not None
    kazakh = NEEDS_APPROVER.said_in(console.ctx.catalogs, Language.KK)
    assert kazakh.startswith("Нақты хабарлама тек мақұлдаудан кейін")
    assert text_of(refusal.group(1)).endswith(kazakh)
    assert 'lang="en"' not in refusal.group(1)


async def test_the_import_report_says_row_problems_in_russian(console: ConsoleHarness) -> None:
    await console.add_staff("root", "admin")
    client = await console.client("root")
    form = aiohttp.FormData()
    form.add_field("csrf_token", client.csrf)
    form.add_field("consent_version", "2025-1")
    form.add_field("file", cp1251(OFFICE_LIST), filename="list.csv", content_type="text/csv")
    response = await client.http.post(
        "/admin/registry", data=form, headers=RUSSIAN, allow_redirects=False
    )
    assert response.status == 200
    html = await response.text()
    row = re.search(r'<tr><td class="number">3</td>(.*?)</tr>', html)
    assert row is not None
    assert "<td>номер телефона с ошибкой</td>" in row.group(1)
    assert 'lang="en"' not in row.group(1)
