"""The command line says the domain's messages in the staff's language: `--lang`, else
KOMEK_STAFF_LANGUAGE, else the locale, else English (issue 21)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner, Result

from alerts.service import AlertStatus
from cli.alert_sending import show_status
from cli.alerts_commands import alerts_app
from cli.staff_language import StaffWords, choose, from_locale
from core.profile import Language
from core.said import catalogs
from tests.alerts.cap_documents import cap
from tests.alerts.registry_lists import write

CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
DOCTYPE = b'<!DOCTYPE a [<!ENTITY x "xx">]><a>&x;</a>'


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(alerts_app, list(args), env=env)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "ru_RU.UTF-8"}, Language.RU),
        ({"LANG": "kk_KZ.UTF-8"}, Language.KK),
        ({"LC_MESSAGES": "kk_KZ", "LANG": "ru_RU.UTF-8"}, Language.KK),
        ({"LC_ALL": "ru_KZ.UTF-8", "LC_MESSAGES": "kk_KZ", "LANG": "en_US"}, Language.RU),
        ({"LC_ALL": "C.UTF-8", "LANG": "ru_RU.UTF-8"}, None),  # the first one set decides
        ({"LANG": "de_DE.UTF-8"}, None),
        ({"LANG": "en_GB@euro"}, Language.EN),
        ({}, None),
    ],
)
def test_the_locale_names_the_language(environ: dict[str, str], expected: Language) -> None:
    assert from_locale(environ) == expected


def test_the_option_comes_before_the_setting_and_the_setting_before_the_locale() -> None:
    ru = {"LANG": "ru_RU.UTF-8"}
    assert choose(Language.KK, Language.EN, ru) is Language.KK
    assert choose(None, Language.EN, ru) is Language.EN
    assert choose(None, None, ru) is Language.RU
    assert choose(None, None, {"LANG": "C"}) is Language.EN


def test_cap_check_says_the_refusal_in_kazakh_and_russian(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(DOCTYPE)
    english = run("cap-check", str(bomb))
    kazakh = run("cap-check", "--lang", "kk", str(bomb))
    russian = run("cap-check", str(bomb), env={"LANG": "ru_RU.UTF-8"})
    english_reason = "a DOCTYPE is not allowed in a CAP alert (DTDs and entities)"
    assert english.output == f"invalid: {english_reason}\n"
    assert kazakh.exit_code == russian.exit_code == 1
    assert kazakh.output == "invalid: CAP хабарында DOCTYPE болмауы керек: DTD да, entity да.\n"
    assert russian.output == "invalid: В CAP нельзя DOCTYPE: ни DTD, ни сущностей.\n"


def test_cap_check_says_a_valid_summary_in_the_setting_s_language(tmp_path: Path) -> None:
    document = tmp_path / "quake.xml"
    circle = "\n      <circle>43.25,76.95 5</circle>"
    document.write_bytes(cap(geometry=circle))
    russian = run("cap-check", str(document), env={"KOMEK_STAFF_LANGUAGE": "ru"})
    kazakh = run("cap-check", str(document), "--lang", "KK", env={"KOMEK_STAFF_LANGUAGE": "ru"})
    assert russian.exit_code == kazakh.exit_code == 0, russian.output
    assert russian.output == ("valid: CAP 1.2 Alert, статус Actual; языки: ru-KZ; области: круг\n")
    assert kazakh.output == "valid: CAP 1.2 Alert, күйі Actual; тілдері: ru-KZ; аумақтар: шеңбер\n"


def test_an_unknown_language_is_refused(tmp_path: Path) -> None:
    refused = run("cap-check", "--lang", "de", str(tmp_path / "x.xml"))
    assert refused.exit_code == 2
    bad_setting = run("cap-check", str(tmp_path / "x.xml"), env={"KOMEK_STAFF_LANGUAGE": "de"})
    assert bad_setting.exit_code != 0
    assert "staff_language" in repr(bad_setting.exception)


def test_the_audience_check_of_send_is_said_in_russian() -> None:
    refused = run("send", "nowhere.xml", "--kind", "tall", "--lang", "ru")
    assert refused.exit_code == 1
    assert "tall" in refused.output and CYRILLIC.search(refused.output), refused.output


def test_status_of_no_such_alert_is_said_in_kazakh(tmp_path: Path) -> None:
    env = {
        "KOMEK_ENVIRONMENT": "test",
        "KOMEK_DATA_DIR": str(tmp_path / "var"),
        "KOMEK_LOG_LEVEL": "WARNING",
        "LANG": "kk_KZ.UTF-8",
    }
    refused = run("status", "404", env=env)
    assert refused.exit_code == 1, refused.output
    assert "404" in refused.output and CYRILLIC.search(refused.output), refused.output
    assert "no alert" not in refused.output.lower()


REGISTRY = [
    "ФИО;Телефон;Вид инвалидности;Язык;Область;Дата согласия",
    "Иванов Иван;8 701 123 45 67;незрячий;русский;Алматы;01.03.2025",
    "Омаров Али;телефон;глухой;ru;Алматы;01.03.2025",
    "Сидоров Петр;+7 701 123 45 67;глухой;kk;Алматы;2025-03-01",
]


def test_the_import_report_and_its_problems_in_russian_and_kazakh(tmp_path: Path) -> None:
    path = write(tmp_path / "list.csv", REGISTRY)
    env = {"KOMEK_DATA_DIR": str(tmp_path / "var"), "KOMEK_LOG_LEVEL": "WARNING"}
    args = ["import-registry", str(path), "--consent-version", "2025-1"]
    problems = tmp_path / "problems.csv"
    russian = run(*args, "--lang", "ru", "--problems-csv", str(problems), env=env)
    assert russian.exit_code == 0, russian.output
    assert "Прочитан CSV (cp1251, ';'): строк 3." in russian.output
    assert "Новые: 1. Обновлены: 0. Те же: 0. Не взяты: 2." in russian.output
    assert "Ошибок: 2" in russian.output
    assert "это не номер телефона" in russian.output
    assert "тот же телефон, что в строке 2" in russian.output
    assert "тот же телефон, что в строке 2" in problems.read_text(encoding="utf-8-sig")
    assert "Иванов" not in russian.output

    kazakh = run(*args, env=env | {"KOMEK_STAFF_LANGUAGE": "kk"})
    assert kazakh.exit_code == 0, kazakh.output
    assert "Жаңа 0, жаңартылды 0, өзгеріссіз 1, жүктелмеді 2." in kazakh.output
    assert "phone number" not in kazakh.output and "same phone" not in kazakh.output

    unreadable = run("import-registry", str(tmp_path / "none.csv"), "--lang", "kk", env=env)
    assert unreadable.exit_code == 1
    assert "none.csv жүктелмеді: Файлды ашу мүмкін емес" in unreadable.output
    both = run(*args, "--full-list", "--replace-region", "75", "--lang", "ru", env=env)
    assert both.exit_code == 1
    assert "укажите что-то одно: --replace-region или --full-list" in both.output


def test_the_progress_of_a_send_is_said_in_russian() -> None:
    status = AlertStatus(
        alert_id=7,
        identifier="KZ-ALM-0007",
        state="sent",
        msg_type="Alert",
        status="Actual",
        recipients=3,
        deliveries={"telegram": {"delivered": 2}, "sms": {"failed": 1}, "new_channel": {"sent": 1}},
        safe=1,
        need_help=1,
        unclear=0,
        no_answer=0,
        waiting=1,
    )
    console = Console(record=True, width=120)
    show_status(status, console, StaffWords(Language.RU, catalogs()))
    shown = console.export_text()
    assert "Оповещение 7: KZ-ALM-0007 (Отправлено)" in shown
    assert "Канал" in shown and "Доставлено" in shown and "В очереди" in shown
    assert "SMS" in shown and "new_channel" in shown  # a channel without words keeps its name
    assert "Людей 3. В безопасности: 1. Нужна помощь: 1. Неясно: 0. Ждём: 1." in shown
    assert not re.search(r"\b(people|safe|Channel|Queued|Alert 7)\b", shown), shown
