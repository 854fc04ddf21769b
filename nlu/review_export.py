"""Labelled review messages written as Rasa `nlu.yml` training examples, for a reviewed commit.

The file has the layout of `nlu/data/*.yml`: one block per intent and language. Masks are
taken out of the text (a placeholder teaches the classifier nothing) and so are square
brackets (they would read as entity annotations). Exporting into an existing file adds to it;
an example already in the training data is not written again. Placed in `nlu/data/`, the file
changes the data's fingerprint, so the model is trained again on the next start
(`nlu.pipeline.load_or_train`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from core.message_masking import without_masks
from core.profile import Language
from nlu.training_data import Example, TrainingData, load_file

HEADER = (
    "# Examples staff labelled in the review of unclear messages (komek nlu export-reviewed).\n"
    "# Read them before committing: each was masked, and may still need a word changed.\n"
)


@dataclass(frozen=True, slots=True)
class Reviewed:
    """A message staff labelled with its right intent."""

    text: str
    intent: str
    language: Language


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What `komek nlu export-reviewed` wrote."""

    written: int
    """Examples in the file now."""
    added: int
    """Of those, new in this export."""
    skipped: int
    """Labelled messages left out: already in the training data, or nothing left unmasked."""


def training_text(text: str) -> str:
    """A kept message as a training example: one line, no masks, no brackets."""
    plain = without_masks(text).replace("[", " ").replace("]", " ")
    return " ".join(plain.split())


def export(
    reviewed: Iterable[Reviewed], path: Path, *, known: TrainingData | None = None
) -> ExportResult:
    """Write (or add to) the file at `path`; the file is replaced only once it reads back."""
    existing: list[Example] = list(load_file(path).examples) if path.exists() else []
    seen = {(e.text.casefold(), e.intent, e.language) for e in existing}
    if known is not None:
        trained = {(e.text.casefold(), e.intent, e.language) for e in known.examples}
    else:
        trained = set()
    rows = [(e.text, e.intent, e.language) for e in existing]
    added = skipped = 0
    for item in reviewed:
        text = training_text(item.text)
        key = (text.casefold(), item.intent, item.language)
        if not text or key in seen or key in trained:
            skipped += 1
            continue
        seen.add(key)
        rows.append((text, item.intent, item.language))
        added += 1
    content = render(rows)
    partial = path.with_name(path.name + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial.write_text(content, encoding="utf-8")
    try:
        load_file(partial)  # what the trainer will read: refuse to replace with a broken file
    except Exception:
        partial.unlink()
        raise
    partial.replace(path)
    return ExportResult(written=len(rows), added=added, skipped=skipped)


def render(rows: Iterable[tuple[str, str, Language]]) -> str:
    """The `nlu.yml` text: blocks sorted by intent and language, examples in order."""
    blocks: dict[tuple[str, str], list[str]] = {}
    for text, intent, language in rows:
        blocks.setdefault((intent, language.value), []).append(text)
    lines = [HEADER.rstrip("\n"), 'version: "3.1"', "nlu:"]
    for (intent, code), texts in sorted(blocks.items()):
        lines += [f"- intent: {intent}", "  metadata:", f"    lang: {code}", "  examples: |"]
        lines += [f"    - {text}" for text in texts]
    return "\n".join(lines) + "\n"
