"""The list's files: Kazakh text in every encoding offices use, Excel files, headers that need
a mapping, and files that cannot be imported at all, each with a clear reason."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook  # type: ignore[import-untyped]

from alerts.registry.importer import FileError, Problem, import_registry
from core.database import SessionFactory
from core.profile import Language
from tests.alerts.registry_lists import NOW, stored, write

KAZAKH_LIST = [
    "Телефон нөмірі\tМүгедектік түрі\tТілі\tОблыс\tКелісім күні",
    "+7 701 123 45 67\tнашар естітін\tқазақша\tҚарағанды облысы\t2025-03-01",
    "",
    "+7 702 765 43 21\tзағип\tорысша\tАстана қаласы\t2025-03-01",
]


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [
        ("utf-8", "\n"),
        ("utf-8-sig", "\r\n"),
        ("utf-16", "\r\n"),  # Excel's "Unicode text": a BOM, little-endian, tabs
        ("utf-16-le", "\n"),  # the same without a BOM
        ("utf-16-be", "\n"),
        ("kz1048", "\r\n"),  # Windows' Kazakh code page
    ],
)
async def test_kazakh_text_is_read_in_every_encoding_offices_save_in(
    sessions: SessionFactory, tmp_path: Path, encoding: str, newline: str
) -> None:
    path = write(tmp_path / "list.txt", KAZAKH_LIST, encoding=encoding, newline=newline)

    report = await import_registry(
        sessions, path, actor="staff:anna", now=NOW, consent_version="2025-1"
    )

    assert report.problems == []
    assert report.imported == 2
    people = await stored(sessions)
    assert (people["+77011234567"].language, people["+77011234567"].region) == ("kk", "35")
    assert people["+77011234567"].disability_kinds == ["hard_of_hearing"]
    assert (people["+77027654321"].language, people["+77027654321"].region) == ("ru", "71")


async def test_an_xlsx_list_reads_numbers_and_dates_as_excel_stores_them(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Full name", "Phone", "Telegram", "Disability", "Language", "KATO", "Consent"])
    sheet.append(["A", 87011234567, None, "deaf", "en", 750000000, datetime(2025, 3, 1)])
    sheet.append([])
    sheet.append(["B", None, 123456789, "blind", "ru", 711000000, datetime(2025, 3, 1, 10)])
    sheet.append(["C", "8 701 123 45 67", None, "deaf", "kk", 19, datetime(2025, 3, 1)])
    sheet.append(["D", 87019876543, None, "deaf", "kk", 99, "вчера"])
    book.save(tmp_path / "list.xlsx")

    report = await import_registry(
        sessions, tmp_path / "list.xlsx", actor="staff:anna", now=NOW, consent_version="v2"
    )

    assert report.kind == "XLSX"
    assert report.not_read == ("Full name",)
    assert report.problems == [
        Problem(5, "phone", "same phone as line 2"),
        Problem(6, "consent_date", "not a date; use YYYY-MM-DD or DD.MM.YYYY"),
        Problem(6, "region", "not a KATO code of a Kazakhstan region"),
    ]
    people = await stored(sessions)
    assert people["+77011234567"].region == "75"
    by_chat = people["123456789"]
    assert (by_chat.phone, by_chat.region, by_chat.disability_kinds) == (None, "711", ["blind"])
    assert by_chat.consent_at == datetime(2025, 3, 1, 5, tzinfo=UTC)


async def test_an_unrecognised_header_is_named_with_a_mapping(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    lines = ["Номер для связи,Нарушение,Регион,Версия согласия", "87011234567,глухой,75,v1"]
    path = write(tmp_path / "list.csv", lines, encoding="utf-8")

    with pytest.raises(FileError, match="no column found for: phone, language"):
        await import_registry(sessions, path, actor="staff:anna", now=NOW)
    report = await import_registry(
        sessions,
        path,
        actor="staff:anna",
        now=NOW,
        mapping={"phone": "номер для связи"},
        default_language=Language.RU,
    )

    assert (report.imported, report.problems) == (1, [])
    assert report.columns["phone"] == "Номер для связи"
    person = (await stored(sessions))["+77011234567"]
    assert (person.language, person.consent_version, person.consent_at) == ("ru", "v1", NOW)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            ["Телефон;Вид;Язык;Область", "87011234567;глухой;ru;75"],
            "no column found for: disability_kinds",
        ),
        (["Телефон;Нарушение;Язык;Область", "87011234567;глухой;ru;75"], "--consent-version"),
        (["Телефон 1;Телефон 2;Нарушение;Язык;Область"], "more than one column could be the phone"),
        ([], "the file is empty"),
    ],
)
async def test_a_file_that_cannot_be_imported_at_all_says_why(
    sessions: SessionFactory, tmp_path: Path, lines: list[str], message: str
) -> None:
    path = write(tmp_path / "list.csv", lines) if lines else tmp_path / "list.csv"
    path.touch()

    with pytest.raises(FileError, match=re.escape(message)):
        await import_registry(sessions, path, actor="staff:anna", now=NOW)


async def test_an_old_xls_or_garbage_is_refused(sessions: SessionFactory, tmp_path: Path) -> None:
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    (tmp_path / "noise.csv").write_bytes(b"phone;region\n\x98\x98;75\n")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")

    with pytest.raises(FileError, match="old Excel"):
        await import_registry(sessions, tmp_path / "old.xls", actor="a", now=NOW)
    with pytest.raises(FileError, match="not a readable XLSX"):
        await import_registry(sessions, tmp_path / "broken.xlsx", actor="a", now=NOW)
    with pytest.raises(FileError, match="not text in UTF-8, UTF-16 or Windows-1251"):
        await import_registry(sessions, tmp_path / "noise.csv", actor="a", now=NOW)
    with pytest.raises(FileError, match="cannot open"):
        await import_registry(sessions, tmp_path / "missing.csv", actor="a", now=NOW)
