"""The language a person speaks in voice messages, chosen in the menu and kept in their profile.

Most people speak the language they read, so nothing is stored until they choose otherwise.
A Kazakh reader who speaks Russian (or a Russian reader who speaks English) chooses it here,
or with the one-off "Listen to me in Russian" button a Kazakh voice message offers while no
Kazakh speech model is installed; either way the choice is shown and changed here.
"""

from __future__ import annotations

from bot.dialogue.context import Context
from bot.dialogue.feature import Feature
from bot.dialogue.features.menu import MENU, menu_buttons
from bot.dialogue.features.preferences import LANGUAGE_LABELS
from bot.dialogue.turns import Button, Reply
from core import audit
from core.people import person_ref
from core.profile import LANGUAGES, Language

STEP = "listening"
PAYLOAD = "speech:"
COMMAND = "cmd:listening"


def speech_language(ctx: Context) -> Language:
    """The language this person's voice messages are heard in."""
    chosen = ctx.person.speech_language
    return Language(chosen) if chosen else ctx.language


def menu_number() -> int:
    """Where the choice is in the main menu (1-based), for telling people where to find it."""
    return [payload for _, payload in MENU].index(COMMAND) + 1


def _buttons() -> tuple[Button, ...]:
    return tuple(
        Button(f"{number}. {LANGUAGE_LABELS[language]}", f"{PAYLOAD}{language.value}")
        for number, language in enumerate(LANGUAGES, start=1)
    )


def _name(ctx: Context, language: Language) -> str:
    return ctx.t(f"language.name.{language.value}")


async def ask(ctx: Context) -> Reply:
    """Which language the person speaks in voice messages, saying what it is now."""
    ctx.go(STEP)
    current = _name(ctx, speech_language(ctx))
    return ctx.reply(ctx.t("listening.ask", name=current), buttons=_buttons())


def _chosen(ctx: Context, choice: str | None) -> Language | None:
    """The language picked by a button, its number, or its name in any language."""
    if choice and choice.startswith(PAYLOAD):
        return Language(choice.removeprefix(PAYLOAD))
    named = ctx.services.vocabulary.meaning("languages", ctx.turn.text)
    return Language(named) if named else None


def remember(ctx: Context, language: Language) -> None:
    """Keep the choice (nothing when it is the language they read) and audit it."""
    ctx.person.speech_language = None if language is ctx.language else language.value
    audit.record(
        ctx.session,
        at=ctx.services.clock.now(),
        actor=person_ref(ctx.person),
        action="person.speech_language_changed",
        language=language.value,
    )


async def on_choice(ctx: Context, choice: str | None) -> Reply | None:
    language = _chosen(ctx, choice)
    if language is None:
        return None
    remember(ctx, language)
    ctx.go(None)
    return ctx.reply(
        ctx.t("listening.changed", name=_name(ctx, language)), buttons=menu_buttons(ctx)
    )


FEATURE = Feature(
    name="speech_language",
    commands={COMMAND.removeprefix("cmd:"): ask},
    steps={STEP: on_choice},
    language_neutral=frozenset({STEP}),
)
