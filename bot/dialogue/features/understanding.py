"""Free text: the NLU decides what was asked; a vague question gets a numbered choice."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.dialogue.context import Context
from bot.dialogue.features import (
    alert_answers,
    alerts_subscription,
    answers,
    benefit_amount,
    booking,
    booking_manage,
    emergency,
    handover,
    menu,
    preferences,
)
from bot.dialogue.turns import Reply
from nlu.pipeline import EMERGENCY, UNCLEAR_SAFETY, Parse
from nlu.review import Guess

Route = Callable[[Context, Parse], Awaitable[Reply]]
CLARIFY_OPTIONS = 3
NOT_OFFERED = frozenset({"out_of_scope", "affirm", "deny", "greet", "goodbye", "thanks"})
# A message read as one of these is never taken for "that's not what I asked".
NEVER_A_CORRECTION = frozenset({EMERGENCY, "report_safe", UNCLEAR_SAFETY, "human_operator"})
SHORT = 12  # the most words of a message that says the answer missed, and nothing more
# Intents whose answer cannot miss the question: not remembered to learn from.
NOT_A_QUESTION = NOT_OFFERED | NEVER_A_CORRECTION | {"repeat", "help", "slower", "faster"}


async def understand(ctx: Context) -> Reply:
    parse = await _read(ctx)
    if parse.language != ctx.language:
        ctx.speak(parse.language)
    learning, guess = ctx.services.learning, _guess(parse)
    if _corrects(ctx, parse) and await learning.corrected(ctx.session, ctx.person):
        return ctx.reply(ctx.t("learning.sorry"), buttons=menu.menu_buttons(ctx))
    if not parse.confident:
        await learning.unsure(ctx.session, ctx.person, guess)
        return clarify(ctx, parse)
    if parse.intent not in NOT_A_QUESTION:
        await learning.answered(ctx.session, ctx.person, guess)
    return await route(ctx, parse.intent, parse)


async def _read(ctx: Context) -> Parse:
    """What the message asks. A greeting with a question after it ("Hi, I have a question
    about the benefit") is read for the question, so the answer is not only "Hello"."""
    nlu = ctx.services.nlu
    question = ctx.services.vocabulary.after_leading("greetings", ctx.turn.text)
    if question is not None:
        asked = await nlu.understand(question, ctx.language)
        if asked.intent not in NOT_OFFERED:
            return asked
    return await nlu.understand(ctx.turn.text, ctx.language)


def _guess(parse: Parse) -> Guess:
    return Guess(parse.text, parse.language.value, parse.intent, parse.confidence)


def _corrects(ctx: Context, parse: Parse) -> bool:
    """A short message saying the last answer missed (never a call for help or a safety answer)."""
    if parse.intent in NEVER_A_CORRECTION or parse.safety is not None:
        return False
    if len(parse.text.split()) > SHORT:
        return False
    return ctx.services.vocabulary.mentions("corrections", parse.text) is not None


async def choose_topic(ctx: Context, intent: str) -> Reply:
    """A topic picked from a clarifying menu."""
    await ctx.services.learning.chose(ctx.session, ctx.person, intent)
    parse = ctx.services.nlu.parse(ctx.turn.text or intent, ctx.language)
    return await route(ctx, intent, parse)


def clarify(ctx: Context, parse: Parse) -> Reply:
    options = [r.intent for r in parse.ranking if r.intent not in NOT_OFFERED][:CLARIFY_OPTIONS]
    if len(options) < 2:
        return ctx.reply(
            ctx.t("fallback.not_understood"),
            ctx.t("fallback.can_do"),
            buttons=menu.menu_buttons(ctx),
        )
    buttons = ctx.numbered([(f"topic.{intent}", f"topic:{intent}") for intent in options])
    return ctx.reply(ctx.t("clarify.ask"), buttons=buttons)


async def route(ctx: Context, intent: str, parse: Parse) -> Reply:
    article = ctx.services.knowledge.for_intent(intent)
    if article is not None and intent != EMERGENCY:
        how_much = await benefit_amount.asked_how_much(ctx, intent)
        return how_much or answers.article_reply(ctx, article)
    handler = ROUTES.get(intent)
    if handler is None:
        return await menu.not_understood(ctx)
    return await handler(ctx, parse)


def _say(*keys: str, with_menu: bool = False) -> Route:
    async def reply(ctx: Context, _parse: Parse) -> Reply:
        buttons = menu.menu_buttons(ctx) if with_menu else ()
        return ctx.reply(*(ctx.t(key) for key in keys), buttons=buttons)

    return reply


async def _book(ctx: Context, parse: Parse) -> Reply:
    return await booking.start(ctx, service=parse.entity("service"))


async def _emergency(ctx: Context, _parse: Parse) -> Reply:
    return await emergency.respond(ctx, "urgent")


async def _yes_or_no(ctx: Context, parse: Parse) -> Reply:
    """A yes or a no in any words ("nope, not at all", "вообще нет"). While a warning waits for
    an answer it is asked about, as an answer that does not say (the dispatcher sees "unclear");
    otherwise the bot says it did not understand."""
    if await alert_answers.open_alert(ctx) is not None:
        return await alert_answers.unclear(ctx, parse)
    return await menu.not_understood(ctx)


def _command(handler: Callable[[Context], Awaitable[Reply]]) -> Route:
    async def run(ctx: Context, _parse: Parse) -> Reply:
        return await handler(ctx)

    return run


ROUTES: dict[str, Route] = {
    EMERGENCY: _emergency,
    "greet": _say("greet.reply", with_menu=True),
    "thanks": _say("thanks.reply"),
    "goodbye": _say("goodbye.reply"),
    "out_of_scope": _say("out_of_scope.reply", "out_of_scope.can_do", with_menu=True),
    "report_safe": alert_answers.report_safe,
    UNCLEAR_SAFETY: alert_answers.unclear,
    "alerts_subscribe": _command(alerts_subscription.start),
    "alerts_unsubscribe": _command(alerts_subscription.leave),
    "book_service": _book,
    "cancel_booking": _command(booking_manage.cancel),
    "my_bookings": _command(booking_manage.my_bookings),
    "help": _command(menu.show_help),
    "human_operator": _command(handover.request_human),
    "repeat": _command(menu.repeat),
    "change_language": _command(preferences.change_language),
    "slower": _command(preferences.slower),
    "faster": _command(preferences.faster),
    "affirm": _yes_or_no,
    "deny": _yes_or_no,
}
