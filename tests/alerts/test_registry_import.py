"""Importing the official list: encodings, columns, the per-line report, idempotent re-import."""

from __future__ import annotations

import asyncio
import csv
import gc
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from alerts.models import Registrant
from alerts.registry.importer import ImportAborted, Problem, import_registry
from cli.alerts_commands import alerts_app
from core import audit
from core.database import SessionFactory, create_engine, session_factory
from core.settings import Settings
from tests.alerts.registry_lists import NOW, stored, write

# What an office sends: Windows-1251, ";" between cells, decimal commas, a name column, and
# every kind of mistake. Kazakh names are typed without Kazakh letters (cp1251 has none).
OFFICE_LIST = [
    "ФИО;Телефон;Вид инвалидности;Язык;Область;Широта;Долгота;Дата согласия;СМС",
    "Иванов Иван;8 701 123 45 67;незрячий;русский;Алматы;43,238;76,889;01.03.2025;да",
    "",
    "Петрова Анна;8 727 272 00 00;глухой;каз;75;;;01.03.2025;",
    "Сидоров Петр;+7 701 123 45 67;слабослышащий;kk;Алматы;;;2025-03-01;",
    "Ахметов Ерлан;87011112233;нашар естітін, глухой;казахский;Караганды облысы;;;2025-03-01;",
    "Омаров Али;12345;глухой;ru;Алматы;;;2025-03-01;",
    "Ким Ольга;телефон;глухой;ru;Алматы;;;2025-03-01;",
    "Ли Юрий;87012223344;глухой;ru;Марс;;;2025-03-01;",
    "Пак Инна;87013334455;глухой;ru;Алматы;;;;",
    "Цой Олег;87014445566;глухой;ru;Алматы;abc;76,9;2025-03-01;",
    "Бек Аян;87015556677;глухой;ru;Алматы;55,75;37,62;2025-03-01;",
    "Нур Дана;87016667788;глухой;ru;Алматы;76,889;43,238;2025-03-01;",
    "Ем Иван;87017778899;глухой;ru;Алматы;43,2;;2025-03-01;",
    ";;;;;;;;",
    "Тен Вера;87018889900;хромой;ru;Алматы;;;2025-03-01;",
    "Хан Лев;87019990011;глухой;ru;Алматы;;;2027-03-01;",
    "Ан Мира;87471234567;слепой, глухой;en;751110000;;;2025-03-01;нет",
    "Нет Телефона;;глухой;ru;Алматы;;;2025-03-01;",
    "Два Промаха;123;глухой;ru;Луна;;;2025-03-01;может быть",
    "Астанова Айгуль;87051112233;слабовидящая;орысша;Астана каласы;;;1.3.2025;",
]

OFFICE_PROBLEMS = [
    Problem(4, "phone", "not a mobile number, so it cannot receive SMS"),
    Problem(5, "phone", "same phone as line 2"),
    Problem(7, "phone", "not a valid phone number"),
    Problem(8, "phone", "not a phone number"),
    Problem(9, "region", "unknown region; use a KATO code or the region's name"),
    Problem(10, "consent_date", "missing"),
    Problem(11, "latitude", "not a number in degrees"),
    Problem(12, "coordinates", "outside Kazakhstan"),
    Problem(13, "coordinates", "latitude and longitude look swapped"),
    Problem(14, "longitude", "missing: give both or neither"),
    Problem(
        16,
        "disability_kinds",
        "unknown kind; use a word such as blind, deaf, low vision or other (in kk, ru or en)",
    ),
    Problem(17, "consent_date", "date is in the future"),
    Problem(19, "phone", "missing: a phone or a Telegram chat id"),
    Problem(20, "phone", "not a valid phone number"),
    Problem(20, "region", "unknown region; use a KATO code or the region's name"),
    Problem(20, "wants_sms", "not yes or no"),
]


async def test_an_office_list_in_cp1251_is_imported_and_every_bad_line_reported(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    path = write(tmp_path / "list.csv", OFFICE_LIST)
    seen: list[tuple[int, int | None]] = []

    report = await import_registry(
        sessions,
        path,
        actor="staff:anna",
        now=NOW,
        consent_version="2025-1",
        progress=lambda done, total: seen.append((done, total)),
    )

    assert report.problems == OFFICE_PROBLEMS
    assert report.kind == "CSV (cp1251, ';')"
    assert report.not_read == ("ФИО",)
    assert (report.rows, report.imported, report.updated, report.unchanged) == (18, 4, 0, 0)
    assert report.rejected == 14
    assert seen[-1] == (20, 20)
    people = await stored(sessions)
    assert set(people) == {"+77011234567", "+77011112233", "+77471234567", "+77051112233"}
    first = people["+77011234567"]
    assert (first.disability_kinds, first.language, first.region) == (["blind"], "ru", "75")
    assert (first.latitude, first.longitude, first.wants_sms) == (43.238, 76.889, True)
    assert first.consent_at == datetime(2025, 2, 28, 19, tzinfo=UTC)  # local midnight, UTC+5
    assert (first.consent_source, first.consent_version, first.active) == ("list", "2025-1", True)
    kazakh = people["+77011112233"]
    assert (kazakh.disability_kinds, kazakh.language, kazakh.region) == (
        ["deaf", "hard_of_hearing"],
        "kk",
        "35",
    )
    both = people["+77471234567"]
    assert (both.disability_kinds, both.language, both.region) == (["deafblind"], "en", "75111")
    assert both.wants_sms is False
    astana = people["+77051112233"]
    assert (astana.disability_kinds, astana.language, astana.region) == (["low_vision"], "ru", "71")


async def test_importing_again_changes_nothing_and_a_corrected_list_updates_people(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    path = write(tmp_path / "list.csv", OFFICE_LIST)
    await import_registry(sessions, path, actor="staff:anna", now=NOW, consent_version="2025-1")
    before = await stored(sessions)

    again = await import_registry(
        sessions,
        path,
        actor="staff:anna",
        now=datetime(2026, 2, 1, tzinfo=UTC),
        consent_version="2025-1",
    )

    assert (again.imported, again.updated, again.unchanged) == (0, 0, 4)
    assert again.problems == OFFICE_PROBLEMS
    after = await stored(sessions)
    assert {k: v.updated_at for k, v in after.items()} == {
        k: v.updated_at for k, v in before.items()
    }

    corrected = [line.replace(";русский;", ";қазақша;") for line in OFFICE_LIST]
    write(tmp_path / "corrected.csv", corrected, encoding="utf-8")
    fixed = await import_registry(
        sessions, tmp_path / "corrected.csv", actor="staff:anna", now=NOW, consent_version="2025-1"
    )
    assert (fixed.imported, fixed.updated, fixed.unchanged) == (0, 1, 3)
    assert (await stored(sessions))["+77011234567"].language == "kk"


async def test_the_audit_log_gets_counts_and_no_personal_data(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    path = write(tmp_path / "list.csv", OFFICE_LIST)
    await import_registry(sessions, path, actor="staff:anna", now=NOW, consent_version="2025-1")

    async with sessions() as session:
        (entry,) = await audit.entries(session, action="registry.import")
    assert entry.actor == "staff:anna"
    assert entry.details["rows"] == 18
    assert entry.details["imported"] == 4
    assert entry.details["rejected"] == 14
    assert entry.details["result"] == "done"
    recorded = str(entry.details)
    for personal in ("7011234567", "Иванов", "незряч", "Алматы"):
        assert personal not in recorded


async def test_a_database_failure_stops_between_chunks_and_a_rerun_finishes(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    lines = ["phone;disability;language;region"]
    lines += [f"+7701{n:07d};deaf;ru;75" for n in range(25)]
    path = write(tmp_path / "list.csv", lines)
    async with sessions.begin() as session:  # a real failure, raised by the database itself
        await session.execute(
            text(
                "CREATE TRIGGER refuse BEFORE INSERT ON registrants "
                "WHEN NEW.phone = '+77010000015' BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )
        )

    with pytest.raises(ImportAborted) as stopped:
        await import_registry(
            sessions, path, actor="a", now=NOW, consent_version="v1", chunk_size=10
        )

    assert str(stopped.value) == (
        "the database failed while storing lines 12–21 (IntegrityError). The lines before "
        "them are stored. It is safe to import the file again."
    )
    assert stopped.value.report.imported == 10
    assert len(await stored(sessions)) == 10
    async with sessions.begin() as session:
        await session.execute(text("DROP TRIGGER refuse"))
        (entry,) = await audit.entries(session, action="registry.import")
        assert entry.details["result"] == "aborted"
    rerun = await import_registry(sessions, path, actor="a", now=NOW, consent_version="v1")
    assert (rerun.imported, rerun.unchanged) == (15, 10)


async def test_consent_given_in_the_bot_is_not_overwritten_by_the_list(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    bot_consent = datetime(2025, 6, 1, tzinfo=UTC)
    async with sessions.begin() as session:
        session.add(
            Registrant(
                phone="+77011234567",
                telegram_chat_id=42,
                disability_kinds=["deaf"],
                language="kk",
                region="75",
                latitude=43.25,
                longitude=76.9,
                consent_source="bot",
                consent_version="bot-3",
                consent_at=bot_consent,
                active=False,
                created_at=bot_consent,
                updated_at=bot_consent,
            )
        )
    lines = ["Телефон;Нарушение;Язык;Область;Широта;Долгота", "87011234567;глухой;ru;75;;"]
    path = write(tmp_path / "list.csv", lines)

    report = await import_registry(sessions, path, actor="a", now=NOW, consent_version="v1")

    assert (report.updated, report.problems) == (1, [])
    person = (await stored(sessions))["+77011234567"]
    assert (person.consent_source, person.consent_version, person.consent_at) == (
        "bot",
        "bot-3",
        bot_consent,
    )
    assert (person.language, person.latitude, person.active) == ("ru", 43.25, False)


async def test_a_100000_row_list_is_stored_in_chunks_with_progress_and_flat_memory(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    rows = 100_000
    kinds = ("незрячий", "глухой", "слабослышащий, глухой", "deafblind")
    places = ("75", "71", "Алматы", "Караганды облысы", "751110000")
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Телефон;Вид инвалидности;Язык;Область\n")
        for n in range(rows):
            handle.write(
                f"8701{n:07d};{kinds[n % 4]};{('kk', 'ru', 'en')[n % 3]};{places[n % 5]}\n"
            )
    calls: list[tuple[int, int | None]] = []
    blocks: dict[int, int] = {}

    def progress(done: int, total: int | None) -> None:
        calls.append((done, total))
        if len(calls) in (10, 100):  # after 10,000 rows and after 100,000
            gc.collect()
            blocks[len(calls)] = sys.getallocatedblocks()

    report = await import_registry(
        sessions, path, actor="a", now=NOW, consent_version="v1", progress=progress
    )

    assert (report.rows, report.imported, report.problems) == (rows, rows, [])
    assert calls[:2] == [(1000, rows), (2000, rows)]
    assert calls[-2:] == [(rows, rows), (rows, rows)]  # the last chunk, then "finished"
    assert len(calls) == rows // 1000 + 1
    # Rows are not kept: what grows is the duplicate check's phone → line index, about two
    # small objects a row. Keeping the rows themselves would cost ten or more.
    grown = blocks[100] - blocks[10]
    assert grown < 90_000 * 4, grown
    async with sessions() as session:
        count = await session.scalar(select(func.count()).select_from(Registrant))
    assert count == rows


def test_the_command_imports_a_list_prints_the_report_and_exits_1_only_when_unreadable(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "list.csv", OFFICE_LIST)
    env = {"KOMEK_DATA_DIR": str(tmp_path / "var"), "KOMEK_LOG_LEVEL": "WARNING"}
    runner = CliRunner()
    args = ["import-registry", str(path), "--consent-version", "2025-1", "--as", "anna"]

    done = runner.invoke(
        alerts_app, [*args, "--problems-csv", str(tmp_path / "problems.csv")], env=env
    )
    again = runner.invoke(alerts_app, [*args, "--map", "phone=Телефон"], env=env)
    unreadable = runner.invoke(alerts_app, ["import-registry", str(tmp_path / "none.csv")], env=env)
    no_version = runner.invoke(alerts_app, ["import-registry", str(path)], env=env)

    assert done.exit_code == 0, done.output
    assert "Read CSV (cp1251, ';'): 18 rows." in done.output
    assert 'Not read (not needed to warn anybody): "ФИО".' in done.output
    assert "New 4, updated 0, unchanged 0, not imported 14." in done.output
    assert "Problems: 16" in done.output
    assert "same phone as line 2" in done.output
    assert "Иванов" not in done.output and "7011234567" not in done.output
    with (tmp_path / "problems.csv").open(encoding="utf-8-sig") as handle:
        written = list(csv.reader(handle))
    assert written[0] == ["line", "field", "problem"]
    assert [Problem(int(line), field, text) for line, field, text in written[1:]] == OFFICE_PROBLEMS
    assert again.exit_code == 0, again.output
    assert "New 0, updated 0, unchanged 4, not imported 14." in again.output
    assert unreadable.exit_code == 1
    assert "none.csv was not imported: cannot open the file" in unreadable.output
    assert no_version.exit_code == 1
    assert "--consent-version" in no_version.output

    async def actors() -> list[str]:
        engine = create_engine(Settings(_env_file=None, data_dir=tmp_path / "var"))
        async with session_factory(engine)() as session:
            found = [
                entry.actor for entry in await audit.entries(session, action="registry.import")
            ]
        await engine.dispose()
        return found

    assert asyncio.run(actors()) == ["staff:anna", "staff:anna"]


@pytest.mark.postgres
async def test_on_postgresql_the_imported_list_is_counted_for_the_planner_at_once(
    tmp_path: Path,
) -> None:
    """An alert sent right after the import is planned for the list as it now is."""
    from core.database import upgrade
    from tests.conftest import need
    from tests.servers.postgres import postgres_bin, running_postgres

    need(postgres_bin() is not None, "PostgreSQL from Debian packages is not installed")
    lines = ["phone;disability;language;region;consent_date"] + [
        f"+7701{index:07d};deaf;ru;75;2025-03-01" for index in range(300)
    ]
    path = write(tmp_path / "list.csv", lines, encoding="utf-8")
    with running_postgres() as url:
        engine = create_engine(Settings(_env_file=None, database_url=url))  # type: ignore[call-arg]
        try:
            await upgrade(engine)
            sessions = session_factory(engine)
            report = await import_registry(
                sessions, path, actor="staff:anna", now=NOW, consent_version="1"
            )
            assert report.imported == 300
            async with sessions() as session:
                planned_for = await session.scalar(
                    text("SELECT reltuples FROM pg_class WHERE relname = 'registrants'")
                )
            assert planned_for == 300
        finally:
            await engine.dispose()
