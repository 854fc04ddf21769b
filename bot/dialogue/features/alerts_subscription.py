"""Joining the emergency-warning list in four steps, and leaving it after a yes or no.

Consent first (its text is the spoken part, so blind people hear what they agree to), then
where the person lives, then how warnings reach them (and a phone for SMS), then an optional
contact person. The answers wait in the conversation's draft, like a booking's, so a change
of language or mode picks up at the same question and "stop" drops them.
"""

from __future__ import annotations

from dataclasses import replace

from alerts import subscriptions
from alerts.models import Registrant
from alerts.registry import regions
from alerts.subscriptions import Channels
from bot.dialogue import drafts
from bot.dialogue.context import Context
from bot.dialogue.feature import Feature
from bot.dialogue.features import region_choice
from bot.dialogue.features.menu import menu_buttons
from bot.dialogue.features.subscription_draft import NO_CONTACT, SubscriptionDraft
from bot.dialogue.turns import Reply
from core import phone_mask

CONSENT_KEY = "alerts.consent.text"
CONSENT_VERSION = "1"  # raise it whenever the consent text changes in any language
TOTAL_STEPS = 4

CONSENT_OPTIONS: list[tuple[str, str]] = [
    ("alerts.consent.yes", "answer:yes"),
    ("alerts.consent.no", "answer:no"),
]
YES_NO: list[tuple[str, str]] = [("booking.yes", "answer:yes"), ("booking.no", "answer:no")]
LEAVE_OPTIONS: list[tuple[str, str]] = [
    ("alerts.leave.yes", "answer:yes"),
    ("alerts.leave.no", "answer:no"),
]
CHANNEL_OPTIONS: list[tuple[str, str]] = [
    (f"alerts.channels.{channels.value}", f"channels:{channels.value}") for channels in Channels
]
LOCATION_STEPS = frozenset({"alerts.region", "alerts.region_confirm"})
YES_NO_STEPS = frozenset(
    {"alerts.consent", "alerts.region_confirm", "alerts.change", "alerts.leave"}
)


def _draft(ctx: Context) -> SubscriptionDraft:
    """The answers so far; a flow left for longer than the drafts' lifetime starts afresh."""
    return drafts.load(ctx, SubscriptionDraft) or SubscriptionDraft()


def _save(ctx: Context, draft: SubscriptionDraft | None) -> None:
    drafts.save(ctx, draft)


def _yes_no(ctx: Context, choice: str | None) -> str | None:
    if choice and choice.startswith("answer:"):
        return choice.removeprefix("answer:")
    return ctx.services.vocabulary.meaning("answers", ctx.turn.text)


def _step(ctx: Context, number: int) -> str:
    return ctx.t("booking.step", number=number, total=TOTAL_STEPS)


def region_name(ctx: Context, code: str) -> str:
    region = regions.by_code(code)
    return region.name(ctx.language) if region else code


def summary(ctx: Context, registrant: Registrant) -> list[str]:
    """What is on the list about the person, phones partly hidden."""
    channels = subscriptions.channels_of(registrant)
    lines = [
        ctx.t("alerts.summary.region", region=region_name(ctx, registrant.region)),
        ctx.t("alerts.summary.channels", channels=ctx.t(f"alerts.channels.{channels.value}")),
    ]
    if registrant.phone:
        lines.append(ctx.t("alerts.summary.phone", phone=phone_mask.for_owner(registrant.phone)))
    if registrant.contact_phone:
        contact = phone_mask.for_owner(registrant.contact_phone)
        lines.append(ctx.t("alerts.summary.contact", phone=contact))
    lines.append(ctx.t("alerts.summary.since", date=ctx.local_date(registrant.consent_at)))
    return lines


async def start(ctx: Context) -> Reply:
    """From "warnings" or "sign me up": the steps, or what is on the list already."""
    registrant = await subscriptions.registration(ctx.session, ctx.person)
    if registrant is None:  # the region given at a booking is offered for a yes
        return await _next(ctx, SubscriptionDraft(guess=ctx.person.region))
    _save(ctx, None)
    ctx.go("alerts.change")
    return ctx.reply(
        ctx.t("alerts.already"),
        "\n".join(summary(ctx, registrant)),
        ctx.t("alerts.change.ask"),
        buttons=ctx.numbered(YES_NO),
    )


async def resume(ctx: Context) -> Reply | None:
    """The question the flow was waiting for (after a change of language, say)."""
    draft = drafts.load(ctx, SubscriptionDraft)
    return await _next(ctx, draft) if draft is not None else None


async def _next(ctx: Context, draft: SubscriptionDraft) -> Reply:
    """Ask for the first missing answer, or put the person on the list."""
    _save(ctx, draft)
    if not draft.consent:
        ctx.go("alerts.consent")
        text = f"{_step(ctx, 1)} {ctx.t(CONSENT_KEY)} {ctx.t('alerts.consent.ask')}"
        return ctx.reply(text, buttons=ctx.numbered(CONSENT_OPTIONS))
    if draft.region is None and draft.guess is not None:
        ctx.go("alerts.region_confirm")
        return region_choice.confirm_shared(ctx, draft.guess, label=_step(ctx, 2))
    if draft.region is None:
        ctx.go("alerts.region")
        return ctx.reply(f"{_step(ctx, 2)} {ctx.t('alerts.region.ask')}")
    if draft.channels is None:
        ctx.go("alerts.channels")
        saved = ctx.t("alerts.summary.region", region=region_name(ctx, draft.region))
        question = f"{saved}\n{_step(ctx, 3)} {ctx.t('alerts.channels.ask')}"
        return ctx.reply(question, buttons=ctx.numbered(CHANNEL_OPTIONS))
    if draft.channels is not Channels.TELEGRAM and draft.phone is None:
        ctx.go("alerts.phone")
        return ctx.reply(f"{_step(ctx, 3)} {ctx.t('alerts.phone.ask')}")
    if draft.contact is None:
        ctx.go("alerts.contact")
        return ctx.reply(
            f"{_step(ctx, 4)} {ctx.t('alerts.contact.ask')}",
            buttons=ctx.numbered([("alerts.contact.none", "answer:no")]),
        )
    return await _finish(ctx, draft, draft.region, draft.channels, draft.contact)


async def _finish(
    ctx: Context, draft: SubscriptionDraft, region: str, channels: Channels, contact: str
) -> Reply:
    try:
        registrant = await subscriptions.subscribe(
            ctx.session,
            ctx.person,
            region=region,
            latitude=draft.latitude,
            longitude=draft.longitude,
            wants_sms=channels is not Channels.TELEGRAM,
            phone=draft.phone,
            contact_phone=contact or None,
            consent_version=CONSENT_VERSION,
            consent_key=CONSENT_KEY,
            now=ctx.services.clock.now(),
            telegram=channels is not Channels.SMS,
        )
    except subscriptions.PhoneTaken:  # taken while the person was answering
        _save(ctx, replace(draft, phone=None))
        ctx.go("alerts.phone")
        return ctx.reply(ctx.t("alerts.phone.taken"))
    _save(ctx, None)
    ctx.go(None)
    done = "\n".join([ctx.t("alerts.done"), *summary(ctx, registrant)])
    return ctx.reply(done, ctx.t("alerts.how_to_leave"), buttons=menu_buttons(ctx))


async def on_consent(ctx: Context, choice: str | None) -> Reply | None:
    answer = _yes_no(ctx, choice)
    if answer == "yes":
        return await _next(ctx, replace(_draft(ctx), consent=True))
    if answer == "no":
        _save(ctx, None)
        ctx.go(None)
        return ctx.reply(ctx.t("alerts.consent.declined"), buttons=menu_buttons(ctx))
    return None


async def on_region(ctx: Context, _choice: str | None) -> Reply | None:
    """A region or city by name, or a shared place (approximate, so its region is asked about
    next; one outside Kazakhstan gets the question again). The place itself is kept for the
    warnings, which may cover only part of a region."""
    draft = _draft(ctx)
    place = region_choice.shared_place(ctx)
    if place is not None:
        draft = draft.without_place()
        if place.region is None:
            _save(ctx, draft)
            ctx.go("alerts.region")
            ask = f"{_step(ctx, 2)} {ctx.t('alerts.region.ask')}"
            return ctx.reply(ctx.t(region_choice.OUTSIDE), ask)
        latitude, longitude = place.latitude, place.longitude
        return await _next(
            ctx, replace(draft, guess=place.region, latitude=latitude, longitude=longitude)
        )
    text = ctx.turn.text.strip()
    if not text:
        return None
    named = regions.named_in(text)
    if named is None:
        return ctx.reply(ctx.t("alerts.region.unknown"))
    return await _next(ctx, replace(draft.without_place(), region=named.code))


async def on_region_confirm(ctx: Context, choice: str | None) -> Reply | None:
    draft = _draft(ctx)
    answer = _yes_no(ctx, choice)
    if answer == "yes" and draft.guess is not None:
        return await _next(ctx, replace(draft, region=draft.guess, guess=None))
    if answer == "no":
        _save(ctx, draft.without_place())
        ctx.go("alerts.region")
        return ctx.reply(ctx.t("alerts.region.retype"))
    if ctx.turn.text.strip() and regions.named_in(ctx.turn.text) is not None:
        return await on_region(ctx, choice)  # typed the right name instead of "no"
    return None


async def on_channels(ctx: Context, choice: str | None) -> Reply | None:
    if not choice or not choice.startswith("channels:"):
        return None
    channels = Channels(choice.removeprefix("channels:"))
    return await _next(ctx, replace(_draft(ctx), channels=channels, phone=None))


async def on_phone(ctx: Context, _choice: str | None) -> Reply | None:
    if not ctx.turn.text.strip():
        return None
    phone = subscriptions.mobile_phone(ctx.turn.text)
    if phone is None:
        return ctx.reply(ctx.t("alerts.phone.wrong"))
    if await subscriptions.phone_taken(ctx.session, ctx.person, phone):
        return ctx.reply(ctx.t("alerts.phone.taken"))
    return await _next(ctx, replace(_draft(ctx), phone=phone))


async def on_contact(ctx: Context, choice: str | None) -> Reply | None:
    draft = _draft(ctx)
    answer = _yes_no(ctx, choice)
    if answer in {"no", "skip"}:
        return await _next(ctx, replace(draft, contact=NO_CONTACT))
    if not ctx.turn.text.strip():
        return None
    phone = subscriptions.mobile_phone(ctx.turn.text)
    if phone is None:
        return ctx.reply(ctx.t("alerts.contact.wrong"))
    if phone == draft.phone:
        return ctx.reply(ctx.t("alerts.contact.same"))
    return await _next(ctx, replace(draft, contact=phone))


async def on_change(ctx: Context, choice: str | None) -> Reply | None:
    """Already on the list: "yes" goes through the steps again, consent included."""
    answer = _yes_no(ctx, choice)
    if answer == "yes":
        return await _next(ctx, SubscriptionDraft())
    if answer == "no":
        ctx.go(None)
        return ctx.reply(ctx.t("alerts.kept"), buttons=menu_buttons(ctx))
    return None


async def leave(ctx: Context) -> Reply:
    """From "stop warnings": ask first, since leaving deletes the person's row on the list."""
    registrant = await subscriptions.registration(ctx.session, ctx.person)
    if registrant is None:
        ctx.go(None)
        return ctx.reply(
            ctx.t("alerts.leave.not_on_list"), ctx.t("alerts.join_hint"), buttons=menu_buttons(ctx)
        )
    ctx.go("alerts.leave")
    return ctx.reply(
        f"{ctx.t('alerts.leave.what')} {ctx.t('alerts.leave.ask')}",
        buttons=ctx.numbered(LEAVE_OPTIONS),
    )


async def on_leave(ctx: Context, choice: str | None) -> Reply | None:
    answer = _yes_no(ctx, choice)
    if answer not in {"yes", "no"}:
        return None
    ctx.go(None)
    if answer == "no":
        return ctx.reply(ctx.t("alerts.leave.kept"), buttons=menu_buttons(ctx))
    now = ctx.services.clock.now()
    await subscriptions.unsubscribe(ctx.session, ctx.person, now=now)
    return ctx.reply(
        ctx.t("alerts.leave.done"), ctx.t("alerts.join_hint"), buttons=menu_buttons(ctx)
    )


async def follow_language(ctx: Context) -> None:
    """After a change of language, warnings come in the new one."""
    await subscriptions.follow_language(ctx.session, ctx.person, now=ctx.services.clock.now())


FEATURE = Feature(
    name="alerts_subscription",
    commands={"alerts": start, "leave_alerts": leave},
    steps={
        "alerts.consent": on_consent,
        "alerts.region": on_region,
        "alerts.region_confirm": on_region_confirm,
        "alerts.channels": on_channels,
        "alerts.phone": on_phone,
        "alerts.contact": on_contact,
        "alerts.change": on_change,
        "alerts.leave": on_leave,
    },
    places=dict.fromkeys(LOCATION_STEPS, on_region),  # where to warn them about
    confirmations=YES_NO_STEPS,
    restart=start,
)
