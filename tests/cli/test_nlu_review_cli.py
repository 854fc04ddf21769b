"""`komek nlu review` labels kept messages (by flags and by questions), `komek nlu
export-reviewed` writes them as training data the model is trained on at its next start; both
audited."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from cli.main import app
from core import audit
from core.clock import ManualClock
from core.database import create_engine, session_factory, upgrade
from core.models import ReviewItem
from core.people import People
from core.profile import Language
from core.settings import Settings
from nlu import review
from nlu.pipeline import load_or_train
from nlu.review import Guess, Reason
from nlu.training_data import load_directory, load_file
from tests.nlu.conftest import write_small_data

MESSAGES = [
    ("my name is Aigul, I need a sign interpreter for the notary", Language.EN),
    ("ну это самое как там", Language.RU),
    ("нотариусқа ымдау тілі аудармашысы керек 87011234567", Language.KK),
]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    settings = Settings(_env_file=None, environment="test", data_dir=tmp_path / "var")  # type: ignore[call-arg]

    async def prepare() -> None:
        engine = create_engine(settings)
        await upgrade(engine)
        clock = ManualClock()
        async with session_factory(engine).begin() as session:
            person = await People(clock).create(session, 4242, Language.EN)
            await review.agree(session, person, text_key="learning.what", now=clock.now())
            for text, language in MESSAGES:
                guess = Guess(text, language.value, "greet", 0.2)
                await review.keep(session, person, guess, Reason.UNSURE, now=clock.now())
        await engine.dispose()

    asyncio.run(prepare())
    return {"KOMEK_DATA_DIR": str(tmp_path / "var"), "KOMEK_LOG_LEVEL": "WARNING", "COLUMNS": "200"}


def stored(env: dict[str, str]) -> tuple[dict[int, str | None], dict[str, list[dict[str, object]]]]:
    settings = Settings(_env_file=None, data_dir=Path(env["KOMEK_DATA_DIR"]))  # type: ignore[call-arg]

    async def read() -> tuple[dict[int, str | None], dict[str, list[dict[str, object]]]]:
        engine = create_engine(settings)
        async with session_factory(engine)() as session:
            rows = (await session.execute(select(ReviewItem.id, ReviewItem.label))).all()
            entries = await audit.entries(session)
        await engine.dispose()
        actions: dict[str, list[dict[str, object]]] = {}
        for entry in entries:
            actions.setdefault(entry.action, []).append(
                {"actor": entry.actor, "subject": entry.subject, **entry.details}
            )
        return {row.id: row.label for row in rows}, actions

    return asyncio.run(read())


def test_label_by_flags_and_by_questions_then_export_a_training_file(
    env: dict[str, str], tmp_path: Path
) -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["nlu", "review", "--no-interactive"], env=env)
    assert listed.exit_code == 0, listed.output
    assert "Messages waiting to be labelled: 3" in listed.output
    assert "my name is [name], I need a sign interpreter for the notary" in listed.output
    assert "[phone]" in listed.output and "87011234567" not in listed.output
    assert "Aigul" not in listed.output

    flags = [
        "--label=1=sign_interpreter_info",
        "--label=2=not_a_request",
        "--label=3=made_up_intent",
        "--label=99=greet",
    ]
    labelled = runner.invoke(app, ["nlu", "review", *flags, "--as", "olga"], env=env)
    assert labelled.exit_code == 1
    assert "Labelled: 2." in labelled.output
    assert "3: 'made_up_intent' is not an intent the assistant knows" in labelled.output
    assert "99: no such message is kept" in labelled.output
    bad = runner.invoke(app, ["nlu", "review", "--label", "three=greet"], env=env)
    assert bad.exit_code == 2 and "write it as ID=intent" in bad.output

    asked = runner.invoke(
        app,
        ["nlu", "review", "--interactive"],
        input="?\nsign_interpreter\nsign_interpreter_info\n",
        env=env,
    )
    assert asked.exit_code == 0, asked.output
    assert "social_taxi_info" in asked.output  # the list, after "?"
    assert "'sign_interpreter' is not one of them" in asked.output
    labels, actions = stored(env)
    assert labels == {1: "sign_interpreter_info", 2: "not_a_request", 3: "sign_interpreter_info"}
    assert [(e["actor"], e["subject"], e["label"]) for e in actions["nlu_review.labelled"]] == [
        ("staff:olga", "review:1", "sign_interpreter_info"),
        ("staff:olga", "review:2", "not_a_request"),
        ("staff:cli", "review:3", "sign_interpreter_info"),
    ]
    assert len(actions["nlu_review.viewed"]) == 2  # the two listings

    target = tmp_path / "reviewed.yml"
    exported = runner.invoke(app, ["nlu", "export-reviewed", str(target)], env=env)
    assert exported.exit_code == 0, exported.output
    assert "2 examples (2 new; 0 left out" in exported.output
    examples = {(e.text, e.intent, e.language) for e in load_file(target).examples}
    assert examples == {
        ("my name is, I need a sign interpreter for the notary", "sign_interpreter_info", "en"),
        ("нотариусқа ымдау тілі аудармашысы керек", "sign_interpreter_info", "kk"),
    }
    again = runner.invoke(app, ["nlu", "export-reviewed", str(target), "--as", "olga"], env=env)
    assert "2 examples (0 new; 2 left out" in again.output
    assert len(load_file(target).examples) == 2
    _, actions = stored(env)
    assert [(e["actor"], e["added"], e["file"]) for e in actions["nlu_review.exported"]] == [
        ("staff:cli", 2, "reviewed.yml"),
        ("staff:olga", 0, "reviewed.yml"),
    ]


def test_an_exported_file_in_the_data_folder_retrains_the_model(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_small_data(data)  # a few intents of the real data: retraining takes seconds, not minutes
    before = load_directory(data)
    from nlu.review_export import Reviewed, export

    taught = "жол жүру үшін арнайы көлік керек еді ауруханаға"
    export([Reviewed(taught, "social_taxi_info", Language.KK)], data / "reviewed.yml", known=before)
    after = load_directory(data)
    assert after.fingerprint != before.fingerprint
    assert ("social_taxi_info", taught) in {(e.intent, e.text) for e in after.examples}
    cache = tmp_path / "models"
    models = load_or_train(cache, data, embedder=None)  # TF-IDF alone: the retraining is the point
    assert models.fingerprint == after.fingerprint
    assert (cache / f"nlu-{after.fingerprint}-v{models.format}-tfidf.pickle").exists()
