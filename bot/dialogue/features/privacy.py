""" "My data" shows what is stored; "forget me" deletes it after a yes or no; "teach" says
whether messages the bot did not understand may be kept for staff to teach it (off until the
person says yes)."""

from __future__ import annotations

from alerts import subscriptions
from alerts.registry import regions
from bot.dialogue.context import Context
from bot.dialogue.feature import Feature
from bot.dialogue.features.alerts_subscription import summary
from bot.dialogue.features.menu import MENU, menu_buttons
from bot.dialogue.features.speech_language import speech_language
from bot.dialogue.turns import Reply
from nlu import review

CONFIRM_OPTIONS: list[tuple[str, str]] = [
    ("forget.yes", "answer:yes"),
    ("forget.no", "answer:no"),
]
LEARNING_OPTIONS: list[tuple[str, str]] = [
    ("learning.yes", "answer:yes"),
    ("learning.no", "answer:no"),
]
LEARNING_CONSENT_KEY = "learning.what"


async def my_data(ctx: Context) -> Reply:
    person = ctx.person
    people = ctx.services.people
    not_given = ctx.t("mydata.not_given")
    kinds = ", ".join(ctx.t(f"kind.{kind}") for kind in person.disability_kinds) or not_given
    region = regions.by_code(person.region or "")
    lines = [
        ctx.t("mydata.telegram_id", value=person.telegram_id),
        ctx.t("mydata.language", value=ctx.t(f"language.name.{person.language}")),
        ctx.t("mydata.mode", value=ctx.t(f"mode.option.{person.answer_mode}")),
        ctx.t("mydata.rate", value=person.speech_rate),
        ctx.t("mydata.listening", value=ctx.t(f"language.name.{speech_language(ctx).value}")),
        ctx.t("mydata.kinds", value=kinds),
        ctx.t("mydata.region", value=region.name(ctx.language) if region else not_given),
        ctx.t("mydata.phone", value=person.phone or not_given),
        ctx.t("mydata.since", value=ctx.local_date(person.created_at)),
    ]
    for consent in await people.consents(ctx.session, person):
        lines.append(
            ctx.t(
                "mydata.consent",
                topic=ctx.t(f"consent.topic.{consent.topic}"),
                version=consent.version,
                date=ctx.local_date(consent.given_at),
            )
        )
    handovers = await people.open_handovers(ctx.session, person)
    if handovers:
        lines.append(ctx.t("mydata.handovers", count=handovers))
    if await review.agreed(ctx.session, person):
        kept = await review.kept_count(ctx.session, person)
        lines.append(ctx.t("mydata.learning_on", count=kept))
    else:
        lines.append(ctx.t("mydata.learning_off"))
    lines.append(ctx.t("mydata.learning_hint"))
    registrant = await subscriptions.registration(ctx.session, person)
    if registrant is not None:
        lines.extend([ctx.t("alerts.mydata.title"), *summary(ctx, registrant)])
    return ctx.reply(
        ctx.t("mydata.title"),
        "\n".join(lines),
        ctx.t("mydata.forget_hint"),
        buttons=ctx.numbered([*MENU, ("menu.item.learning", "cmd:learning")]),
    )


async def forget(ctx: Context) -> Reply:
    ctx.go("confirm.forget")
    return ctx.reply(
        ctx.t("forget.what"), ctx.t("forget.ask"), buttons=ctx.numbered(CONFIRM_OPTIONS)
    )


async def on_forget_answer(ctx: Context, choice: str | None) -> Reply | None:
    answer = choice.removeprefix("answer:") if choice and choice.startswith("answer:") else None
    answer = answer or ctx.services.vocabulary.meaning("answers", ctx.turn.text)
    if answer == "yes":
        reply = ctx.reply(ctx.t("forget.done"), ctx.t("forget.start_again"))
        now = ctx.services.clock.now()
        await subscriptions.unsubscribe(ctx.session, ctx.person, now=now)  # off the list too
        await ctx.services.people.forget(ctx.session, ctx.person)
        ctx.forgotten = True
        return reply
    if answer == "no":
        ctx.go(None)
        return ctx.reply(ctx.t("forget.kept"), buttons=menu_buttons(ctx))
    return None


async def learning(ctx: Context) -> Reply:
    """What keeping unclear messages for staff means, whether it is on, and yes or no."""
    ctx.go("confirm.learning")
    on = await review.agreed(ctx.session, ctx.person)
    return ctx.reply(
        ctx.t(LEARNING_CONSENT_KEY),
        ctx.t("learning.privacy", days=ctx.services.learning.keep_days),
        ctx.t("learning.now_on" if on else "learning.now_off"),
        ctx.t("learning.ask"),
        buttons=ctx.numbered(LEARNING_OPTIONS),
    )


async def on_learning_answer(ctx: Context, choice: str | None) -> Reply | None:
    answer = choice.removeprefix("answer:") if choice and choice.startswith("answer:") else None
    answer = answer or ctx.services.vocabulary.meaning("answers", ctx.turn.text)
    now = ctx.services.clock.now()
    if answer == "yes":
        ctx.go(None)
        await review.agree(ctx.session, ctx.person, text_key=LEARNING_CONSENT_KEY, now=now)
        return ctx.reply(ctx.t("learning.on"), buttons=menu_buttons(ctx))
    if answer == "no":
        ctx.go(None)
        ctx.services.learning.forget(ctx.person)
        await review.withdraw(ctx.session, ctx.person, now=now)
        return ctx.reply(ctx.t("learning.off"), buttons=menu_buttons(ctx))
    return None


FEATURE = Feature(
    name="privacy",
    commands={"mydata": my_data, "forget": forget, "learning": learning},
    steps={"confirm.forget": on_forget_answer, "confirm.learning": on_learning_answer},
    confirmations=frozenset({"confirm.forget", "confirm.learning"}),
)
