"""My bookings, and cancelling one: found by its day or picked from a numbered list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from bookings.errors import BookingError
from bookings.events import BookingView
from bot.dialogue import drafts
from bot.dialogue.context import Context
from bot.dialogue.feature import Feature
from bot.dialogue.features.booking import CONFIRM, service_name, when_text
from bot.dialogue.features.menu import menu_buttons
from bot.dialogue.turns import Button, Reply
from nlu.when import parse_when


@dataclass(frozen=True, slots=True)
class CancelDraft:
    """The booking a person is asked to confirm cancelling."""

    FLOW: ClassVar[str] = "cancel"
    booking: int

    def to_json(self) -> dict[str, Any]:
        return {"flow": self.FLOW, "cancel": self.booking}

    @classmethod
    def from_json(cls, stored: Mapping[str, Any]) -> Self:
        booking = drafts.whole(stored, "cancel")
        if booking is None:
            raise drafts.Unreadable("cancel")
        return cls(booking)


def _describe(ctx: Context, booking: BookingView) -> str:
    when = when_text(booking.starts_at) if booking.starts_at else ctx.t("booking.no_time")
    status = ctx.t(f"booking.status.{booking.status}")
    return ctx.t(
        "booking.line", service=service_name(ctx, booking.service), when=when, status=status
    )


async def _quota_lines(ctx: Context) -> list[str]:
    """Hours left this year of each service with a yearly quota the person can book: a blind
    person is not told about sign-language interpreter hours."""
    bookings = ctx.services.bookings
    lines = []
    for service in bookings.services():
        if service.yearly_quota_hours is None:
            continue
        if not bookings.eligibility(ctx.person, service.id).eligible:
            continue
        name = service_name(ctx, service.id)
        left = await bookings.remaining_hours(ctx.person, service=service.id, session=ctx.session)
        lines.append(ctx.t("booking.quota_left", service=name, hours=left))
    return lines


async def my_bookings(ctx: Context) -> Reply:
    bookings = ctx.services.bookings
    mine = await bookings.my_bookings(ctx.person, active_only=True, session=ctx.session)
    left = await _quota_lines(ctx)
    if not mine:
        return ctx.reply(ctx.t("booking.none"), *left, buttons=menu_buttons(ctx))
    lines = "\n".join(f"{n}. {_describe(ctx, b)}" for n, b in enumerate(mine, start=1))
    return ctx.reply(ctx.t("booking.yours"), lines, *left, buttons=menu_buttons(ctx))


async def cancel(ctx: Context) -> Reply:
    """Which booking to cancel: the one on the day named, or a choice among them."""
    mine = await ctx.services.bookings.my_bookings(
        ctx.person, active_only=True, session=ctx.session
    )
    when = parse_when(ctx.turn.text, ctx.language, ctx.services.clock.now())
    if when.day is not None:
        mine = [b for b in mine if b.starts_local is not None and b.starts_local.date() == when.day]
    if not mine:
        return ctx.reply(ctx.t("booking.none_to_cancel"), buttons=menu_buttons(ctx))
    if len(mine) == 1:
        return _ask_to_cancel(ctx, mine[0])
    ctx.go("booking.cancel_pick")
    buttons = tuple(
        Button(f"{number}. {_describe(ctx, b)}", f"cancel:{b.id}")
        for number, b in enumerate(mine, start=1)
    )
    return ctx.reply(ctx.t("booking.which_to_cancel"), buttons=buttons)


def _ask_to_cancel(ctx: Context, booking: BookingView) -> Reply:
    drafts.save(ctx, CancelDraft(booking.id))
    ctx.go("booking.cancel_confirm")
    return ctx.reply(
        ctx.t("booking.cancel_read_back"),
        _describe(ctx, booking),
        ctx.t("booking.ask_cancel"),
        buttons=ctx.numbered(CONFIRM),
    )


async def on_pick(ctx: Context, choice: str | None) -> Reply | None:
    if not choice or not choice.startswith("cancel:"):
        return None
    booking_id = int(choice.removeprefix("cancel:"))
    mine = await ctx.services.bookings.my_bookings(
        ctx.person, active_only=True, session=ctx.session
    )
    chosen = next((b for b in mine if b.id == booking_id), None)
    return _ask_to_cancel(ctx, chosen) if chosen else None


async def on_cancel_confirm(ctx: Context, choice: str | None) -> Reply | None:
    answer = choice.removeprefix("answer:") if choice and choice.startswith("answer:") else None
    answer = answer or ctx.services.vocabulary.meaning("answers", ctx.turn.text)
    if answer not in {"yes", "no"}:
        return None
    draft = drafts.load(ctx, CancelDraft)
    drafts.drop(ctx)
    ctx.go(None)
    if answer == "no" or draft is None:
        return ctx.reply(ctx.t("booking.kept"), buttons=menu_buttons(ctx))
    try:
        await ctx.services.bookings.cancel(ctx.person, draft.booking, session=ctx.session)
    except BookingError as error:
        return ctx.reply(ctx.t(error.key, **error.params), buttons=menu_buttons(ctx))
    return ctx.reply(ctx.t("booking.cancelled"), buttons=menu_buttons(ctx))


FEATURE = Feature(
    name="booking_manage",
    commands={"bookings": my_bookings},
    steps={"booking.cancel_pick": on_pick, "booking.cancel_confirm": on_cancel_confirm},
    confirmations=frozenset({"booking.cancel_confirm"}),
    restart=cancel,
)
