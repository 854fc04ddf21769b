""" "My data" shows what is stored; "forget me" deletes it after a yes or no."""

from __future__ import annotations

from alerts import subscriptions
from bot.dialogue.context import Context
from bot.dialogue.features.alerts_subscription import summary
from bot.dialogue.features.menu import menu_buttons
from bot.dialogue.turns import Reply

CONFIRM_OPTIONS: list[tuple[str, str]] = [
    ("forget.yes", "answer:yes"),
    ("forget.no", "answer:no"),
]


async def my_data(ctx: Context) -> Reply:
    person = ctx.person
    people = ctx.services.people
    not_given = ctx.t("mydata.not_given")
    kinds = ", ".join(ctx.t(f"kind.{kind}") for kind in person.disability_kinds) or not_given
    lines = [
        ctx.t("mydata.telegram_id", value=person.telegram_id),
        ctx.t("mydata.language", value=ctx.t(f"language.name.{person.language}")),
        ctx.t("mydata.mode", value=ctx.t(f"mode.option.{person.answer_mode}")),
        ctx.t("mydata.rate", value=person.speech_rate),
        ctx.t("mydata.kinds", value=kinds),
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
    registrant = await subscriptions.registration(ctx.session, person)
    if registrant is not None:
        lines.extend([ctx.t("alerts.mydata.title"), *summary(ctx, registrant)])
    return ctx.reply(
        ctx.t("mydata.title"),
        "\n".join(lines),
        ctx.t("mydata.forget_hint"),
        buttons=menu_buttons(ctx),
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
