"""Where a person lives, chosen from the registry's regions: in onboarding (a step that can be
skipped) and later by "Change my region" from the menu, read back and confirmed with a yes.

A place shared from the phone answers every region question the same way (`shared_place`,
`confirm_shared`): onboarding's, "Change my region", a booking's and the warning sign-up's. Its
region comes from the outlines; outside them the person is told so and asked again.

The list is the KATO list's 20 regions and cities, in its own order so a number means the same
region in every language. A region is chosen by its button, its number, its name typed or said
("Шымкент", "я живу в Караганде"), or a shared place (its region, confirmed with a yes, as the
place is approximate; the point itself is not kept), and the last choice skips or keeps what is
known. A person on the warning list has their registration follow a change (their own word
wins over the official list's older one: alerts.registry.region_word).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from alerts import subscriptions
from alerts.registry import regions
from alerts.registry.outlines import region_at
from bot.dialogue import drafts
from bot.dialogue.context import Context
from bot.dialogue.feature import Feature
from bot.dialogue.features.booking_place import home_region
from bot.dialogue.features.menu import menu_buttons
from bot.dialogue.turns import Button, Reply

PREFIX = "region:"
SKIP = "region:skip"
ONBOARDING = "onboarding.region"
CHANGE_STEP = "region.change"
CONFIRM_STEP = "region.change_confirm"
ONBOARDING_CONFIRM = "onboarding.region_confirm"
# Steps whose free text names a place, which says nothing about the language to answer in.
NAME_STEPS = frozenset({ONBOARDING, ONBOARDING_CONFIRM, CHANGE_STEP, CONFIRM_STEP})
CHOSEN = "region_chosen"
YES_NO: list[tuple[str, str]] = [("booking.yes", "answer:yes"), ("booking.no", "answer:no")]


@dataclass(frozen=True, slots=True)
class RegionDraft:
    """A region waiting for its yes (chosen from the list or found from a shared place)."""

    FLOW: ClassVar[str] = "region"
    code: str  # KATO

    def to_json(self) -> dict[str, Any]:
        return {"flow": self.FLOW, CHOSEN: self.code}

    @classmethod
    def from_json(cls, stored: Mapping[str, Any]) -> Self:
        code = drafts.text(stored, CHOSEN)
        if not code:
            raise drafts.Unreadable(CHOSEN)
        return cls(code)


def chosen_code(ctx: Context) -> str | None:
    """The region waiting for a yes, if its draft is fresh."""
    draft = drafts.load(ctx, RegionDraft)
    return draft.code if draft is not None else None


def buttons(ctx: Context, last_key: str) -> tuple[Button, ...]:
    """The regions numbered in the person's language, then one more choice (skip or keep)."""
    listed = [
        Button(f"{number}. {region.name(ctx.language)}", f"{PREFIX}{region.code}")
        for number, region in enumerate(regions.regions(), start=1)
    ]
    return (*listed, Button(f"{len(listed) + 1}. {ctx.t(last_key)}", SKIP))


def chosen(ctx: Context, choice: str | None) -> str | None:
    """The KATO code a button, a number or a name chose; None when nothing matched (or skip)."""
    if choice and choice.startswith(PREFIX) and choice != SKIP:
        found = regions.by_code(choice.removeprefix(PREFIX))
        return found.code if found is not None else None
    text = ctx.turn.text.strip()
    named = regions.named_in(text) if text else None
    return named.code if named is not None else None


@dataclass(frozen=True, slots=True)
class SharedPlace:
    """A place shared in this turn, and the region around it."""

    latitude: float
    longitude: float
    region: str | None  # KATO code from the outlines; None outside Kazakhstan


def shared_place(ctx: Context) -> SharedPlace | None:
    """The place shared in this turn and its region; None when no place was shared.

    The one way a region question reads a shared place: every flow asks the person about a
    region found here ("I think this is Shymkent. Is that right?"), and asks the question
    again, after `OUTSIDE`, for a place outside Kazakhstan; none assigns a region unasked."""
    place = ctx.turn.location
    if place is None:
        return None
    latitude, longitude = place
    return SharedPlace(latitude, longitude, region_at(latitude, longitude))


OUTSIDE = "region.outside"  # for a place outside Kazakhstan, before the question again


def confirm_shared(ctx: Context, code: str, *, label: str = "") -> Reply:
    """ "I think this is Shymkent. Is that right?" (yes or no) for a shared place's region; the
    flow keeps the region in its own draft until the answer."""
    question = ctx.t("alerts.region.confirm", region=name(ctx, code))
    return ctx.reply(f"{label} {question}".strip(), buttons=ctx.numbered(YES_NO))


def ask_shared(ctx: Context, code: str, *, label: str = "") -> Reply:
    """`confirm_shared` for onboarding and "Change my region", whose draft is the region."""
    drafts.save(ctx, RegionDraft(code))
    return confirm_shared(ctx, code, label=label)


def yes_or_no(ctx: Context, choice: str | None) -> str | None:
    answer = choice.removeprefix("answer:") if choice and choice.startswith("answer:") else None
    return answer or ctx.services.vocabulary.meaning("answers", ctx.turn.text)


def skipped(ctx: Context, choice: str | None) -> bool:
    """The last button, or "skip", "no", "keep" in any language."""
    if choice == SKIP:
        return True
    return ctx.services.vocabulary.meaning("answers", ctx.turn.text) in {"skip", "no"}


def name(ctx: Context, code: str | None) -> str | None:
    """A region's name in the person's language; None for no code or an unknown one."""
    region = regions.by_code(code or "")
    return region.name(ctx.language) if region is not None else None


async def change(ctx: Context, *, first: str | None = None) -> Reply:
    """From "Change my region": what is known now (or `first`, a message), then the list."""
    drafts.drop(ctx)
    ctx.go(CHANGE_STEP)
    if first is None:
        known = name(ctx, await home_region(ctx))
        first = ctx.t("region.change.now", region=known) if known else ctx.t("region.change.none")
    return ctx.reply(first, ctx.t("region.change.ask"), buttons=buttons(ctx, "region.change.keep"))


async def on_change(ctx: Context, choice: str | None) -> Reply | None:
    place = shared_place(ctx)
    if place is not None:
        if place.region is None:
            return await change(ctx, first=ctx.t(OUTSIDE))
        ctx.go(CONFIRM_STEP)
        return ask_shared(ctx, place.region)
    code = chosen(ctx, choice)
    if code is None:
        if skipped(ctx, choice):
            ctx.go(None)
            return ctx.reply(ctx.t("region.change.kept"), buttons=menu_buttons(ctx))
        return None
    drafts.save(ctx, RegionDraft(code))
    ctx.go(CONFIRM_STEP)
    question = ctx.t("region.change.confirm", region=name(ctx, code))
    return ctx.reply(question, buttons=ctx.numbered(YES_NO))


async def on_confirm(ctx: Context, choice: str | None) -> Reply | None:
    if ctx.turn.location is not None:  # another place shared instead of a yes or no
        return await on_change(ctx, choice)
    answer = yes_or_no(ctx, choice)
    code = chosen_code(ctx)
    if answer == "no":
        return await change(ctx)
    if answer != "yes" or not code:
        other = chosen(ctx, choice)  # named another region instead of answering
        return await on_change(ctx, choice) if other is not None else None
    ctx.person.region = code
    drafts.drop(ctx)
    ctx.go(None)
    parts = [ctx.t("region.change.done", region=name(ctx, code))]
    now = ctx.services.clock.now()
    moved = await subscriptions.follow_region(ctx.session, ctx.person, now=now)
    if moved is not subscriptions.RegionMove.NONE:
        parts.append(ctx.t("region.change.alerts_moved", region=name(ctx, code)))
    if moved is subscriptions.RegionMove.MOVED_LIST_BEHIND:
        parts.append(ctx.t("region.change.tell_office"))
    return ctx.reply(*parts, buttons=menu_buttons(ctx))


FEATURE = Feature(
    name="region_choice",
    commands={"region": change},
    steps={CHANGE_STEP: on_change, CONFIRM_STEP: on_confirm},
    places={CHANGE_STEP: on_change, CONFIRM_STEP: on_confirm},
    language_neutral=NAME_STEPS,
    confirmations=frozenset({CONFIRM_STEP}),
    restart=change,
)
