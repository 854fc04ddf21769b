"""/start: language, how answers come, disability kinds (optional), where the person lives
(optional; a shared place gives its region, confirmed with a yes). The steps are counted from
STEPS, so "Step 2 of 4" follows the flow itself."""

from __future__ import annotations

from bot.dialogue import drafts
from bot.dialogue.context import Context
from bot.dialogue.feature import Feature
from bot.dialogue.features import preferences, region_choice
from bot.dialogue.features.menu import menu_buttons
from bot.dialogue.turns import Button, Reply
from core.profile import DISABILITY_KINDS, DisabilityKind

KIND_OPTIONS: list[tuple[str, str]] = [
    (f"kind.{kind.value}", f"kind:{kind.value}") for kind in DISABILITY_KINDS
]
KINDS_WHY_KEY = "onboarding.kinds.why"
STEPS = ("onboarding.language", "onboarding.mode", "onboarding.kinds", region_choice.ONBOARDING)


def _step_label(ctx: Context, step: str) -> str:
    return ctx.t("booking.step", number=STEPS.index(step) + 1, total=len(STEPS))


async def start(ctx: Context) -> Reply:
    return preferences.ask_language(ctx, step=STEPS[0], step_number=(1, len(STEPS)))


async def on_language(ctx: Context, choice: str | None) -> Reply | None:
    language = preferences.chosen_language(ctx, choice)
    if language is None:
        return None
    preferences.set_language(ctx, language)
    return preferences.ask_mode(ctx, step=STEPS[1], step_label=_step_label(ctx, STEPS[1]))


async def on_mode(ctx: Context, choice: str | None) -> Reply | None:
    mode = preferences.chosen_mode(ctx, choice)
    if mode is None:
        return None
    preferences.set_mode(ctx, mode)
    return ask_kinds(ctx)


def ask_kinds(ctx: Context) -> Reply:
    ctx.go(STEPS[2])
    return ctx.reply(
        f"{_step_label(ctx, STEPS[2])} {ctx.t('onboarding.kinds.ask')}",
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
        return ask_region(ctx)
    kinds = _kinds_from(ctx, choice)
    if kinds is None:
        return None
    known = [DisabilityKind(k) for k in ctx.person.disability_kinds]
    await ctx.services.people.set_disability_kinds(
        ctx.session, ctx.person, [*known, *kinds], text_key=KINDS_WHY_KEY
    )
    if len(kinds) > 1:
        return ask_region(ctx)
    saved = ", ".join(ctx.t(f"kind.{kind}") for kind in ctx.person.disability_kinds)
    return ctx.reply(ctx.t("onboarding.kinds.saved", kinds=saved), buttons=kind_buttons(ctx))


def ask_region(ctx: Context, *before: str) -> Reply:
    """The last step: where the person lives, so bookings find services near them."""
    ctx.go(region_choice.ONBOARDING)
    drafts.drop(ctx)
    return ctx.reply(
        *before,
        f"{_step_label(ctx, region_choice.ONBOARDING)} {ctx.t('onboarding.region.ask')}",
        ctx.t("onboarding.region.why"),
        buttons=region_choice.buttons(ctx, "onboarding.region.skip"),
    )


async def region_again(ctx: Context) -> Reply:
    """The region question again: the region found from a shared place could not be read."""
    return ask_region(ctx)


async def on_region(ctx: Context, choice: str | None) -> Reply | None:
    place = region_choice.shared_place(ctx)
    if place is not None:  # its region, asked for a yes
        if place.region is None:
            return ask_region(ctx, ctx.t(region_choice.OUTSIDE))
        ctx.go(region_choice.ONBOARDING_CONFIRM)
        label = _step_label(ctx, region_choice.ONBOARDING)
        return region_choice.ask_shared(ctx, place.region, label=label)
    code = region_choice.chosen(ctx, choice)
    if code is not None:
        ctx.person.region = code
        region = region_choice.name(ctx, code)
        return finish(ctx, ctx.t("onboarding.region.saved", region=region))
    if region_choice.skipped(ctx, choice):
        return finish(ctx)
    return None


async def on_region_confirm(ctx: Context, choice: str | None) -> Reply | None:
    """Yes to the region of a shared place saves it; no shows the list again."""
    if ctx.turn.location is not None:
        return await on_region(ctx, choice)
    answer = region_choice.yes_or_no(ctx, choice)
    code = region_choice.chosen_code(ctx)
    if answer == "yes" and code:
        ctx.person.region = code
        drafts.drop(ctx)
        region = region_choice.name(ctx, code)
        return finish(ctx, ctx.t("onboarding.region.saved", region=region))
    if answer == "no":
        return ask_region(ctx)
    if region_choice.chosen(ctx, choice) is not None or region_choice.skipped(ctx, choice):
        return await on_region(ctx, choice)  # named a region, or skipped, instead of a yes
    return None


def finish(ctx: Context, *before: str) -> Reply:
    ctx.go(None)
    if ctx.person.onboarded_at is None:
        ctx.person.onboarded_at = ctx.services.clock.now()
    return ctx.reply(
        *before,
        ctx.t("onboarding.done", mode=ctx.t(f"mode.option.{ctx.person.answer_mode}")),
        ctx.t("menu.choose"),
        buttons=menu_buttons(ctx),
    )


FEATURE = Feature(
    name="onboarding",
    commands={"start": start},
    steps={
        STEPS[0]: on_language,
        STEPS[1]: on_mode,
        STEPS[2]: on_kinds,
        region_choice.ONBOARDING: on_region,
        region_choice.ONBOARDING_CONFIRM: on_region_confirm,
    },
    places={  # a shared place answers where the person lives
        region_choice.ONBOARDING: on_region,
        region_choice.ONBOARDING_CONFIRM: on_region_confirm,
    },
    language_neutral=frozenset(
        {STEPS[0], region_choice.ONBOARDING, region_choice.ONBOARDING_CONFIRM}
    ),
    asked_in_every_language=frozenset({STEPS[0]}),
    confirmations=frozenset({region_choice.ONBOARDING_CONFIRM}),
    restart=region_again,
)
