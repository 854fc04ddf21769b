"""Articles: plain-language answers in kk, ru and en, read from content/articles/*.yml."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from content.facts import CONTENT_DIR, AsOf, ContentError, Facts, Located, read_yaml
from core.profile import LANGUAGES, Language

ARTICLES_DIR = CONTENT_DIR / "articles"
GENERAL_SAFETY = "general-safety"
"""The source of general safety advice that no seed document backs."""
_ARTICLE_FIELDS = frozenset({"id", "intent", "as_of", "sources", "facts", "related"})
_TEXT_FIELDS = ("title", "short", "details")
_DOCUMENT_ID = re.compile(r"[a-z][a-z0-9_]*")


class UnknownArticleError(KeyError):
    """An article id that no article has."""

    def __init__(self, article_id: str) -> None:
        self.article_id = article_id
        super().__init__(f"no article with id {article_id!r}")

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True, slots=True)
class Source:
    """A seed document (or general-safety) and the paragraph or question it is cited for."""

    file: str
    ref: str

    @property
    def is_seed(self) -> bool:
        """Whether this is a seed document, not general safety advice or an official document."""
        return self.file != GENERAL_SAFETY and not self.is_document

    @property
    def is_document(self) -> bool:
        """Whether this is an official document outside the seeds (an id in documents.yml,
        such as social_code), cited by article: {file: social_code, ref: "article 177"}."""
        return _DOCUMENT_ID.fullmatch(self.file) is not None


@dataclass(frozen=True, slots=True)
class ArticleText:
    """An article in one language, as written: {key} placeholders not yet filled."""

    title: str
    short: str
    details: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    """One answer in three languages, with its sources and "as of" date."""

    id: str
    intent: str
    as_of: AsOf
    sources: tuple[Source, ...]
    facts: tuple[str, ...]
    related: tuple[str, ...]
    texts: Mapping[Language, ArticleText]
    path: Path
    fact_values: Facts = field(default_factory=Facts, compare=False, repr=False)

    def text(self, language: Language) -> ArticleText:
        """The text in a language as written, placeholders unfilled."""
        return self.texts[language]

    def title(self, language: Language) -> str:
        """The title with facts filled in."""
        return self.fact_values.render(self.texts[language].title, language)

    def short(self, language: Language) -> str:
        """The answer (what voice mode speaks) with facts filled in."""
        return self.fact_values.render(self.texts[language].short, language)

    def details(self, language: Language) -> tuple[str, ...]:
        """The details ("More") with facts filled in, one sentence an item."""
        return tuple(self.fact_values.render(d, language) for d in self.texts[language].details)

    @property
    def seed_sources(self) -> tuple[Source, ...]:
        """The seed documents cited, without general safety advice."""
        return tuple(s for s in self.sources if s.is_seed)

    @property
    def general_safety(self) -> bool:
        """Whether part of the article is general safety advice with no seed behind it."""
        return any(s.file == GENERAL_SAFETY for s in self.sources)


def _text(
    value: object,
    path: Path,
    what: str,
    line: int | None,
    language: Language | None = None,
    rule: str = "format",
) -> str:
    """A non-empty text with its white space made single; ContentError otherwise."""
    if not isinstance(value, str) or not value.strip():
        message = f"{what} must be a non-empty text"
        raise ContentError(path, message, line, rule=rule, language=language)
    return " ".join(value.split())


def _names(data: Located, key: str, path: Path) -> tuple[str, ...]:
    """An optional list of names (facts, related)."""
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ContentError(path, f"{key} must be a list of names", data.line_of(key))
    return tuple(value)


def _sources(data: Located, path: Path) -> tuple[Source, ...]:
    """The {file, ref} list; whether the files exist is the lint's business."""
    raw = data.get("sources") or []
    if not isinstance(raw, list):
        raise ContentError(path, "sources must be a list of {file, ref}", data.line_of("sources"))
    sources = []
    for item in raw:
        line = item.line if isinstance(item, Located) else data.line_of("sources")
        if not isinstance(item, Located) or set(item) - {"file", "ref"}:
            raise ContentError(path, "each source must be {file: ..., ref: ...}", line)
        file = _text(item.get("file"), path, "a source's file", line, rule="sources")
        ref = item.get("ref")
        sources.append(Source(file, "" if ref is None else " ".join(str(ref).split())))
    return tuple(sources)


def _language(data: Located, language: Language, path: Path) -> ArticleText:
    """The title, short and details of one language."""
    code = language.value
    block = data.get(code)
    if not isinstance(block, Located):
        line = data.line_of(code)
        raise ContentError(
            path, f"needs a {code} section", line, rule="languages", language=language
        )
    unknown = sorted(str(k) for k in block if k not in _TEXT_FIELDS)
    if unknown:
        message = f"{code}: unknown field {unknown[0]!r}"
        raise ContentError(path, message, block.line_of(unknown[0]), language=language)
    lines = {k: block.lines.get(k, data.line_of(code)) for k in _TEXT_FIELDS}
    title, short = (
        _text(block.get(k), path, f"{code} {k}", lines[k], language, "languages")
        for k in ("title", "short")
    )
    details = block.get("details")
    if not isinstance(details, list) or not details:
        message = f"{code} details must be a list of sentences"
        raise ContentError(path, message, lines["details"], rule="languages", language=language)
    what = f"each {code} details item (quote it if it contains ': ')"
    items = tuple(
        _text(d, path, what, d.line if isinstance(d, Located) else lines["details"], language)
        for d in details
    )
    return ArticleText(title, short, items)


def load_article(path: Path, facts: Facts | None = None) -> Article:
    """One article file; ContentError names the file, the line and what is wrong."""
    data = read_yaml(path)
    if not isinstance(data, Located):
        raise ContentError(path, "must be a mapping with id, intent, as_of, sources and texts", 1)
    known = _ARTICLE_FIELDS | {lang.value for lang in LANGUAGES}
    unknown = sorted(str(k) for k in data if k not in known)
    if unknown:
        raise ContentError(path, f"unknown field {unknown[0]!r}", data.line_of(unknown[0]))
    article_id = _text(data.get("id"), path, "id", data.line_of("id"))
    intent = _text(data.get("intent"), path, "intent", data.line_of("intent"))
    if data.get("as_of") in (None, ""):
        raise ContentError(path, "has no as_of date", data.line_of("as_of"), rule="as_of")
    try:
        as_of = AsOf.parse(data["as_of"])
    except ValueError as exc:
        raise ContentError(path, f"as_of: {exc}", data.line_of("as_of"), rule="as_of") from exc
    return Article(
        id=article_id,
        intent=intent,
        as_of=as_of,
        sources=_sources(data, path),
        facts=_names(data, "facts", path),
        related=_names(data, "related", path),
        texts=MappingProxyType({lang: _language(data, lang, path) for lang in LANGUAGES}),
        path=path,
        fact_values=facts if facts is not None else Facts(),
    )


@dataclass(frozen=True)
class KnowledgeBase:
    """All articles, found by id or by intent, with the facts they use."""

    articles: tuple[Article, ...]
    facts: Facts

    @classmethod
    def load(cls, directory: Path = ARTICLES_DIR, facts: Facts | None = None) -> KnowledgeBase:
        """Every article in a folder; facts default to facts.yml beside that folder."""
        if facts is None:
            facts = Facts.load(directory.parent / "facts.yml")
        paths = sorted(directory.glob("*.yml"))
        if not paths:
            raise ContentError(directory, "holds no article (*.yml)")
        articles = tuple(load_article(path, facts) for path in paths)
        seen: dict[str, Path] = {}
        for article in articles:
            for name in {article.id, article.intent}:
                if name in seen:
                    message = f"{name!r} is also the id or intent of {seen[name].name}"
                    raise ContentError(article.path, message)
                seen[name] = article.path
            _check_placeholders(article, facts)
        return cls(articles, facts)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def __len__(self) -> int:
        return len(self.articles)

    def by_id(self, article_id: str) -> Article:
        """The article with this id; UnknownArticleError (a KeyError) when there is none."""
        for article in self.articles:
            if article.id == article_id:
                return article
        raise UnknownArticleError(article_id)

    def for_intent(self, intent: str) -> Article | None:
        """The article that answers an intent, or None."""
        return next((a for a in self.articles if a.intent == intent), None)

    @property
    def intents(self) -> frozenset[str]:
        """Every intent some article answers."""
        return frozenset(a.intent for a in self.articles)


def _check_placeholders(article: Article, facts: Facts) -> None:
    """ContentError when a text names a fact that does not exist."""
    for language, text in article.texts.items():
        for piece in (text.title, text.short, *text.details):
            unknown = [k for k in Facts.placeholders(piece) if k not in facts]
            if unknown:
                message = f"{language.value}: {{{unknown[0]}}} is not a key in facts.yml"
                raise ContentError(article.path, message, rule="placeholders", language=language)
