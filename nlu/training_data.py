"""Rasa `nlu.yml` training data: intents with examples, entity annotations, synonyms, lookups."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from core.profile import Language

DATA_DIR = Path(__file__).parent / "data"
_ANNOTATION = re.compile(
    r"\[(?P<text>[^\]]+)\](?:\((?P<entity>[a-z_]+)(?::(?P<value>[^)]+))?\)|(?P<json>\{[^}]*\}))"
)


class TrainingDataError(ValueError):
    """A problem in a training file, with where it is."""

    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {problem}")
        self.path, self.line, self.problem = path, line, problem


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """An entity marked in a training example: its kind, value and place in the text."""

    entity: str
    value: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Example:
    """One training message with its intent, language and entities."""

    text: str
    intent: str
    language: Language
    entities: tuple[EntitySpan, ...] = ()
    origin: str = ""


@dataclass(frozen=True, slots=True)
class TrainingData:
    """Every training example, synonym and lookup table, with a fingerprint of them all."""

    examples: tuple[Example, ...]
    synonyms: dict[str, str] = field(default_factory=dict)
    """Surface form (lower case) → canonical value."""
    lookups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fingerprint: str = ""

    def intents(self) -> list[str]:
        return sorted({example.intent for example in self.examples})


def parse_example(raw: str) -> tuple[str, tuple[EntitySpan, ...]]:
    """The plain text of an annotated example and its entity spans."""
    text_parts: list[str] = []
    spans: list[EntitySpan] = []
    position = 0
    cursor = 0
    for match in _ANNOTATION.finditer(raw):
        before = raw[cursor : match.start()]
        text_parts.append(before)
        position += len(before)
        surface = match.group("text")
        if match.group("json"):
            spec = json.loads(match.group("json"))
            entity, value = str(spec["entity"]), str(spec.get("value", surface))
        else:
            entity, value = match.group("entity"), match.group("value") or surface
        spans.append(EntitySpan(entity, value, position, position + len(surface)))
        text_parts.append(surface)
        position += len(surface)
        cursor = match.end()
    text_parts.append(raw[cursor:])
    return "".join(text_parts), tuple(spans)


def _mapping(node: Node, path: Path) -> dict[str, Node]:
    if not isinstance(node, MappingNode):
        raise TrainingDataError(path, node.start_mark.line + 1, "expected a mapping")
    return {str(key.value): value for key, value in node.value}


def _lines(node: Node, path: Path, what: str) -> list[tuple[int, str]]:
    """The `- item` lines of an `examples: |` block, with their line numbers."""
    if not isinstance(node, ScalarNode):
        raise TrainingDataError(path, node.start_mark.line + 1, f"{what} must be a `|` block")
    first_line = node.start_mark.line + 2 if node.style == "|" else node.start_mark.line + 1
    items = []
    for offset, line in enumerate(str(node.value).splitlines()):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("- "):
            raise TrainingDataError(path, first_line + offset, f"{what} lines must start with '- '")
        items.append((first_line + offset, stripped[2:].strip()))
    return items


def load_file(path: Path) -> TrainingData:
    """Read one training file; errors name the file, the line and what is wrong."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise TrainingDataError(path, mark.line + 1 if mark else None, str(error)) from None
    if root is None:
        raise TrainingDataError(path, None, "the file is empty")
    top = _mapping(root, path)
    blocks = top.get("nlu")
    if not isinstance(blocks, SequenceNode):
        raise TrainingDataError(path, root.start_mark.line + 1, "missing the `nlu:` list")
    examples: list[Example] = []
    synonyms: dict[str, str] = {}
    lookups: dict[str, tuple[str, ...]] = {}
    for block_node in blocks.value:
        block = _mapping(block_node, path)
        line = block_node.start_mark.line + 1
        if "examples" not in block:
            raise TrainingDataError(path, line, "a block needs `examples`")
        items = _lines(block["examples"], path, "examples")
        if "intent" in block:
            examples.extend(_intent_examples(block, items, path, line))
        elif "synonym" in block:
            canonical = str(_scalar(block["synonym"]))
            for _, surface in items:
                synonyms[surface.lower()] = canonical
        elif "lookup" in block:
            name = str(_scalar(block["lookup"]))
            lookups[name] = (*lookups.get(name, ()), *(surface for _, surface in items))
        else:
            raise TrainingDataError(path, line, "a block must be an intent, synonym or lookup")
    return TrainingData(tuple(examples), synonyms, lookups)


def _scalar(node: Node) -> object:
    return node.value if isinstance(node, ScalarNode) else None


def _intent_examples(
    block: dict[str, Node], items: list[tuple[int, str]], path: Path, line: int
) -> Iterable[Example]:
    intent = str(_scalar(block["intent"]))
    metadata = _mapping(block["metadata"], path) if "metadata" in block else {}
    code = _scalar(metadata["lang"]) if "lang" in metadata else None
    try:
        language = Language(str(code))
    except ValueError:
        problem = f"intent {intent}: metadata.lang must be kk, ru or en"
        raise TrainingDataError(path, line, problem) from None
    for item_line, raw in items:
        try:
            text, spans = parse_example(raw)
        except (json.JSONDecodeError, KeyError) as error:
            raise TrainingDataError(path, item_line, f"bad entity annotation: {error}") from None
        if "](" in text or re.search(r"\[[^\]]*\]\(", text):
            raise TrainingDataError(path, item_line, "an entity annotation is not closed")
        yield Example(text, intent, language, spans, f"{path.name}:{item_line}")


def load_directory(directory: Path = DATA_DIR) -> TrainingData:
    """Every `*.yml` in the folder (not its `test/` subfolder), merged, with a fingerprint."""
    files = sorted(directory.glob("*.yml"))
    if not files:
        raise TrainingDataError(directory, None, "no training files (*.yml)")
    digest = hashlib.sha256()
    examples: list[Example] = []
    synonyms: dict[str, str] = {}
    lookups: dict[str, tuple[str, ...]] = {}
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
        data = load_file(path)
        examples.extend(data.examples)
        synonyms.update(data.synonyms)
        for name, values in data.lookups.items():
            lookups[name] = (*lookups.get(name, ()), *values)
    return TrainingData(tuple(examples), synonyms, lookups, digest.hexdigest()[:16])
