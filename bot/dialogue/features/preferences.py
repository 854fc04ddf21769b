"""Choosing the language and how answers come (voice, text or both)."""

from __future__ import annotations

from dataclasses import replace

from bot.dialogue.context import Context
from bot.dialogue.feature import Feature
from bot.dialogue.features import alerts_subscription, booking
from bot.dialogue.features.menu import menu_buttons
from bot.dialogue.turns import Button, Reply
from core import audit
from core.people import person_ref
from core.profile import ANSWER_MODES, LANGUAGES, AnswerMode, Language

# Each language is named in itself, so anybody can find theirs.
LANGUAGE_LABELS = {Language.KK: "Қазақша", Language.RU: "Русский", Language.EN: "English"}

MODE_OPTIONS: list[tuple[str, str]] = [
    (f"mode.option.{mode.value}", f"mode:{mode.value}") for mode in ANSWER_MODES
]


def language_buttons() -> tuple[Button, ...]:
    return tuple(
        Button(f"{number}. {LANGUAGE_LABELS[language]}", f"lang:{language.value}")
        for number, language in enumerate(LANGUAGES, start=1)
    )


def in_every_language(ctx: Context, *keys: str) -> str:
    """One line per language, for when the person may not read the current one."""
    catalogs = ctx.services.catalogs
    return "\n".join(
        " ".join(catalogs.text(language, key) for key in keys) for language in LANGUAGES
    )


def ask_language(ctx: Context, *, step: str, step_number: tuple[int, int] | None) -> Reply:
    """Ask in all three languages at once; `step_number` is (number, total) in a flow."""
    catalogs = ctx.services.catalogs
    lines = []
    for language in LANGUAGES:
        question = catalogs.text(language, "language.ask")
        if step_number is not None:
            number, total = step_number
            label = catalogs.text(language, "booking.step", number=number, total=total)
            question = f"{label} {question}"
        lines.append(question)
    ctx.go(step)
    return ctx.reply("\n".join(lines), buttons=language_buttons())


def chosen_language(ctx: Context, choice: str | None) -> Language | None:
    """The language picked by a button, its number, or its name in any language."""
    if choice and choice.startswith("lang:"):
        return Language(choice.removeprefix("lang:"))
    named = ctx.services.vocabulary.meaning("languages", ctx.turn.text)
    return Language(named) if named else None


def set_language(ctx: Context, language: Language) -> None:
    ctx.person.language = language.value
    ctx.follow_profile()
    audit.record(
        ctx.session,
        at=ctx.services.clock.now(),
        actor=person_ref(ctx.person),
        action="person.language_changed",
        language=language.value,
    )


def ask_mode(ctx: Context, *, step: str, step_label: str | None) -> Reply:
    """How answers should come; `step_label` ("Step 2 of 4.") in a flow."""
    question = ctx.t("mode.ask")
    if step_label:
        question = f"{step_label} {question}"
    ctx.go(step)
    return ctx.reply(question, buttons=ctx.numbered(MODE_OPTIONS))


def chosen_mode(ctx: Context, choice: str | None) -> AnswerMode | None:
    if choice and choice.startswith("mode:"):
        return AnswerMode(choice.removeprefix("mode:"))
    named = ctx.services.vocabulary.meaning("modes", ctx.turn.text)
    return AnswerMode(named) if named else None


def set_mode(ctx: Context, mode: AnswerMode) -> None:
    ctx.person.answer_mode = mode.value
    audit.record(
        ctx.session,
        at=ctx.services.clock.now(),
        actor=person_ref(ctx.person),
        action="person.mode_changed",
        mode=mode.value,
    )


async def change_language(ctx: Context) -> Reply:
    return ask_language(ctx, step="language", step_number=None)


async def on_language(ctx: Context, choice: str | None) -> Reply | None:
    language = chosen_language(ctx, choice)
    if language is None:
        return None
    set_language(ctx, language)
    await alerts_subscription.follow_language(ctx)
    ctx.go(None)
    resumed = await booking.resume(ctx) or await alerts_subscription.resume(ctx)
    if resumed is not None:
        return replace(resumed, parts=(ctx.t("language.changed"), *resumed.parts))
    return ctx.reply(ctx.t("language.changed"), buttons=menu_buttons(ctx))


async def change_mode(ctx: Context) -> Reply:
    return ask_mode(ctx, step="mode", step_label=None)


async def on_mode(ctx: Context, choice: str | None) -> Reply | None:
    mode = chosen_mode(ctx, choice)
    if mode is None:
        return None
    set_mode(ctx, mode)
    ctx.go(None)
    resumed = await booking.resume(ctx) or await alerts_subscription.resume(ctx)
    if resumed is not None:
        return replace(resumed, parts=(ctx.t(f"mode.changed.{mode.value}"), *resumed.parts))
    return ctx.reply(ctx.t(f"mode.changed.{mode.value}"), buttons=menu_buttons(ctx))


RATE_STEP = 10
RATE_LIMITS = (50, 200)


async def slower(ctx: Context) -> Reply:
    return _change_rate(ctx, -RATE_STEP, "speech.slower")


async def faster(ctx: Context) -> Reply:
    return _change_rate(ctx, RATE_STEP, "speech.faster")


def _change_rate(ctx: Context, step: int, key: str) -> Reply:
    """Speech rate in steps, remembered for the person's voice notes."""
    low, high = RATE_LIMITS
    ctx.person.speech_rate = min(high, max(low, ctx.person.speech_rate + step))
    audit.record(
        ctx.session,
        at=ctx.services.clock.now(),
        actor=person_ref(ctx.person),
        action="person.speech_rate_changed",
        rate=ctx.person.speech_rate,
    )
    return ctx.reply(ctx.t(key, rate=ctx.person.speech_rate), remember=False)


FEATURE = Feature(
    name="preferences",
    commands={
        "language": change_language,
        "lang": change_language,
        "mode": change_mode,
        "slower": slower,
        "faster": faster,
    },
    steps={"language": on_language, "mode": on_mode},
    language_neutral=frozenset({"language"}),
    asked_in_every_language=frozenset({"language"}),
)
