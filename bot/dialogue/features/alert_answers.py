"""Answers to a warning: the "I'm safe" / "I need help" buttons under it, or the same in words.

An answer stops the warning's follow-ups for the person and shows on the dispatcher's screen.
"I need help" always reaches the dispatchers' inbox, also from somebody the list does not hold:
a call for help is never dropped because its paperwork is missing.
"""

from __future__ import annotations

from alerts import subscriptions
from alerts.models import Answer
from bot.dialogue.context import Context
from bot.dialogue.features import emergency
from bot.dialogue.turns import Reply, TurnKind
from nlu.pipeline import EMERGENCY, Parse

# Callback data of the buttons under a warning: alert:<safe|help>:<alert id>.
PAYLOAD_PREFIX = "alert:"
SAFE_INTENT = "report_safe"


def parse_payload(payload: str | None) -> tuple[Answer, int] | None:
    """The answer and alert a button under a warning stands for, or None."""
    if not payload or not payload.startswith(PAYLOAD_PREFIX):
        return None
    pieces = payload.split(":")
    if len(pieces) != 3 or not pieces[2].isdigit():
        return None
    try:
        return Answer(pieces[1]), int(pieces[2])
    except ValueError:
        return None


async def on_button(ctx: Context) -> Reply | None:
    """A button under a warning was pressed; None when the payload is not one of those."""
    parsed = parse_payload(ctx.turn.payload)
    if parsed is None:
        return None
    answer, alert_id = parsed
    if answer is Answer.SAFE:
        return await safe(ctx, alert_id=alert_id, via="button")
    return await need_help(ctx, alert_id=alert_id, via="button")


async def safe(ctx: Context, *, alert_id: int | None = None, via: str) -> Reply:
    """Passed on to the dispatchers when there is a warning to answer; thanks either way."""
    registrant = await subscriptions.registration(ctx.session, ctx.person)
    answered = None
    if registrant is not None:
        answered = await ctx.services.acks.answer(
            ctx.session, registrant, Answer.SAFE, via=via, alert_id=alert_id
        )
    return ctx.reply(ctx.t("alerts.safe.thanks" if answered else "safe.reply"))


async def need_help(ctx: Context, *, alert_id: int | None, via: str) -> Reply:
    """The call for help goes to the inbox, linked to the warning; then ask where they are."""
    request = await ctx.services.people.record_emergency(ctx.session, ctx.person, "alert")
    await emergency.link_to_alert(ctx, request, alert_id=alert_id, via=via)
    ctx.go(None)
    reach = ctx.services.knowledge.by_id(emergency.REACH_112)
    ctx.conversation.topic = reach.id
    told = f"{ctx.t('alerts.help.told')} {ctx.t('emergency.share_location')}"
    return ctx.reply(told, reach.short(ctx.language), buttons=ctx.numbered(emergency.OPTIONS))


async def report_safe(ctx: Context, _parse: Parse) -> Reply:
    """ "I'm safe" typed or said: answers the person's latest warning, if any."""
    return await safe(ctx, via="message")


async def unprompted(ctx: Context) -> Reply | None:
    """Somebody on the list who never set up the bot answers a warning in words.

    The official list holds people with a Telegram chat who may never have written to the
    bot; their first message may be "I'm safe". It is answered before any set-up questions.
    """
    text = ctx.turn.text.strip()
    if ctx.turn.kind is not TurnKind.TEXT or not text:
        return None
    if await subscriptions.registration(ctx.session, ctx.person) is None:
        return None
    parse = await ctx.services.nlu.understand(text, ctx.language)
    if parse.language != ctx.language:
        ctx.speak_in = parse.language
    if parse.intent == SAFE_INTENT and parse.confident:
        return await safe(ctx, via="message")
    if parse.intent == EMERGENCY:
        return await emergency.respond(ctx, "urgent")
    return None
