"""Answers from the knowledge base: the short answer first, then "more" and "source"."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.dialogue.context import Context
from bot.dialogue.feature import Feature
from bot.dialogue.features.menu import menu_buttons
from bot.dialogue.turns import Reply
from content.articles import Article, Source
from content.facts import AsOf

# A seed's paragraph ("¶303", "¶7 (line 13)") or question ("Q7 (answer 1)"): the reader gets
# "paragraph 303" or "question 7" in their language; the line and answer numbers are for the
# content lint, which checks the citation.
# An official document's article ("article 177") is "article 177" / "статья 177" / "177-бап".
_NUMBERED = re.compile(r"^(¶|Q|article)\s?(\d+)\b")
_MARKS = {"¶": "paragraph", "Q": "question", "article": "article"}

ANSWER_OPTIONS: list[tuple[str, str]] = [
    ("answer.more", "cmd:more"),
    ("answer.source", "cmd:source"),
]
# Choices some answers add after "more" and "source": the benefit calculator.
ARTICLE_OPTIONS: dict[str, list[tuple[str, str]]] = {
    "benefits_info": [("benefit.how_much", "cmd:benefit_amount")],
}


def article_reply(ctx: Context, article: Article, *extra: str) -> Reply:
    """The short answer (at most two sentences: what voice mode speaks), "more" and "source"."""
    ctx.conversation.topic = article.id
    options = [*ANSWER_OPTIONS, *ARTICLE_OPTIONS.get(article.id, [])]
    return ctx.reply(article.short(ctx.language), *extra, buttons=ctx.numbered(options))


def _current(ctx: Context) -> Article | None:
    topic = ctx.conversation.topic
    if topic is None:
        return None
    try:
        return ctx.services.knowledge.by_id(topic)
    except KeyError:
        return None


async def more(ctx: Context) -> Reply:
    article = _current(ctx)
    if article is None:
        return ctx.reply(ctx.t("answer.no_topic"), buttons=menu_buttons(ctx))
    details = article.details(ctx.language)
    if not details:
        return ctx.reply(ctx.t("answer.nothing_more"), buttons=menu_buttons(ctx))
    return ctx.reply(" ".join(details), buttons=ctx.numbered([("answer.source", "cmd:source")]))


async def source(ctx: Context) -> Reply:
    article = _current(ctx)
    if article is None:
        return ctx.reply(ctx.t("answer.no_topic"), buttons=menu_buttons(ctx))
    line = ctx.t(
        "answer.source_line",
        sources=sources_text(ctx.t, article.sources),
        as_of=as_of_text(article.as_of),
    )
    return ctx.reply(line, buttons=menu_buttons(ctx))


def as_of_text(as_of: AsOf) -> str:
    """A date as exact as its source: 2024, 03.2024 or 11.10.2024."""
    if as_of.month is None:
        return str(as_of.year)
    if as_of.day is None:
        return f"{as_of.month:02d}.{as_of.year}"
    return f"{as_of.day:02d}.{as_of.month:02d}.{as_of.year}"


def sources_text(t: Callable[..., str], sources: tuple[Source, ...]) -> str:
    """Each document by its plain name, then the parts cited, in the person's language:
    "Kazakhstan's report on the UN convention, paragraphs 435, 436, 438"; "The Social Code
    of Kazakhstan (2023), article 177"."""
    parts: dict[str, dict[str, list[str]]] = {}
    for source in sources:
        cited = parts.setdefault(source.file, {mark: [] for mark in (*_MARKS, "section")})
        numbered = _NUMBERED.match(source.ref)
        if numbered is not None:
            cited[numbered.group(1)].append(numbered.group(2))
        elif source.ref:
            cited["section"].append(t(f"source.section.{_slug(source.ref)}"))
    documents = []
    for file, cited in parts.items():
        named = [t(f"source.{file}")]
        for mark, key in _MARKS.items():
            numbers = list(dict.fromkeys(cited[mark]))
            if numbers:
                plural = "s" if len(numbers) > 1 else ""
                named.append(t(f"source.{key}{plural}", numbers=", ".join(numbers)))
        named.extend(cited["section"])
        documents.append(", ".join(named))
    return "; ".join(documents)


def _slug(ref: str) -> str:
    return "_".join(re.findall(r"[a-z0-9]+", ref.lower()))


FEATURE = Feature(name="answers", commands={"more": more, "source": source})
