"""Lint the knowledge base: structure, sources, facts, length, plain language and spelling."""

from __future__ import annotations

import re
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import textstat  # type: ignore[import-untyped]

from content.articles import Article, ArticleText, load_article
from content.citations import citation_problems
from content.documents import read_documents
from content.facts import CONTENT_DIR, PLACEHOLDER, ContentError, Facts
from content.readability import MAX_KAZAKH_SENTENCE_WORDS, MIN_FLESCH, flesch, measure
from content.spelling import Speller
from core.profile import LANGUAGES, Language

SEEDS_DIR = CONTENT_DIR.parent.parent / "shared" / "seeds"
"""The seed documents, `../shared/seeds` from the repository root."""
BOT_INTENTS = frozenset({"book_service"})
"""Intents that `related` may name although the bot, not an article, answers them."""
MAX_SHORT_SENTENCES = 2
MAX_SHORT_WORDS = 30
MAX_DETAILS_SENTENCES = 6
FACTS_SUBJECT = "facts.yml"
_SEED_NAME = re.compile(r"[\w.-]+\.txt")
_NUMBER_SEPARATOR = re.compile(r"(?<=\d)[.,\u00a0\u202f](?=\d)")
_SENTENCE_END = re.compile(r"[.!?…][\"'»”)]*\s*$")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_DIGITS = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*")
ALLOWED_FIGURES = frozenset({"1", "2", "3", "1414"})
"""Digits an article may write: disability group numbers and the 1414 contact centre."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing to fix: in which article (or facts.yml), language, by which rule, and what."""

    article: str
    language: Language | None
    rule: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = " ".join(
            part for part in (self.language.value if self.language else "", self.rule) if part
        )
        line = f"line {self.line}: " if self.line else ""
        return f"{where}: {line}{self.message}"


@dataclass(frozen=True)
class Report:
    """Everything the lint found, by article."""

    problems: tuple[Problem, ...]
    articles: int
    facts: int
    skipped: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether no rule found a problem (checks that could not run are in `skipped`)."""
        return not self.problems

    def by_article(self) -> dict[str, list[Problem]]:
        """The problems grouped by article id (or facts.yml), in the order found."""
        groups: dict[str, list[Problem]] = {}
        for problem in self.problems:
            groups.setdefault(problem.article, []).append(problem)
        return groups

    def format(self) -> str:
        """A readable report: a heading per article and one line per problem."""
        lines = [f"{self.articles} articles, {self.facts} facts: {len(self.problems)} problems"]
        for article, problems in self.by_article().items():
            lines += ["", article, *(f"  {problem}" for problem in problems)]
        if self.skipped:
            lines += ["", "Not checked:", *(f"  {note}" for note in self.skipped)]
        lines += ["", "OK" if self.ok else "FAILED"]
        return "\n".join(lines) + "\n"


def lint(
    knowledge_base_dir: Path = CONTENT_DIR,
    seeds_dir: Path = SEEDS_DIR,
    *,
    speller: Speller | None = None,
    other_intents: Collection[str] = BOT_INTENTS,
) -> Report:
    """Check facts.yml and articles/*.yml in a folder against every rule."""
    facts, errors = Facts.read(knowledge_base_dir / "facts.yml")
    problems = [_from_error(FACTS_SUBJECT, error) for error in errors]
    try:
        documents = read_documents(knowledge_base_dir / "documents.yml")
    except ContentError as error:
        problems.append(_from_error("documents.yml", error))
        documents = {}
    problems += _check_facts(facts, seeds_dir, documents)
    articles: list[Article] = []
    paths = sorted((knowledge_base_dir / "articles").glob("*.yml"))
    if not paths:
        problems.append(Problem("articles", None, "format", "there are no articles/*.yml"))
    for path in paths:
        try:
            articles.append(load_article(path, facts))
        except ContentError as error:
            problems.append(_from_error(path.stem, error))
    speller = speller if speller is not None else Speller.load(knowledge_base_dir)
    targets = {*other_intents, *(a.id for a in articles), *(a.intent for a in articles)}
    owners: dict[str, str] = {}
    for article in articles:
        for name in dict.fromkeys((article.id, article.intent)):
            if name in owners:
                message = f"{name!r} is also the id or intent of {owners[name]}"
                problems.append(Problem(article.id, None, "id", message))
            owners.setdefault(name, article.id)
        problems += _check_article(article, facts, seeds_dir, targets)
        problems += _check_documents_cited(article, documents)
        for language in LANGUAGES:
            problems += _check_language(article, language, facts, speller)
    skipped = tuple(f"spelling ({lang.value}): {why}" for lang, why in speller.missing.items())
    return Report(tuple(problems), len(paths), len(facts), skipped)


def _from_error(subject: str, error: ContentError) -> Problem:
    """A loader's error as a problem of the file it is in."""
    return Problem(subject, error.language, error.rule, error.message, error.line)


def _check_facts(facts: Facts, seeds_dir: Path, documents: Collection[str]) -> list[Problem]:
    """Every fact names seed files that exist, or official documents known in documents.yml
    (missing fields and addresses that are not pages are loader errors)."""
    problems = []
    for fact in facts.values():
        if fact.external:
            for source in fact.external:
                if source.law not in documents:
                    message = f"fact {fact.key!r}: law {source.law!r} is not in documents.yml"
                    problems.append(Problem(FACTS_SUBJECT, None, "facts", message))
            continue
        names = _SEED_NAME.findall(fact.source)
        if not names:
            message = f"fact {fact.key!r}: source names no seed file"
            problems.append(Problem(FACTS_SUBJECT, None, "facts", message))
        for name in dict.fromkeys(names):
            if not (seeds_dir / name).is_file():
                message = f"fact {fact.key!r}: seed file {name} is not in {seeds_dir}"
                problems.append(Problem(FACTS_SUBJECT, None, "facts", message))
            else:
                for message in citation_problems(seeds_dir / name, _refs_after(fact.source, name)):
                    problems.append(Problem(FACTS_SUBJECT, None, "facts", f"{fact.key}: {message}"))
    return problems


def _refs_after(source: str, name: str) -> str:
    """The part of a fact's source that cites `name`: up to the next seed file named."""
    after = source.split(name, 1)[1]
    following = _SEED_NAME.search(after)
    return after[: following.start()] if following else after


def _check_article(
    article: Article, facts: Facts, seeds_dir: Path, targets: Collection[str]
) -> list[Problem]:
    """Rules about the whole article: id, sources, placeholders, as_of, related."""
    found: list[Problem] = []

    def problem(rule: str, message: str) -> None:
        found.append(Problem(article.id, None, rule, message))

    if article.id != article.path.stem:
        problem("id", f"id {article.id!r} must be the file name {article.path.stem!r}")
    if not article.sources:
        problem("sources", "cites no source")
    for source in article.seed_sources:
        if Path(source.file).name != source.file or not (seeds_dir / source.file).is_file():
            problem("sources", f"source file {source.file!r} is not in {seeds_dir}")
        if not source.ref:
            problem("sources", f"source {source.file} needs a ref (¶ or Q number)")
        elif (seeds_dir / source.file).is_file():
            for message in citation_problems(seeds_dir / source.file, source.ref):
                problem("sources", message)
    used = {key for text in article.texts.values() for key in _placeholders(text)}
    for key in sorted((used | set(article.facts)) - set(facts)):
        problem("placeholders", f"{{{key}}} is not a key in facts.yml")
    for key in sorted(used - set(article.facts)):
        problem("placeholders", f"{{{key}}} is used but not listed under facts")
    for key in sorted(set(article.facts) - used):
        problem("placeholders", f"fact {key!r} is listed but not used")
    dated = [facts[key] for key in used if key in facts]
    newest = max(dated, key=lambda fact: fact.effective, default=None)
    if newest and article.as_of < newest.effective:
        problem("as_of", f"as_of {article.as_of} is older than {newest.key} ({newest.effective})")
    for target in article.related:
        if target not in targets:
            problem("related", f"related {target!r} is neither an article nor a known intent")
    return found


def _check_documents_cited(article: Article, documents: Collection[str]) -> list[Problem]:
    """An official document cited by an article is in documents.yml, with the part cited."""
    found = []
    for source in article.sources:
        if not source.is_document:
            continue
        if source.file not in documents:
            message = f"document {source.file!r} is not in documents.yml"
            found.append(Problem(article.id, None, "sources", message))
        if not source.ref:
            message = f"source {source.file} needs a ref (an article or a named part)"
            found.append(Problem(article.id, None, "sources", message))
    return found


def _figures(text: ArticleText) -> list[str]:
    """Numbers written as digits outside {key} placeholders, other than the group numbers
    1, 2, 3 and the 1414 contact centre: each should be a fact."""
    pieces = (text.title, text.short, *text.details)
    bare = [PLACEHOLDER.sub(" ", piece) for piece in pieces]
    return [n for piece in bare for n in _DIGITS.findall(piece) if n not in ALLOWED_FIGURES]


def _placeholders(text: ArticleText) -> list[str]:
    """The keys of every placeholder in one language's texts."""
    pieces = (text.title, text.short, *text.details)
    return [key for piece in pieces for key in PLACEHOLDER.findall(piece)]


def _check_language(
    article: Article, language: Language, facts: Facts, speller: Speller
) -> list[Problem]:
    """Rules about one language: lengths, plain language, spelling."""
    found: list[Problem] = []

    def problem(rule: str, message: str) -> None:
        found.append(Problem(article.id, language, rule, message))

    text = article.text(language)
    for figure in dict.fromkeys(_figures(text)):
        problem("figures", f"{figure!r} is written as digits: put it in facts.yml, write {{key}}")
    short = _readable(text.short, facts, language)
    details = " ".join(_readable(_ended(item), facts, language) for item in text.details)
    sentences, words = measure(short, language).sentences, len(_WORD.findall(short))
    if sentences > MAX_SHORT_SENTENCES:
        problem("short", f"{sentences} sentences (at most {MAX_SHORT_SENTENCES})")
    if words > MAX_SHORT_WORDS:
        problem("short", f"{words} words (at most {MAX_SHORT_WORDS})")
    sentences = measure(details, language).sentences
    if sentences > MAX_DETAILS_SENTENCES:
        problem("details", f"{sentences} sentences (at most {MAX_DETAILS_SENTENCES})")
    for name, measured in (("short", short), ("details", details)):
        if language is Language.KK:
            longest = measure(measured, language).longest_sentence
            if longest > MAX_KAZAKH_SENTENCE_WORDS:
                limit = MAX_KAZAKH_SENTENCE_WORDS
                problem("readability", f"{name}: a sentence of {longest} words (at most {limit})")
            continue
        score = reading_ease(measured, language)
        if score < MIN_FLESCH:
            problem("readability", f"{name}: reading ease {score:.1f} (at least {MIN_FLESCH:.0f})")
    rendered = [_render(piece, facts, language) for piece in (text.title, text.short)]
    rendered += [_render(item, facts, language) for item in text.details]
    unknown = speller.unknown_words("\n".join(rendered), language)
    if unknown:
        problem("spelling", "unknown words: " + ", ".join(unknown))
    return found


def reading_ease(text: str, language: Language) -> float:
    """Flesch reading ease: textstat for English, Flesch–Oborneva (content.readability) for ru."""
    if language is Language.EN:
        return float(textstat.flesch_reading_ease(text))
    return flesch(text, language)


def _render(text: str, facts: Facts, language: Language) -> str:
    """Facts filled in; an unknown key (reported on its own) is left out."""
    return PLACEHOLDER.sub(lambda m: facts[m[1]].text(language) if m[1] in facts else "", text)


def _readable(text: str, facts: Facts, language: Language) -> str:
    """The rendered text with "68.8" and "25 000" made one number, so they split no sentence."""
    return _NUMBER_SEPARATOR.sub("", _render(text, facts, language))


def _ended(item: str) -> str:
    """A details item with a full stop if it has none, so items join into sentences."""
    return item if _SENTENCE_END.search(item) else item.rstrip() + "."


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m content.lint [KNOWLEDGE_BASE [SEEDS]]`: write the report; 1 if it fails."""
    args = list(sys.argv[1:] if argv is None else argv)
    knowledge_base = Path(args[0]) if args else CONTENT_DIR
    seeds = Path(args[1]) if len(args) > 1 else SEEDS_DIR
    report = lint(knowledge_base, seeds)
    sys.stdout.write(report.format())
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
