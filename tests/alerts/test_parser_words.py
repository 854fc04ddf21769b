"""What the XML parsers, the CAP schema, the CSV reader and the system say is wrong reaches
staff as a sentence of the catalogs, with the line (and column or row) and a plain reason, in
kk, ru and en; the parser's own English is only technical detail (issue 21)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from alerts.cap import xml_problems
from alerts.cap.errors import CapError
from alerts.cap.parse import parse
from alerts.registry.importer import FileError, ImportAborted, import_registry
from core.database import SessionFactory
from core.file_reasons import why_unreadable
from core.i18n import Catalogs
from core.profile import LANGUAGES, Language
from core.said import Said
from tests.alerts.cap_documents import cap
from tests.alerts.registry_lists import NOW, write

PARSER_WORDS = re.compile(
    r"Element '|This element|Expected is|facet|atomic type|mismatched tag|invalid token|"
    r"undefined entity|unclosed token|syntax error|field limit|No such file|\{urn:",
)
"""Words of expat, lxml, libxml2's validator, the csv module and the system."""


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs.load()


def refusal(data: bytes) -> CapError:
    with pytest.raises(CapError) as caught:
        parse(data)
    return caught.value


@pytest.mark.parametrize(
    ("data", "english"),
    [
        (b"This is not XML", "line 1, column 1: not well-formed XML: the text here is not XML"),
        (
            b"<alert>\n<b>x</c></alert>",
            "line 2, column 7: not well-formed XML: a closing tag does not match the tag it closes",
        ),
        (
            cap().replace("Землетрясение".encode(), b"&xxe;"),
            "line 12, column 12: not well-formed XML: an entity such as &name; is not defined",
        ),
        (cap()[:300], "line 10, column 5: not well-formed XML: a tag is not finished"),
        (
            cap(status="Real"),
            "line 6: <status> must be one of: Actual, Exercise, System, Test, Draft",
        ),
        (
            cap().replace(b"<scope>Public</scope>", b""),
            "line 9: <info> is not expected here. Expected: <source>, <scope>",
        ),
        (
            cap().replace(b"<info>", b"<info></info><info>", 1),
            "line 9: <info> lacks an element it needs: <language>, <category>",
        ),
        (
            cap().replace(b"2026-11-22T12:00:00+05:00", b"yesterday"),
            "line 5: the value of <sent> is not in the form CAP asks for",
        ),
        (
            cap().replace(b"<status>", b'<status lang="x">'),
            "line 6: <status> may not have the attribute lang",
        ),
        (
            cap().replace(b"<scope>Public</scope>", b"<scope>Public</scope>hello"),
            "line 2: <alert> may hold only other elements, not text",
        ),
    ],
)
def test_a_broken_document_is_explained_in_plain_words(
    catalogs: Catalogs, data: bytes, english: str
) -> None:
    refused = refusal(data)
    assert isinstance(refused.reason, Said)
    assert refused.reason.startswith(english)
    assert not PARSER_WORDS.search(refused.reason)
    assert refused.detail and PARSER_WORDS.search(refused.detail)  # kept, as technical detail
    line = english.split(":")[0].split(",")[0].removeprefix("line ")
    for language in (Language.KK, Language.RU):
        said = refused.reason.said_in(catalogs, language)
        assert line in said and not PARSER_WORDS.search(said), said
        assert "not" not in said.split() and "line" not in said, said


def test_russian_and_kazakh_say_line_and_column(catalogs: Catalogs) -> None:
    refused = refusal(b"<alert>\n<b>x</c></alert>").reason
    assert refused.said_in(catalogs, Language.RU) == (
        "Строка 2, символ 7: это не верный XML: закрывающий тег не тот, что открыт."
    )
    assert refused.said_in(catalogs, Language.KK) == (
        "2-жол, 7-таңба: бұл дұрыс XML емес: жабатын тег ашылған тегке сай емес."
    )
    schema = refusal(cap(status="Real")).reason
    assert schema.said_in(catalogs, Language.RU) == (
        "Строка 6: <status> может быть только одним из: Actual, Exercise, System, Test, Draft."
    )


def test_every_reason_the_parsers_can_give_has_words_in_every_language(
    catalogs: Catalogs,
) -> None:
    kinds = {*xml_problems._EXPAT.values(), *xml_problems._LIBXML.values(), "other"}
    keys = {f"alerts.cap.xml.{kind}" for kind in kinds}
    keys |= {
        f"alerts.cap.schema_{kind}"
        for kind in (
            "not_expected", "missing", "not_in_set", "attribute", "text", "bad_value",
            "element", "other",
        )
    }  # fmt: skip
    keys |= {"registry.csv.long_cell", "registry.csv.nul", "registry.csv.other"}
    keys |= {"files.missing", "files.no_permission", "files.folder", "files.other"}
    for language in LANGUAGES:
        missing = keys - catalogs.keys(language)
        assert not missing, (language, missing)


def test_an_unknown_schema_complaint_still_names_the_element() -> None:
    said = xml_problems.off_schema("SCHEMAV_SOMETHING_NEW", "Element '{urn:x}area': odd.", 4)
    assert said == "line 4: <area> does not follow the CAP schema"
    assert xml_problems.off_schema("X", "no element named", 3) == (
        "line 3: this does not follow the CAP schema"
    )


async def test_a_csv_row_too_long_to_read_is_explained_with_its_line(
    sessions: SessionFactory, tmp_path: Path, catalogs: Catalogs
) -> None:
    lines = ["Телефон;Вид инвалидности;Язык;Область", "87011112233;глухой;ru;75"]
    lines.append('87011112234;"' + "x" * (csv.field_size_limit() + 10) + ";ru;75")
    path = write(tmp_path / "list.csv", lines, encoding="utf-8")
    with pytest.raises(ImportAborted) as caught:
        await import_registry(sessions, path, actor="a", now=NOW, consent_version="1")
    reason = caught.value.reason
    assert isinstance(reason, Said)
    most = csv.field_size_limit()
    assert f"line 3 cannot be read as CSV: a cell is longer than {most} characters" in reason
    russian = reason.said_in(catalogs, Language.RU)
    assert f"Строку 3 не прочесть как CSV: ячейка длиннее {most} знаков" in russian
    assert not PARSER_WORDS.search(russian) and not PARSER_WORDS.search(reason)


async def test_a_missing_file_is_said_without_the_systems_english(
    sessions: SessionFactory, tmp_path: Path, catalogs: Catalogs
) -> None:
    with pytest.raises(FileError) as caught:
        await import_registry(sessions, tmp_path / "missing.csv", actor="a", now=NOW)
    reason = caught.value.reason
    assert reason == "cannot open the file: there is no such file"
    assert isinstance(reason, Said)
    assert reason.said_in(catalogs, Language.KK) == "Файлды ашу мүмкін емес: ондай файл жоқ."
    folder = why_unreadable(IsADirectoryError(21, "Is a directory"))
    assert folder.said_in(catalogs, Language.RU) == "это папка, а не файл"
