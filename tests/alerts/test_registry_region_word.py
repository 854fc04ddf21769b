"""The person's own latest word on their region wins over an older row of the official list
(alerts.registry.region_word): real imports of CSV files and the bot's region change, on the
test's SQLite database (migrated, 0021 included)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from alerts import subscriptions
from alerts.registry.importer import ImportReport, Problem, import_registry
from cli.alerts_commands import alerts_app
from core.clock import ManualClock
from core.database import SessionFactory, create_engine, session_factory
from core.models import AuditEntry
from core.people import People
from core.profile import Language
from core.settings import Settings
from tests.alerts.registry_lists import stored, write

HEADER = "Телефон;Телеграм;Вид инвалидности;Язык;Область;Широта;Долгота"
AIGERIM, BOLAT = "+77011234567", "+77017654321"
CHAT = 7001
T0 = datetime(2026, 3, 1, tzinfo=UTC)
KEPT = Problem(2, "region", "kept the region the person gave in the bot")


def _list(tmp_path: Path, name: str, *rows: str) -> Path:
    return write(tmp_path / name, [HEADER, *rows])


async def _import(sessions: SessionFactory, path: Path, at: datetime) -> ImportReport:
    return await import_registry(
        sessions, path, actor="staff:anna", now=at, consent_version="2025-1"
    )


async def _moves_in_the_bot(sessions: SessionFactory, region: str, at: datetime) -> str:
    """The person behind chat CHAT says in the bot they now live in `region`."""
    async with sessions.begin() as session:
        person = await People(ManualClock(at)).create(session, CHAT, Language.RU)
        person.region = region
        return (await subscriptions.follow_region(session, person, now=at)).value


async def _audited(sessions: SessionFactory, action: str) -> list[AuditEntry]:
    async with sessions() as session:
        query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return list((await session.scalars(query)).all())


async def test_an_older_list_row_does_not_undo_a_move_and_a_newer_one_does(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    shymkent = _list(tmp_path, "march.csv", f"{AIGERIM};{CHAT};глухой;ru;Шымкент;42,3;69,6")
    first = await _import(sessions, shymkent, T0)
    assert (first.imported, first.regions_kept) == (1, [])
    row = (await stored(sessions))[AIGERIM]
    assert (row.region, row.region_source, row.region_set_at, row.list_region) == (
        "79",
        "list",
        T0,
        "79",
    )

    moved_at = T0 + timedelta(days=10)
    assert await _moves_in_the_bot(sessions, "71", moved_at) == "moved_list_behind"
    row = (await stored(sessions))[AIGERIM]
    assert (row.region, row.region_source, row.region_set_at) == ("71", "bot", moved_at)
    assert (row.latitude, row.longitude, row.list_region) == (None, None, "79")
    (changed,) = await _audited(sessions, "alerts.region_changed")
    assert changed.details == {"was": "list"}, "whose word it was; never the place"

    stale = await _import(sessions, shymkent, T0 + timedelta(days=30))  # not yet corrected
    assert stale.regions_kept == [KEPT]
    assert (stale.updated, stale.unchanged, stale.problems) == (0, 1, [])
    row = (await stored(sessions))[AIGERIM]
    assert (row.region, row.region_source, row.region_set_at) == ("71", "bot", moved_at)
    assert (row.latitude, row.longitude) == (None, None), "the old place is not taken back"
    imports = await _audited(sessions, "registry.import")
    assert [entry.details["regions_kept"] for entry in imports] == [0, 1]

    later = T0 + timedelta(days=60)  # social services now say Karaganda: news after the move
    karaganda = _list(tmp_path, "may.csv", f"{AIGERIM};{CHAT};глухой;ru;Караганды;;")
    news = await _import(sessions, karaganda, later)
    assert (news.updated, news.regions_kept) == (1, [])
    row = (await stored(sessions))[AIGERIM]
    assert (row.region, row.region_source, row.region_set_at, row.list_region) == (
        "35",
        "list",
        later,
        "35",
    )


async def test_a_newer_list_still_moves_a_person_who_never_changed_it(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    await _import(sessions, _list(tmp_path, "a.csv", f"{BOLAT};;незрячий;kk;Шымкент;;"), T0)
    later = T0 + timedelta(days=5)
    report = await _import(
        sessions, _list(tmp_path, "b.csv", f"{BOLAT};;незрячий;kk;Астана;;"), later
    )
    assert (report.updated, report.regions_kept) == (1, [])
    row = (await stored(sessions))[BOLAT]
    assert (row.region, row.region_source, row.region_set_at) == ("71", "list", later)


@pytest.mark.parametrize(
    ("region", "conflict"),
    [("Шымкент;42,3;69,6", True), ("711110000;51,1;71,4", False)],
    ids=["another-region", "a-district-of-theirs"],
)
async def test_a_list_naming_a_bot_member_first_keeps_their_word_and_their_place(
    sessions: SessionFactory, tmp_path: Path, region: str, conflict: bool
) -> None:
    """Joined in the bot (Astana, with a place they shared); the list's first row about them
    may be years old: their region and place stay. Staff see the line when the row names
    another region; a district of their own is no conflict."""
    async with sessions.begin() as session:
        person = await People(ManualClock(T0)).create(session, CHAT, Language.EN)
        await subscriptions.subscribe(
            session,
            person,
            region="71",
            latitude=51.128,
            longitude=71.43,
            wants_sms=False,
            phone=None,
            contact_phone=None,
            consent_version="1",
            consent_key="alerts.consent.text",
            now=T0,
        )
    row = f";{CHAT};глухой;en;{region}"
    report = await _import(sessions, _list(tmp_path, "list.csv", row), T0 + timedelta(days=3))
    assert report.regions_kept == ([KEPT] if conflict else [])
    kept = (await stored(sessions))[str(CHAT)]
    assert (kept.region, kept.region_source, kept.region_set_at) == ("71", "bot", T0)
    assert (kept.latitude, kept.longitude) == (51.128, 71.43)
    assert kept.list_region == ("79" if conflict else "71111")
    assert kept.consent_source == "bot"


def test_the_command_shows_staff_the_lines_whose_region_was_kept(tmp_path: Path) -> None:
    path = _list(tmp_path, "list.csv", f"{AIGERIM};{CHAT};глухой;ru;Шымкент;;")
    env = {"KOMEK_DATA_DIR": str(tmp_path / "var"), "KOMEK_LOG_LEVEL": "WARNING"}
    args = ["import-registry", str(path), "--consent-version", "2025-1", "--as", "anna"]
    runner = CliRunner()
    assert runner.invoke(alerts_app, args, env=env).exit_code == 0

    async def move() -> str:
        settings = Settings(_env_file=None, data_dir=tmp_path / "var")  # type: ignore[call-arg]
        engine = create_engine(settings)
        try:
            return await _moves_in_the_bot(session_factory(engine), "71", T0)
        finally:
            await engine.dispose()

    assert asyncio.run(move()) == "moved_list_behind"
    again = runner.invoke(alerts_app, args, env=env)
    assert again.exit_code == 0, again.output
    assert "Regions kept: 1." in again.output
    assert "kept the region the person gave in the bot" in again.output
    assert "Шымкент" not in again.output and "Астана" not in again.output
