"""A booking that could not be made: why, and a way forward (free times nearby, or another
time), or the menu when the person cannot use the service."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bookings.errors import BookingError, NeedsInformation, NotEligible, SlotFull
from bot.dialogue import drafts
from bot.dialogue.context import Context, local_datetime_text
from bot.dialogue.features import booking_place as place
from bot.dialogue.features.booking_draft import BookingDraft
from bot.dialogue.features.menu import menu_buttons
from bot.dialogue.turns import Button, Reply
from core.localtime import to_local

SLOT_CHOICES = 4
when_text = local_datetime_text


async def refused(ctx: Context, error: BookingError, draft: BookingDraft) -> Reply:
    """Why it could not be booked, and a way forward: free times nearby, or another time."""
    parts = [ctx.t(error.key, **error.params)]
    if isinstance(error, NotEligible | NeedsInformation):
        parts = [ctx.t(str(v)) for v in error.params.values()]
        drafts.drop(ctx)
        ctx.go(None)
        return ctx.reply(*parts, buttons=menu_buttons(ctx))
    wanted, draft = draft.starts_at, replace(draft, starts_at=None)
    drafts.save(ctx, draft)
    ctx.go("booking.when")
    if isinstance(error, SlotFull) and wanted:
        free = await free_near(ctx, draft, wanted)
        if free:
            buttons = tuple(
                Button(f"{n}. {when_text(moment)}", f"slot:{moment.isoformat()}")
                for n, moment in enumerate(free, start=1)
            )
            return ctx.reply(*parts, ctx.t("booking.free_times"), buttons=buttons)
    return ctx.reply(*parts, ctx.t("booking.ask_when"))


async def free_near(ctx: Context, draft: BookingDraft, wanted: datetime) -> list[datetime]:
    """Up to four free start times on the wanted day and the next few days."""
    if draft.service is None:
        return []
    local_day = to_local(wanted).date()
    slots = await ctx.services.bookings.free_slots(
        draft.service,
        await place.booking_region(ctx, draft),
        local_day,
        local_day + timedelta(days=3),
        int(draft.hours or 1),
        session=ctx.session,
    )
    starts = sorted({slot.starts_at for slot in slots}, key=lambda m: abs(m - wanted))
    return sorted(starts[:SLOT_CHOICES])
