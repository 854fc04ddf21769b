"""`komek nlu predict` makes the decision the dialogue makes (issue 15's acceptance).

The command runs in-process (typer's runner) on the same trained models as the dialogue; a
sample of the contract's rows goes both through `komek nlu predict` and, typed after a
warning, through the bot. The command's intent must name the answer the dispatcher sees,
and must keep the row's contract: never `report_safe` for a person who is not safe.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.nlu_commands import nlu_app
from tests.safety.cases import Case, Expect
from tests.safety.cases_en import EN
from tests.safety.cases_kk import KK
from tests.safety.cases_ru import RU
from tests.safety.contract import dispatcher_view
from tests.safety.world import World

pytestmark = pytest.mark.asyncio(loop_scope="module")

DECISION = {"report_safe": "safe", "emergency_help": "help", "safety_unclear": "unclear"}
"""The intent `komek nlu predict` prints, as the answer the dispatcher would see."""
ALLOWED = {
    Expect.SAFE: {"safe"},
    Expect.HELP: {"help"},
    Expect.HELP_OR_UNCLEAR: {"help", "unclear"},
}
SAMPLE = [case for rows in (KK, RU, EN) for case in rows[::4]]


def predicted(cases: list[Case], language: str, data_dir: Path) -> dict[str, str | None]:
    """What `komek nlu predict --lang <language>` decides for each row's text."""
    result = CliRunner().invoke(
        nlu_app,
        ["predict", "--lang", language],
        input="".join(f"{case.text}\n" for case in cases),
        env={"KOMEK_DATA_DIR": str(data_dir), "KOMEK_LOG_LEVEL": "WARNING"},
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["text"] for line in lines] == [case.text for case in cases]
    return {case.id: DECISION.get(line["intent"]) for case, line in zip(cases, lines, strict=True)}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> Path:
    """A data directory whose model cache is the one the test session trained."""
    directory = tmp_path_factory.mktemp("predict")
    (directory / "models").symlink_to(models_dir)
    return directory


@pytest.mark.parametrize("rows", [KK, RU, EN], ids=["kk", "ru", "en"])
def test_predict_keeps_the_contract(rows: list[Case], data_dir: Path) -> None:
    decisions = predicted(rows, rows[0].language, data_dir)
    wrong = [
        f"{case} -> {decisions[case.id]}"
        for case in rows
        if decisions[case.id] not in ALLOWED[case.expect]
    ]
    assert not wrong, "\n".join(wrong)


async def test_predict_decides_as_the_dialogue_does(world: World, data_dir: Path) -> None:
    differ = []
    for language in ("kk", "ru", "en"):
        cases = [case for case in SAMPLE if case.language == language]
        decisions = predicted(cases, language, data_dir)
        for case in cases:
            someone = await world.bot_user(language)
            alert_id = await world.warn(someone)
            said = await world.type(someone, case.text)
            seen = await dispatcher_view(world, someone, alert_id, "text", said)
            if seen.answer != decisions[case.id]:
                differ.append(f"{case}: predict {decisions[case.id]}, dialogue {seen.answer}")
    assert not differ, "\n".join(differ)
