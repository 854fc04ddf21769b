"""Answers to a warning: the "I'm safe" / "I need help" buttons under it, or the same in words.

An answer stops the warning's follow-ups for the person and shows on the dispatcher's screen.
"I need help" always reaches the dispatchers' inbox, also from somebody the list does not hold:
a call for help is never dropped because its paperwork is missing. Words are read by the
NLU's safety judgement (`nlu.safety`): "safe" only when clearly said; an answer that does
not say is "unclear" for the dispatcher and the person is asked "Are you safe?".
"""

from __future__ import annotations

from alerts import subscriptions
from alerts.models import Answer
from bot.dialogue.context import Context
from bot.dialogue.feature import Feature
from bot.dialogue.features import emergency
from bot.dialogue.turns import Reply
from nlu.pipeline import Parse

# Callback data of the buttons under a warning: alert:<safe|help>:<alert id>; 0 is "the
# latest warning, if any" (the "Are you safe?" question asked without one open).
PAYLOAD_PREFIX = "alert:"
SAFETY_STEP = "alerts.are_you_safe"


def parse_payload(payload: str | None) -> tuple[Answer, int] | None:
    """The answer and alert a button under a warning stands for, or None."""
    if not payload or not payload.startswith(PAYLOAD_PREFIX):
        return None
    pieces = payload.split(":")
    if len(pieces) != 3 or not pieces[2].isdigit():
        return None
    try:
        answer = Answer(pieces[1])
    except ValueError:
        return None
    return (answer, int(pieces[2])) if answer in (Answer.SAFE, Answer.HELP) else None


async def on_button(ctx: Context) -> Reply | None:
    """A button under a warning was pressed; None when the payload is not one of those."""
    parsed = parse_payload(ctx.turn.payload)
    if parsed is None:
        return None
    answer, alert_id = parsed
    if answer is Answer.SAFE:
        return await safe(ctx, alert_id=alert_id or None, via="button")
    return await need_help(ctx, alert_id=alert_id or None, via="button")


async def safe(ctx: Context, *, alert_id: int | None = None, via: str) -> Reply:
    """Passed on to the dispatchers when there is a warning to answer; thanks either way."""
    registrant = await subscriptions.registration(ctx.session, ctx.person)
    answered = None
    if registrant is not None:
        answered = await ctx.services.acks.answer(
            ctx.session, registrant, Answer.SAFE, via=via, alert_id=alert_id
        )
    ctx.go(None)
    return ctx.reply(ctx.t("alerts.safe.thanks" if answered else "safe.reply"))


async def need_help(ctx: Context, *, alert_id: int | None, via: str) -> Reply:
    """The call for help goes to the inbox, linked to the warning; then ask where they are."""
    request = await ctx.services.people.record_emergency(
        ctx.session, ctx.person, "alert", name=ctx.turn.name
    )
    await emergency.link_to_alert(ctx, request, alert_id=alert_id, via=via)
    ctx.go(None)
    reach = ctx.services.knowledge.by_id(emergency.REACH_112)
    ctx.conversation.topic = reach.id
    told = f"{ctx.t('alerts.help.told')} {ctx.t('emergency.share_location')}"
    return ctx.reply(told, reach.short(ctx.language), buttons=ctx.numbered(emergency.OPTIONS))


async def open_alert(ctx: Context) -> int | None:
    """The warning this person should still answer, if any."""
    registrant = await subscriptions.registration(ctx.session, ctx.person)
    if registrant is None:
        return None
    return await ctx.services.acks.open_alert(ctx.session, registrant)


async def ask_if_safe(ctx: Context, *, alert_id: int | None, via: str) -> Reply:
    """An answer that did not say: the dispatcher sees "unclear" and the person is asked.

    The question has two numbered buttons; "1", "2", "yes", "no" typed or said work too.
    """
    registrant = await subscriptions.registration(ctx.session, ctx.person)
    if registrant is not None and alert_id is not None:
        await ctx.services.acks.answer(
            ctx.session, registrant, Answer.UNCLEAR, via=via, alert_id=alert_id
        )
    ctx.go(SAFETY_STEP)
    ctx.conversation.topic = None
    buttons = ctx.numbered(
        [
            ("alert.button.safe", f"{PAYLOAD_PREFIX}safe:{alert_id or 0}"),
            ("alert.button.help", f"{PAYLOAD_PREFIX}help:{alert_id or 0}"),
        ]
    )
    return ctx.reply(ctx.t("alerts.ask_safe"), buttons=buttons)


async def on_safety_answer(ctx: Context, choice: str | None) -> Reply | None:
    """The answer to "Are you safe?": a button, its number, or yes / no (no: needs help)."""
    parsed = parse_payload(choice)
    if parsed is not None:
        answer, alert_id = parsed
    else:
        word = ctx.services.vocabulary.meaning("answers", ctx.turn.text)
        if word not in {"yes", "no"}:
            return None
        answer, alert_id = (Answer.SAFE if word == "yes" else Answer.HELP), 0
    if answer is Answer.SAFE:
        return await safe(ctx, alert_id=alert_id or None, via="message")
    return await need_help(ctx, alert_id=alert_id or None, via="message")


async def report_safe(ctx: Context, _parse: Parse) -> Reply:
    """ "I'm safe", clearly said, with no warning to answer: thanks."""
    return await safe(ctx, via="message")


async def unclear(ctx: Context, _parse: Parse) -> Reply:
    """A safety answer that did not say, with no warning open: ask all the same."""
    return await ask_if_safe(ctx, alert_id=await open_alert(ctx), via="message")


FEATURE = Feature(name="alert_answers", steps={SAFETY_STEP: on_safety_answer})
