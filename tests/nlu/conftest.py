from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from core.profile import Language
from nlu.training_data import Example, load_directory

TEST_SET = Path(__file__).resolve().parents[2] / "nlu" / "data" / "test" / "test.tsv"

SMALL_INTENTS = ("report_safe", "emergency_help", "social_taxi_info", "thanks", "deny", "greet")


def write_small_data(directory: Path, per_language: int = 12) -> None:
    """A few intents of the real training data, in Rasa format, so training takes seconds."""
    chosen: dict[tuple[str, Language], list[Example]] = defaultdict(list)
    for example in load_directory().examples:
        if example.intent in SMALL_INTENTS and not example.entities:
            chosen[example.intent, example.language].append(example)
    lines = ['version: "3.1"', "nlu:"]
    for (intent, language), examples in sorted(chosen.items()):
        lines += [f"- intent: {intent}", "  metadata:", f"    lang: {language.value}"]
        lines += ["  examples: |", *(f"    - {e.text}" for e in examples[:per_language])]
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "small.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
