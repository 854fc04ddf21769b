"""`komek nlu predict`, run in-process on the session's trained models, as the answer it means."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.nlu_commands import nlu_app
from tests.safety.cases import Case

DECISION = {"report_safe": "safe", "emergency_help": "help", "safety_unclear": "unclear"}
"""The intent `komek nlu predict` prints, as the answer the dispatcher would see (other
intents say nothing about safety: no answer)."""


def predicted(cases: list[Case], language: str, data_dir: Path) -> dict[str, str | None]:
    """What `komek nlu predict --warning --lang <language>` decides for each row's text: every
    row answers a warning, so it is read as the dialogue reads it while one waits."""
    result = CliRunner().invoke(
        nlu_app,
        ["predict", "--warning", "--lang", language],
        input="".join(f"{case.text}\n" for case in cases),
        env={"KOMEK_DATA_DIR": str(data_dir), "KOMEK_LOG_LEVEL": "WARNING"},
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["text"] for line in lines] == [case.text for case in cases]
    return {case.id: DECISION.get(line["intent"]) for case, line in zip(cases, lines, strict=True)}
