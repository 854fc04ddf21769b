"""Where a booking happens: the person's region (asked once, then kept on their profile) and,
for services that come to the person, the address where they are needed.

The region question is the warning sign-up's: a city or region by name, or a shared place that
is confirmed with a yes. The address is free text, typed or spoken, or a shared place.
"""

from __future__ import annotations

from dataclasses import replace

from alerts import subscriptions
from alerts.registry import regions
from bot.dialogue.context import Context
from bot.dialogue.features.booking_draft import BookingDraft
from bot.dialogue.turns import Reply

MAX_ADDRESS = 300  # characters: a street, a house, a flat and a landmark fit easily
# The last booking's address is read again from that booking, not copied into the draft.
ANOTHER = "address:another"
SAME_ADDRESS: list[tuple[str, str]] = [
    ("booking.address_same.yes", "answer:yes"),
    ("booking.address_same.other", ANOTHER),
]


async def home_region(ctx: Context) -> str | None:
    """The person's region (KATO code): kept on their profile since a booking or a warning
    sign-up, else from their row on the warning list. None when they have not told us."""
    if ctx.person.region:
        return ctx.person.region
    registrant = await subscriptions.registration(ctx.session, ctx.person)
    return registrant.region if registrant is not None else None


async def booking_region(ctx: Context, draft: BookingDraft) -> str | None:
    """The region this booking is for: chosen during it, else the person's."""
    return draft.region or await home_region(ctx)


async def note_region_question(ctx: Context, draft: BookingDraft) -> BookingDraft:
    """The draft with it decided, once per booking, whether the region is asked (the person
    has none yet)."""
    if draft.ask_region is not None:
        return draft
    return replace(draft, ask_region=await home_region(ctx) is None)


def region_name(ctx: Context, code: str | None) -> str | None:
    region = regions.by_code(code or "")
    return region.name(ctx.language) if region is not None else None


def keep_region(ctx: Context, draft: BookingDraft, code: str) -> BookingDraft:
    """The draft with the region for this booking, which is kept on the person's profile for
    the next ones (and offered when they sign up for warnings)."""
    ctx.person.region = code
    return replace(draft, region=code, region_guess=None)


def where_line(ctx: Context, region: str | None, address: str | None) -> str | None:
    """ "Where: Shymkent, Abay street 10, flat 5" for the read-back; None when nothing is known."""
    parts = [part for part in (region_name(ctx, region), address) if part]
    return ctx.t("booking.line_region", region=", ".join(parts)) if parts else None


def with_address(ctx: Context, draft: BookingDraft) -> BookingDraft | str:
    """The draft with this turn's address answer, or the problem's key."""
    place = ctx.turn.location
    if place is not None:
        latitude, longitude = place
        shared = ctx.t("booking.shared_place")
        return replace(draft, latitude=latitude, longitude=longitude, address=shared)
    text = " ".join(ctx.turn.text.split())
    if not any(character.isalnum() for character in text):
        return "booking.address_missing"
    if len(text) > MAX_ADDRESS:
        return "booking.address_too_long"
    return replace(draft.without_place(), address=text)


async def address_question(
    ctx: Context, draft: BookingDraft, label: str
) -> tuple[BookingDraft, Reply]:
    """The address step: "Same address as last time: …?" when there was one, else the
    question; with the draft noting whether the last address was offered."""
    last = await last_address(ctx) if draft.offer_last_address else None
    draft = replace(draft, offer_last_address=last is not None)
    if last is not None:
        ctx.go("booking.address_same")
        offer = ctx.t("booking.address_same", address=last)
        return draft, ctx.reply(f"{label} {offer}", buttons=ctx.numbered(SAME_ADDRESS))
    ctx.go("booking.address")
    return draft, ctx.reply(f"{label} {ctx.t('booking.ask_address')}")


async def last_address(ctx: Context) -> str | None:
    """The address of the person's latest booking of a service that comes to them."""
    return await ctx.services.bookings.last_address(ctx.person, session=ctx.session)
