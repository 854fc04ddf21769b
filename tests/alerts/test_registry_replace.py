"""An import that replaces a region's list marks inactive who is no longer on it, and only them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from alerts.models import Registrant
from alerts.registry.importer import import_registry
from alerts.registry.replace import Replacement
from alerts.registry.store import RegistrantKey, upsert
from alerts.targeting import Audience, preview
from cli.alerts_commands import alerts_app
from core import audit
from core.database import SessionFactory, create_engine, session_factory
from core.settings import Settings
from tests.alerts.broadcast import alert

NOW = datetime(2026, 2, 1, tzinfo=UTC)
LATER = NOW + timedelta(days=7)
HEADER = "Телефон;Вид инвалидности;Язык;Область"
ALMATY = {
    "A": "87010000001;глухой;ru;75",
    "B": "87010000002;глухой;ru;75",
    "C": "87010000003;незрячий;kk;751110000",
}
ASTANA = {"D": "87010000004;глухой;ru;71"}
PHONES = {name: f"+7701000000{n}" for n, name in enumerate("ABCDE", start=1)}


def write(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


async def load(sessions: SessionFactory, tmp_path: Path) -> None:
    """Everybody from the first list, and E, who joined through the bot in Almaty."""
    first = write(tmp_path / "first.csv", [*ALMATY.values(), *ASTANA.values()])
    await import_registry(sessions, first, actor="staff:anna", now=NOW, consent_version="1")
    values = {
        "disability_kinds": ["deaf"],
        "language": "kk",
        "region": "75",
        "consent_source": "bot",
        "consent_version": "bot-1",
        "consent_at": NOW,
    }
    async with sessions.begin() as session:
        await upsert(session, RegistrantKey(phone=PHONES["E"], telegram_chat_id=5), values, NOW)


async def states(sessions: SessionFactory) -> dict[str, tuple[bool, datetime | None]]:
    async with sessions() as session:
        rows = (await session.scalars(select(Registrant))).all()
    names = {phone: name for name, phone in PHONES.items()}
    return {names[str(r.phone)]: (r.active, r.inactive_since) for r in rows}


async def test_who_the_region_list_no_longer_names_is_marked_inactive_and_nobody_else(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    await load(sessions, tmp_path)
    without_b = write(tmp_path / "almaty.csv", [ALMATY["A"], ALMATY["C"]])

    plain = await import_registry(
        sessions, without_b, actor="staff:anna", now=LATER, consent_version="1"
    )
    before = await states(sessions)
    report = await import_registry(
        sessions,
        without_b,
        actor="staff:anna",
        now=LATER,
        consent_version="1",
        replace=Replacement.of_region("Алматы"),
    )
    after = await states(sessions)
    async with sessions() as session:
        reached = await preview(session, alert("quake"), Audience(), test_group_only=False)
        entries = await audit.entries(session, action="registry.import")

    assert (plain.replaced, plain.deactivated) == (None, 0)
    assert all(active for active, _ in before.values())  # an import alone removes nobody
    assert (report.replaced, report.deactivated, report.unidentified) == ("75", 1, 0)
    assert after == {
        "A": (True, None),
        "B": (False, LATER),  # no longer on Almaty's list
        "C": (True, None),
        "D": (True, None),  # Astana's list was not replaced
        "E": (True, None),  # joined through the bot: not the office's to remove
    }
    assert reached.recipients == 3  # A, C and E; B gets no more alerts
    assert entries[-1].details["replaced"] == "75"
    assert entries[-1].details["deactivated"] == 1


async def test_a_later_list_that_names_them_again_makes_them_active_again(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    await load(sessions, tmp_path)
    everyone = [*ALMATY.values(), *ASTANA.values()]
    await import_registry(
        sessions,
        write(tmp_path / "short.csv", [ALMATY["A"]]),
        actor="a",
        now=NOW,
        consent_version="1",
        replace=Replacement(),
    )
    gone = await states(sessions)
    report = await import_registry(
        sessions,
        write(tmp_path / "all.csv", everyone),
        actor="a",
        now=LATER,
        consent_version="1",
        replace=Replacement(),
    )

    assert [name for name, (active, _) in sorted(gone.items()) if not active] == ["B", "C", "D"]
    assert (report.updated, report.deactivated) == (3, 0)
    assert await states(sessions) == dict.fromkeys("ABCDE", (True, None))


async def test_a_row_that_names_nobody_readable_stops_any_deactivation(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    await load(sessions, tmp_path)
    rows = [
        ALMATY["A"],
        "87010000003;глухой;ru;Марс",  # C: not imported (unknown region), but named by phone
        "8701000000;глухой;ru;75",  # a digit missing: maybe B, maybe anybody
    ]

    report = await import_registry(
        sessions,
        write(tmp_path / "typo.csv", rows),
        actor="a",
        now=LATER,
        consent_version="1",
        replace=Replacement.of_region("75"),
    )
    fixed = await import_registry(
        sessions,
        write(tmp_path / "fixed.csv", rows[:2]),
        actor="a",
        now=LATER,
        consent_version="1",
        replace=Replacement.of_region("75"),
    )

    assert (report.rejected, report.unidentified, report.deactivated) == (2, 1, 0)
    assert (fixed.unidentified, fixed.deactivated) == (0, 1)
    assert [name for name, (active, _) in sorted((await states(sessions)).items())] == list("ABCDE")
    assert not (await states(sessions))["B"][0]
    assert (await states(sessions))["C"][0]  # named by its readable phone


def test_the_command_says_how_many_were_marked_inactive(tmp_path: Path) -> None:
    env = {"KOMEK_DATA_DIR": str(tmp_path / "var"), "KOMEK_LOG_LEVEL": "WARNING"}
    runner = CliRunner()
    first = write(tmp_path / "first.csv", [*ALMATY.values(), *ASTANA.values()])
    second = write(tmp_path / "second.csv", [ALMATY["A"]])
    typo = write(tmp_path / "typo.csv", [ALMATY["A"], "12;глухой;ru;75"])
    args = ["import-registry", "--consent-version", "1"]

    loaded = runner.invoke(alerts_app, [*args, str(first)], env=env)
    refused = runner.invoke(alerts_app, [*args, str(typo), "--replace-region", "75"], env=env)
    replaced = runner.invoke(alerts_app, [*args, str(second), "--replace-region", "75"], env=env)
    unknown = runner.invoke(alerts_app, [*args, str(second), "--replace-region", "Марс"], env=env)
    both = runner.invoke(
        alerts_app, [*args, str(second), "--replace-region", "75", "--full-list"], env=env
    )
    country = runner.invoke(alerts_app, [*args, str(second), "--full-list"], env=env)

    assert loaded.exit_code == 0, loaded.output
    assert "marked inactive" not in loaded.output
    assert refused.exit_code == 0, refused.output
    assert "Nobody was marked inactive in region 75: 1 rows have no readable phone" in " ".join(
        refused.output.split()
    )
    assert replaced.exit_code == 0, replaced.output
    assert "2 registrants no longer on the list were marked inactive (region 75;" in " ".join(
        replaced.output.split()
    )
    assert unknown.exit_code == 1 and "--replace-region" in unknown.output
    assert both.exit_code == 1 and "give one: --replace-region or --full-list" in both.output
    assert "1 registrants no longer on the list were marked inactive (the whole country;" in (
        " ".join(country.output.split())
    )

    async def active() -> list[str]:
        engine = create_engine(Settings(_env_file=None, data_dir=tmp_path / "var"))  # type: ignore[call-arg]
        async with session_factory(engine)() as session:
            found = (await session.scalars(select(Registrant.phone).where(Registrant.active))).all()
        await engine.dispose()
        return [str(phone) for phone in found]

    assert asyncio.run(active()) == [PHONES["A"]]
