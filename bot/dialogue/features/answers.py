"""Answers from the knowledge base: the short answer first, then "more" and "source"."""

from __future__ import annotations

from bot.dialogue.context import Context
from bot.dialogue.features.menu import menu_buttons
from bot.dialogue.turns import Reply
from content.articles import Article
from content.facts import AsOf

ANSWER_OPTIONS: list[tuple[str, str]] = [
    ("answer.more", "cmd:more"),
    ("answer.source", "cmd:source"),
]


def article_reply(ctx: Context, article: Article, *extra: str) -> Reply:
    """The short answer (at most two sentences: what voice mode speaks), "more" and "source"."""
    ctx.conversation.topic = article.id
    return ctx.reply(article.short(ctx.language), *extra, buttons=ctx.numbered(ANSWER_OPTIONS))


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
    names = "; ".join(f"{ctx.t(f'source.{s.file}')}, {s.ref}".rstrip(", ") for s in article.sources)
    line = ctx.t("answer.source_line", sources=names, as_of=as_of_text(article.as_of))
    return ctx.reply(line, buttons=menu_buttons(ctx))


def as_of_text(as_of: AsOf) -> str:
    """A date as exact as its source: 2024, 03.2024 or 11.10.2024."""
    if as_of.month is None:
        return str(as_of.year)
    if as_of.day is None:
        return f"{as_of.month:02d}.{as_of.year}"
    return f"{as_of.day:02d}.{as_of.month:02d}.{as_of.year}"
