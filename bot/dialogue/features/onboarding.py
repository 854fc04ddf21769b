"""/start: language, then how answers come, then (optionally) disability kinds. Three steps."""

from __future__ import annotations

from bot.dialogue.context import Context
from bot.dialogue.features import preferences
from bot.dialogue.features.menu import menu_buttons
from bot.dialogue.turns import Button, Reply
from core.profile import DISABILITY_KINDS, DisabilityKind

KIND_OPTIONS: list[tuple[str, str]] = [
    (f"kind.{kind.value}", f"kind:{kind.value}") for kind in DISABILITY_KINDS
]
KINDS_WHY_KEY = "onboarding.kinds.why"


async def start(ctx: Context) -> Reply:
    return preferences.ask_language(ctx, step="onboarding.language", step_key="onboarding.step1")


async def on_language(ctx: Context, choice: str | None) -> Reply | None:
    language = preferences.chosen_language(ctx, choice)
    if language is None:
        return None
    preferences.set_language(ctx, language)
    return preferences.ask_mode(ctx, step="onboarding.mode", step_key="onboarding.step2")


async def on_mode(ctx: Context, choice: str | None) -> Reply | None:
    mode = preferences.chosen_mode(ctx, choice)
    if mode is None:
        return None
    preferences.set_mode(ctx, mode)
    return ask_kinds(ctx)


def ask_kinds(ctx: Context) -> Reply:
    ctx.go("onboarding.kinds")
    return ctx.reply(
        f"{ctx.t('onboarding.step3')} {ctx.t('onboarding.kinds.ask')}",
        f"{ctx.t(KINDS_WHY_KEY)} {ctx.t('onboarding.kinds.skip_hint')}",
        buttons=kind_buttons(ctx),
    )


def kind_buttons(ctx: Context) -> tuple[Button, ...]:
    return ctx.numbered([*KIND_OPTIONS, ("onboarding.kinds.done", "kind:done")])


def _kinds_from(ctx: Context, choice: str | None) -> list[DisabilityKind] | None:
    """Kinds chosen by a button, by numbers ("1 3"), or by name; None when nothing matched."""
    if choice and choice.startswith("kind:") and choice != "kind:done":
        return [DisabilityKind(choice.removeprefix("kind:"))]
    numbers = ctx.services.vocabulary.numbers(ctx.turn.text)
    if numbers and all(1 <= n <= len(DISABILITY_KINDS) for n in numbers):
        return [DISABILITY_KINDS[n - 1] for n in numbers]
    named = ctx.services.vocabulary.meaning("kinds", ctx.turn.text)
    return [DisabilityKind(named)] if named else None


async def on_kinds(ctx: Context, choice: str | None) -> Reply | None:
    if choice == "kind:done" or ctx.services.vocabulary.meaning("answers", ctx.turn.text) in {
        "skip",
        "no",
    }:
        return finish(ctx)
    kinds = _kinds_from(ctx, choice)
    if kinds is None:
        return None
    known = [DisabilityKind(k) for k in ctx.person.disability_kinds]
    await ctx.services.people.set_disability_kinds(
        ctx.session, ctx.person, [*known, *kinds], text_key=KINDS_WHY_KEY
    )
    if len(kinds) > 1:
        return finish(ctx)
    saved = ", ".join(ctx.t(f"kind.{kind}") for kind in ctx.person.disability_kinds)
    return ctx.reply(ctx.t("onboarding.kinds.saved", kinds=saved), buttons=kind_buttons(ctx))


def finish(ctx: Context) -> Reply:
    ctx.go(None)
    if ctx.person.onboarded_at is None:
        ctx.person.onboarded_at = ctx.services.clock.now()
    return ctx.reply(
        ctx.t("onboarding.done", mode=ctx.t(f"mode.option.{ctx.person.answer_mode}")),
        ctx.t("menu.choose"),
        buttons=menu_buttons(ctx),
    )
