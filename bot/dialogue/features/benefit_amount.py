""" "How much would I get?": which group, which cause, then the month's amount with its source.

The amounts are facts computed from the Social Code's multiples of the subsistence minimum
(content/facts.yml, content/amounts.py); this dialogue only chooses one and says where it comes
from. Two numbered steps, each with buttons, digits, number words and the words of
benefit_words.toml; voice mode reads them out like every menu. A benefits question that asks
"how much" starts here, and a group or cause named in it skips its step.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from bot.dialogue.context import Context
from bot.dialogue.feature import Feature
from bot.dialogue.features.answers import as_of_text, sources_text
from bot.dialogue.turns import Button, Reply
from bot.dialogue.vocabulary import normalise
from content.articles import Source
from content.facts import Fact

START = "cmd:benefit_amount"
ARTICLE = "benefits_info"
GROUP_STEP = "benefit.group"
CAUSE_STEP = "benefit.cause"  # carries the group chosen: benefit.cause.1, .2 or .3
GROUPS = ("1", "2", "3")
CAUSES = ("general", "childhood", "other")
CHILD = "child"
WORDS_FILE = Path(__file__).resolve().parent.parent / "benefit_words.toml"

GROUP_OPTIONS = [(f"benefit.group.{g}", f"benefit:group:{g}") for g in (*GROUPS, CHILD)]
CAUSE_OPTIONS = [(f"benefit.cause.{c}", f"benefit:cause:{c}") for c in CAUSES]
CAUSE_STEPS = tuple(f"{CAUSE_STEP}.{group}" for group in GROUPS)
AMOUNT_FACTS = {("general", g): f"benefit_general_group{g}" for g in GROUPS} | {
    ("childhood", g): f"benefit_childhood_group{g}" for g in GROUPS
}
MULTIPLE_FACTS = {
    key: fact.replace("benefit_", "benefit_multiple_") for key, fact in AMOUNT_FACTS.items()
}
CHILD_FACT, CHILD_MULTIPLE = "benefit_child_under7", "benefit_multiple_child_under7"
CARER_FACT = "carer_benefit_child"


@cache
def _tables() -> dict[str, dict[str, str]]:
    """Category ("how_much", "groups", "causes") → normalised phrase → meaning."""
    with WORDS_FILE.open("rb") as handle:
        raw = tomllib.load(handle)
    tables: dict[str, dict[str, str]] = {"how_much": {}}
    for phrases in raw["how_much"].values():
        tables["how_much"].update((normalise(p), "yes") for p in phrases)
    for category in ("groups", "causes"):
        table = tables.setdefault(category, {})
        for meaning, by_language in raw[category].items():
            for phrases in by_language.values():
                table.update((normalise(p), meaning) for p in phrases)
    return tables


def _said(category: str, text: str) -> str | None:
    """What the whole message means in a category, if it is one of its phrases."""
    return _tables()[category].get(normalise(text))


def _mentioned(category: str, text: str) -> str | None:
    """What a phrase of the category found anywhere in the message means (longest first)."""
    words = f" {normalise(text)} "
    for phrase in sorted(_tables()[category], key=len, reverse=True):
        if phrase and f" {phrase} " in words:
            return _tables()[category][phrase]
    return None


def _chosen(choice: str | None, kind: str) -> str | None:
    prefix = f"benefit:{kind}:"
    return choice.removeprefix(prefix) if choice and choice.startswith(prefix) else None


async def start(ctx: Context) -> Reply:
    """ "Which group?": 1, 2, 3, or a child under seven (who has no group yet)."""
    ctx.conversation.topic = ARTICLE
    ctx.go(GROUP_STEP)
    return ctx.reply(ctx.t("benefit.ask_group"), buttons=ctx.numbered(GROUP_OPTIONS))


async def asked_how_much(ctx: Context, intent: str) -> Reply | None:
    """A benefits question with "how much" in it goes to the calculator; a group or a cause
    it names is taken as answered. None for every other question."""
    text = ctx.turn.text
    if intent != ARTICLE or _mentioned("how_much", text) is None:
        return None
    group = ctx.services.nlu.parse(text, ctx.language).entity("group") or _mentioned("groups", text)
    if group is None:
        return await start(ctx)
    ctx.conversation.topic = ARTICLE
    if group == CHILD:
        return _child(ctx)
    cause = _mentioned("causes", text)
    if cause is None:
        return _ask_cause(ctx, group)
    return _amount(ctx, cause, group)


async def on_group(ctx: Context, choice: str | None) -> Reply | None:
    text = ctx.turn.text
    group = _chosen(choice, "group") or _said("groups", text)
    if group is None and not choice:
        group = ctx.services.nlu.parse(text, ctx.language).entity("group")
    if group == CHILD:
        return _child(ctx)
    if group not in GROUPS:
        return None
    return _ask_cause(ctx, group)


async def on_cause(ctx: Context, choice: str | None) -> Reply | None:
    group = (ctx.step or "").rsplit(".", 1)[-1]
    cause = _chosen(choice, "cause") or _said("causes", ctx.turn.text)
    if group not in GROUPS or cause not in CAUSES:
        return None
    return _amount(ctx, cause, group)


def _ask_cause(ctx: Context, group: str) -> Reply:
    ctx.go(f"{CAUSE_STEP}.{group}")
    return ctx.reply(ctx.t("benefit.ask_cause"), buttons=ctx.numbered(CAUSE_OPTIONS))


def _amount(ctx: Context, cause: str, group: str) -> Reply:
    """The amount for a group and a cause, what it is made of, and its source."""
    ctx.go(None)
    if cause == "other":
        return ctx.reply(ctx.t("benefit.other_cause"), ctx.t("benefit.check"), buttons=_after(ctx))
    facts = ctx.services.knowledge.facts
    amount, multiple = facts[AMOUNT_FACTS[cause, group]], facts[MULTIPLE_FACTS[cause, group]]
    said = ctx.t(
        f"benefit.amount.{cause}",
        group=group,
        amount=amount.text(ctx.language),
        year=facts["benefit_year"].text(ctx.language),
    )
    return ctx.reply(
        f"{said} {_made_of(ctx, multiple)}",
        _source(ctx, amount),
        ctx.t("benefit.check"),
        buttons=_after(ctx),
    )


def _child(ctx: Context) -> Reply:
    """A child under seven: the child's benefit and the parent's."""
    ctx.go(None)
    facts = ctx.services.knowledge.facts
    amount, carer = facts[CHILD_FACT], facts[CARER_FACT]
    said = ctx.t(
        "benefit.amount.child",
        amount=amount.text(ctx.language),
        carer=carer.text(ctx.language),
        age=facts["child_group_age"].text(ctx.language),
        year=facts["benefit_year"].text(ctx.language),
    )
    made_of = _made_of(ctx, facts[CHILD_MULTIPLE])
    return ctx.reply(
        f"{said} {made_of}",
        _source(ctx, amount, carer),
        ctx.t("benefit.check"),
        buttons=_after(ctx),
    )


def _made_of(ctx: Context, multiple: Fact) -> str:
    minimum = ctx.services.knowledge.facts["subsistence_minimum"]
    return ctx.t(
        "benefit.made_of",
        multiple=multiple.text(ctx.language),
        minimum=minimum.text(ctx.language),
    )


def _source(ctx: Context, *facts: Fact) -> str:
    """The laws behind the figures, by their plain names: "The Social Code of Kazakhstan
    (2023), article 177; the law on the state budget for 2026–2028, the subsistence minimum"."""
    cited = dict.fromkeys(
        Source(source.law, _cited_part(source.article))
        for fact in facts
        for source in fact.external
    )
    newest = max(fact.effective for fact in facts)
    return ctx.t(
        "answer.source_line", sources=sources_text(ctx.t, tuple(cited)), as_of=as_of_text(newest)
    )


def _cited_part(article: str) -> str:
    """An article number as answers.sources_text reads it ("article177"), or a named part."""
    return "article" + article if article.isdigit() else article


def _after(ctx: Context) -> tuple[Button, ...]:
    return ctx.numbered([("benefit.again", START), ("answer.more", "cmd:more")])


FEATURE = Feature(
    name="benefit_amount",
    commands={START.removeprefix("cmd:"): start},
    steps={GROUP_STEP: on_group, **dict.fromkeys(CAUSE_STEPS, on_cause)},
)
