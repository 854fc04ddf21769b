"""Facts: every figure the articles use, read from content/facts.yml, and {key} rendering."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import total_ordering
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from content.amounts import multiple_of, written_in_each
from core.profile import LANGUAGES, Language

CONTENT_DIR = Path(__file__).resolve().parent
FACTS_FILE = CONTENT_DIR / "facts.yml"
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_FACT_FIELDS = frozenset({"value", "unit", "effective", "source", "note", "display"})
_REQUIRED_FACT_FIELDS = ("value", "effective", "source")
_EXTERNAL_FIELDS = ("law", "article", "address")
_ADDRESS = re.compile(r"https://[^\s/]+\.[^\s/]+/\S*")


class ContentError(Exception):
    """A knowledge-base file that cannot be used: which file, which line, what is wrong."""

    def __init__(
        self,
        path: Path,
        message: str,
        line: int | None = None,
        *,
        rule: str = "format",
        language: Language | None = None,
    ) -> None:
        self.path, self.message, self.line = path, message, line
        self.rule, self.language = rule, language
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path.name if self.line is None else f"{self.path.name}, line {self.line}"
        return f"{where}: {self.message}"


class UnknownFactError(LookupError):
    """A {placeholder} that names no fact."""

    def __init__(self, key: str, text: str) -> None:
        self.key = key
        super().__init__(f"unknown fact {{{key}}} in {text!r}: it is not a key in facts.yml")

    def __str__(self) -> str:
        return str(self.args[0])


class Located(dict[Any, Any]):
    """A YAML mapping that remembers its own line and the line of each key."""

    def __init__(self, line: int | None = None) -> None:
        super().__init__()
        self.line = line
        self.lines: dict[Any, int] = {}

    def line_of(self, key: object) -> int | None:
        """The line of a key, or of the mapping when the key is missing."""
        return self.lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    """A safe YAML loader whose mappings are Located and which refuses duplicate keys."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Located:
    loader.flatten_mapping(node)
    result = Located(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        problem = None
        if not isinstance(key, str | int | float | bool | dt.date):
            problem = "a key must be a plain name"
        elif key in result:
            problem = f"{key!r} appears twice"
        if problem:
            raise yaml.MarkedYAMLError(problem=problem, problem_mark=key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file; a syntax error becomes a ContentError with the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(path, f"cannot be read ({exc})") from exc
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "not valid YAML"
        if "mapping values are not allowed" in problem:
            problem += " (put the text in double quotes: it contains ': ')"
        elif "'\\t'" in problem:
            problem += " (indent with spaces, not tabs)"
        raise ContentError(path, problem, mark.line + 1 if mark else None) from exc
    except yaml.YAMLError as exc:
        raise ContentError(path, f"not valid YAML ({exc})") from exc


@total_ordering
@dataclass(frozen=True, slots=True)
class AsOf:
    """A date as exact as its document: a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: object) -> AsOf:
        """Read YYYY, YYYY-MM or YYYY-MM-DD (or a YAML date); ValueError when it is not one."""
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        match = _DATE.fullmatch(str(value).strip())
        if not match or isinstance(value, bool | float):
            raise ValueError(f"{value!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD")
        month, day = (int(part) if part else None for part in match.groups()[1:])
        result = cls(int(match[1]), month, day)
        dt.date(result.year, month or 1, day or 1)  # ValueError for a month 13 or a 31 April
        return result

    def key(self) -> tuple[int, int, int]:
        """A sort key where a year alone counts as its start."""
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, AsOf):
            return NotImplemented
        return self.key() < other.key()

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p]
        return "-".join(parts)


@dataclass(frozen=True, slots=True)
class ExternalSource:
    """An official document outside the seeds: the law (an id in documents.yml), the article or
    named part that gives the figure, and the address of the page it was read on."""

    law: str
    article: str
    address: str

    def __str__(self) -> str:
        return f"{self.law}, {self.article} ({self.address})"


@dataclass(frozen=True, slots=True)
class Fact:
    """One figure with its unit, the date it is "as of" and where it comes from.

    `source` is a seed citation ("001_….txt ¶303") or, for official documents outside the
    seeds, the text of `external` (one or more of them)."""

    key: str
    value: str | int | float
    unit: str
    effective: AsOf
    source: str
    note: str
    display: Mapping[Language, str] = field(default_factory=lambda: MappingProxyType({}))
    external: tuple[ExternalSource, ...] = ()

    def text(self, language: Language | None = None) -> str:
        """How the value is written in a language: its display form, or the plain value."""
        if language is not None and language in self.display:
            return self.display[language]
        return str(self.value)


def _fact(path: Path, key: str, data: object, line: int | None) -> Fact:
    """One fact from its YAML mapping; ContentError names what is wrong."""

    def fail(message: str, at: int | None = line) -> ContentError:
        return ContentError(path, f"fact {key!r}: {message}", at, rule="facts")

    if not isinstance(data, Located):
        raise fail("must be a mapping with value, unit, effective, source and note")
    unknown = sorted(str(k) for k in data if k not in _FACT_FIELDS)
    if unknown:
        raise fail(f"unknown field {unknown[0]!r}", data.line_of(unknown[0]))
    external = _external(data.get("source"), fail, data.line_of("source"))
    for name in _REQUIRED_FACT_FIELDS:
        if data.get(name) in (None, ""):
            raise fail(f"has no {name}", data.lines.get(name, line))
    value = data["value"]
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise fail("value must be a number or a short text", data.line_of("value"))
    try:
        effective = AsOf.parse(data["effective"])
    except ValueError as exc:
        raise fail(f"effective: {exc}", data.line_of("effective")) from exc
    display: dict[Language, str] = {}
    if data.get("display") is not None:
        raw = data["display"]
        if not isinstance(raw, dict) or set(raw) != {lang.value for lang in LANGUAGES}:
            raise fail("display needs exactly kk, ru and en", data.line_of("display"))
        display = {Language(k): str(v) for k, v in raw.items()}
    return Fact(
        key=key,
        value=value,
        unit=str(data.get("unit") or ""),
        effective=effective,
        source="; ".join(map(str, external)) if external else str(data["source"]),
        note=str(data.get("note") or ""),
        display=MappingProxyType(display),
        external=external,
    )


def _external(
    raw: object, fail: Callable[[str, int | None], ContentError], line: int | None
) -> tuple[ExternalSource, ...]:
    """An official document as a fact's source: {law, article, address}, or a list of them.
    A plain text is a seed citation (checked by the lint): no external source."""
    items = raw if isinstance(raw, list) else [raw]
    if not any(isinstance(item, dict) for item in items):
        return ()
    found = []
    for item in items:
        if not isinstance(item, dict):
            raise fail("each source must be {law, article, address}", line)
        at = item.line if isinstance(item, Located) else line
        unknown = sorted(str(k) for k in item if k not in _EXTERNAL_FIELDS)
        if unknown:
            raise fail(f"source: unknown field {unknown[0]!r}", at)
        texts = {name: " ".join(str(item.get(name) or "").split()) for name in _EXTERNAL_FIELDS}
        for name, text in texts.items():
            if not text:
                raise fail(f"source has no {name}", at)
        if not _ADDRESS.fullmatch(texts["address"]):
            raise fail(f"source address {texts['address']!r} is not an https:// page", at)
        found.append(ExternalSource(texts["law"], texts["article"], texts["address"]))
    return tuple(found)


def _computed(
    path: Path, key: str, data: Located, line: int | None, facts: Mapping[str, Fact]
) -> Fact:
    """A fact the law gives as a multiple of another: `compute: {multiple: k1, of: k2}`.

    Its value is content.amounts.multiple_of (rounded up to the whole unit), its date the newer
    of the two, its sources both of theirs. It has no value, effective or source of its own."""

    def fail(message: str, at: int | None = line) -> ContentError:
        return ContentError(path, f"fact {key!r}: {message}", at, rule="facts")

    own = sorted(str(k) for k in data if k not in {"compute", "unit", "note"})
    if own:
        raise fail(f"a computed fact takes no {own[0]!r}", data.line_of(own[0]))
    rule = data["compute"]
    if not isinstance(rule, Located) or set(rule) != {"multiple", "of"}:
        raise fail("compute needs exactly {multiple: <fact>, of: <fact>}", data.line_of("compute"))
    parts = []
    for name in ("multiple", "of"):
        part = facts.get(str(rule[name]))
        if part is None:
            raise fail(f"compute: {name} {rule[name]!r} is not a fact above", rule.line_of(name))
        if isinstance(part.value, bool) or not isinstance(part.value, int | float):
            raise fail(f"compute: {part.key} is not a number", rule.line_of(name))
        parts.append(part)
    multiple, base = parts
    value = multiple_of(multiple.value, base.value)
    return Fact(
        key=key,
        value=value,
        unit=str(data.get("unit") or base.unit),
        effective=max(multiple.effective, base.effective),
        source=f"{multiple.value} × {base.key}: {multiple.source}; {base.source}",
        note=str(data.get("note") or ""),
        display=MappingProxyType(written_in_each(value)),
        external=tuple(dict.fromkeys((*multiple.external, *base.external))),
    )


@dataclass(frozen=True)
class Facts(Mapping[str, Fact]):
    """All facts by key, and the filling of {key} placeholders in article texts."""

    by_key: Mapping[str, Fact] = field(default_factory=lambda: MappingProxyType({}))

    def __getitem__(self, key: str) -> Fact:
        return self.by_key[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_key)

    def __len__(self) -> int:
        return len(self.by_key)

    @classmethod
    def read(cls, path: Path = FACTS_FILE) -> tuple[Facts, tuple[ContentError, ...]]:
        """The facts that load, and an error for each one that does not (or for the file)."""
        try:
            data = read_yaml(path)
        except ContentError as exc:
            return cls(), (exc,)
        if data is None:
            data = Located()
        if not isinstance(data, Located):
            return cls(), (ContentError(path, "must be a mapping of fact keys", 1, rule="facts"),)
        facts: dict[str, Fact] = {}
        errors: list[ContentError] = []
        computed = []
        for key, value in data.items():
            if isinstance(value, Located) and "compute" in value:
                computed.append((str(key), value, data.line_of(key)))
                continue
            try:
                facts[str(key)] = _fact(path, str(key), value, data.line_of(key))
            except ContentError as exc:
                errors.append(exc)
        for key, value, line in computed:
            try:
                facts[key] = _computed(path, key, value, line, facts)
            except ContentError as exc:
                errors.append(exc)
        return cls(MappingProxyType(facts)), tuple(errors)

    @classmethod
    def load(cls, path: Path = FACTS_FILE) -> Facts:
        """All facts; ContentError at the first broken one."""
        facts, errors = cls.read(path)
        if errors:
            raise errors[0]
        return facts

    @staticmethod
    def placeholders(text: str) -> list[str]:
        """The keys of the {key} placeholders in a text, in order."""
        return PLACEHOLDER.findall(text)

    def render(self, text: str, language: Language | None = None) -> str:
        """The text with every {key} replaced by its fact; UnknownFactError for a wrong key."""

        def fill(match: re.Match[str]) -> str:
            fact = self.by_key.get(match.group(1))
            if fact is None:
                raise UnknownFactError(match.group(1), text)
            return fact.text(language)

        return PLACEHOLDER.sub(fill, text)
