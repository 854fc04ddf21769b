"""Booking a service by text or voice: fill in what is missing, read it back, ask yes or no."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from alerts.registry import regions
from bookings.catalog import Service
from bookings.errors import BookingError
from bot.dialogue import drafts
from bot.dialogue.context import Context, local_datetime_text
from bot.dialogue.feature import Feature
from bot.dialogue.features import booking_place as place
from bot.dialogue.features import booking_refused, region_choice
from bot.dialogue.features.booking_draft import BookingDraft
from bot.dialogue.features.menu import menu_buttons
from bot.dialogue.turns import Reply
from nlu.when import When, parse_when

CONFIRM: list[tuple[str, str]] = [("booking.yes", "answer:yes"), ("booking.no", "answer:no")]
home_region = place.home_region
# Steps whose free text names a place: it says nothing about the language to answer in.
PLACE_NAME_STEPS = frozenset(
    {"booking.region", "booking.destination", "booking.address", "booking.address_same"}
)


def service_name(ctx: Context, service: str) -> str:
    return ctx.t(f"booking.service.{service}.name")


when_text = local_datetime_text


def _draft(ctx: Context) -> BookingDraft:
    """The booking's answers so far (a booking left half-way is forgotten: drafts.load)."""
    return drafts.load(ctx, BookingDraft) or BookingDraft()


def _save(ctx: Context, draft: BookingDraft | None) -> None:
    drafts.save(ctx, draft)


def _steps(service: Service, draft: BookingDraft) -> list[str]:
    """The questions of this service's booking in order; the read-back is the step after them.

    Choosing the service is not counted: it decides the steps, so the count starts after it
    and stays the same to the read-back."""
    steps: list[str] = []
    if service.has_slots:
        steps += ["when"] if service.destinations else ["when", "hours"]
    if draft.ask_region:
        steps.append("region")
    if service.destinations:
        steps += ["destination", "kind"]
    if service.comes_to_person:
        steps.append("address")
    return steps


def _step_label(ctx: Context, service: Service, draft: BookingDraft, step: str) -> str:
    steps = _steps(service, draft)
    number = steps.index(step) + 1 if step in steps else len(steps)
    return ctx.t("booking.step", number=number, total=len(steps) + 1)


async def start(ctx: Context, *, service: str | None = None) -> Reply:
    """From "book …": take what the message already says, then ask for the rest."""
    known = service in {s.id for s in ctx.services.bookings.services()}
    draft, _when = _absorb_when(ctx, BookingDraft(service=service if known else None))
    return await _next(ctx, draft)


async def resume(ctx: Context) -> Reply | None:
    """The question a booking in progress was waiting for (after a change of language, say)."""
    draft = drafts.load(ctx, BookingDraft)
    return await _next(ctx, draft) if draft is not None and draft.service else None


def _absorb_when(ctx: Context, draft: BookingDraft) -> tuple[BookingDraft, When]:
    """The draft with the day, time and hours this turn names, and what was read."""
    when = parse_when(ctx.turn.text, ctx.language, ctx.services.clock.now())
    if when.problem:
        return draft, when
    if when.day is not None:
        draft = replace(draft, day=when.day)
    if (when.time is not None or when.part_of_day) and draft.day is not None:
        starts = replace(when, day=draft.day).starts_at()
        if starts is not None:
            draft = replace(draft, starts_at=starts)
    if when.duration_hours:
        draft = replace(draft, hours=when.duration_hours)
    return draft, when


async def _next(ctx: Context, draft: BookingDraft) -> Reply:
    """Ask for the first missing piece, or read the whole booking back."""
    bookings = ctx.services.bookings
    draft = await place.note_region_question(ctx, draft)
    if draft.service is None:
        _save(ctx, draft)
        ctx.go("booking.service")
        options = [(f"booking.service.{s.id}.name", f"service:{s.id}") for s in bookings.services()]
        return ctx.reply(ctx.t("booking.ask_service"), buttons=ctx.numbered(options))
    service = bookings.catalog.get(draft.service)
    verdict = bookings.eligibility(ctx.person, service.id)
    if not verdict.eligible:
        _save(ctx, None)
        ctx.go(None)
        parts = [ctx.t(key) for key in (verdict.reason, verdict.instead, verdict.ask) if key]
        return ctx.reply(*parts, buttons=menu_buttons(ctx))
    if service.has_slots and draft.starts_at is None:
        _save(ctx, draft)
        ctx.go("booking.when")
        question = ctx.t("booking.ask_time" if draft.day is not None else "booking.ask_when")
        return ctx.reply(f"{_step_label(ctx, service, draft, 'when')} {question}")
    if service.has_slots and not service.destinations and draft.hours is None:
        _save(ctx, draft)
        ctx.go("booking.hours")
        extra = ""
        if service.yearly_quota_hours:
            left = await bookings.remaining_hours(ctx.person, session=ctx.session)
            extra = " " + ctx.t("booking.hours_left", hours=left)
        question = ctx.t("booking.ask_hours", low=service.min_hours, high=service.max_hours)
        return ctx.reply(f"{_step_label(ctx, service, draft, 'hours')} {question}{extra}")
    if draft.ask_region and not draft.region:
        _save(ctx, draft)
        return _ask_region(ctx, service, draft)
    if service.destinations and draft.destination is None:
        _save(ctx, draft)
        ctx.go("booking.destination")
        return ctx.reply(
            f"{_step_label(ctx, service, draft, 'destination')} {ctx.t('booking.ask_destination')}"
        )
    if service.destinations and draft.kind is None:
        _save(ctx, draft)
        ctx.go("booking.kind")
        options = [(f"booking.destination.{d}", f"kind:{d}") for d in service.destinations]
        return ctx.reply(
            f"{_step_label(ctx, service, draft, 'kind')} {ctx.t('booking.ask_kind')}",
            buttons=ctx.numbered(options),
        )
    if service.comes_to_person and draft.address is None:
        label = _step_label(ctx, service, draft, "address")
        draft, asked = await place.address_question(ctx, draft, label)
        _save(ctx, draft)
        return asked
    return await _read_back(ctx, service, draft)


def _ask_region(ctx: Context, service: Service, draft: BookingDraft, *before: str) -> Reply:
    """Where the person lives, asked as the warning sign-up asks it; the region of a shared
    place is asked about first (`region_choice.confirm_shared`)."""
    label = _step_label(ctx, service, draft, "region")
    if draft.region_guess is not None:
        ctx.go("booking.region_confirm")
        return region_choice.confirm_shared(ctx, draft.region_guess, label=label)
    ctx.go("booking.region")
    return ctx.reply(*before, f"{label} {ctx.t('alerts.region.ask')}")


async def _read_back(ctx: Context, service: Service, draft: BookingDraft) -> Reply:
    _save(ctx, draft)
    ctx.go("booking.confirm")
    lines = [service_name(ctx, service.id)]
    region = await place.booking_region(ctx, draft)
    where = place.where_line(ctx, region, draft.address)
    if where is not None:
        lines.append(where)
    if draft.starts_at is not None:
        lines.append(ctx.t("booking.line_when", when=when_text(draft.starts_at)))
    if draft.hours and not service.destinations:
        lines.append(ctx.t("booking.line_hours", hours=draft.hours))
    if draft.destination:
        lines.append(ctx.t("booking.line_destination", place=draft.destination))
    if draft.kind:
        lines.append(ctx.t(f"booking.destination.{draft.kind}"))
    total = len(_steps(service, draft)) + 1
    return ctx.reply(
        f"{ctx.t('booking.step', number=total, total=total)} {ctx.t('booking.read_back')}",
        "\n".join(lines),
        ctx.t("booking.ask_confirm"),
        buttons=ctx.numbered(CONFIRM),
    )


async def on_service(ctx: Context, choice: str | None) -> Reply | None:
    draft = _draft(ctx)
    chosen = choice.removeprefix("service:") if choice and choice.startswith("service:") else None
    chosen = chosen or ctx.services.nlu.parse(ctx.turn.text, ctx.language).entity("service")
    if chosen not in {s.id for s in ctx.services.bookings.services()}:
        return None
    return await _next(ctx, replace(draft, service=chosen))


async def on_when(ctx: Context, choice: str | None) -> Reply | None:
    draft = _draft(ctx)
    if choice and choice.startswith("slot:"):  # one of the free times offered
        try:
            starts_at = datetime.fromisoformat(choice.removeprefix("slot:"))
        except ValueError:
            return None
        return await _next(ctx, replace(draft, starts_at=starts_at))
    draft, when = _absorb_when(ctx, draft)
    if when.problem:
        return ctx.reply(ctx.t(f"booking.when_{when.problem}"), ctx.t("booking.ask_when"))
    if draft.starts_at is None:
        if draft.day is not None:
            return ctx.reply(ctx.t("booking.ask_time"))
        return None
    return await _next(ctx, draft)


async def on_hours(ctx: Context, _choice: str | None) -> Reply | None:
    draft = _draft(ctx)
    when = parse_when(ctx.turn.text, ctx.language, ctx.services.clock.now())
    hours = when.duration_hours or ctx.services.vocabulary.number(ctx.turn.text)
    if hours is None:
        return None
    return await _next(ctx, replace(draft, hours=hours))


async def on_destination(ctx: Context, _choice: str | None) -> Reply | None:
    """An address typed or spoken, or a place shared from the phone."""
    draft = _draft(ctx)
    place = ctx.turn.location
    if place is not None:
        latitude, longitude = place
        shared = ctx.t("booking.shared_place")
        return await _next(
            ctx, replace(draft, latitude=latitude, longitude=longitude, destination=shared)
        )
    text = ctx.turn.text.strip()
    if not text:
        return None
    return await _next(ctx, replace(draft, destination=text[:200]))


async def on_region(ctx: Context, _choice: str | None) -> Reply | None:
    """A region or city by name, or a shared place (its region asked about next: the place
    is approximate; one outside Kazakhstan gets the question again)."""
    draft = _draft(ctx)
    if draft.service is None:
        return None
    shared = region_choice.shared_place(ctx)
    if shared is not None:
        guessed = replace(draft, region_guess=shared.region)
        if shared.region is None:
            _save(ctx, guessed)
            service = ctx.services.bookings.catalog.get(draft.service)
            return _ask_region(ctx, service, guessed, ctx.t(region_choice.OUTSIDE))
        return await _next(ctx, guessed)
    if not ctx.turn.text.strip():
        return None
    named = regions.named_in(ctx.turn.text)
    if named is None:
        return ctx.reply(ctx.t("alerts.region.unknown"))
    return await _next(ctx, place.keep_region(ctx, draft, named.code))


async def on_region_confirm(ctx: Context, choice: str | None) -> Reply | None:
    draft = _draft(ctx)
    answer = choice.removeprefix("answer:") if choice and choice.startswith("answer:") else None
    answer = answer or ctx.services.vocabulary.meaning("answers", ctx.turn.text)
    guess = draft.region_guess
    if answer == "yes" and guess:
        return await _next(ctx, place.keep_region(ctx, draft, guess))
    if answer == "no":
        _save(ctx, replace(draft, region_guess=None))
        ctx.go("booking.region")
        return ctx.reply(ctx.t("alerts.region.retype"))
    if ctx.turn.text.strip() and regions.named_in(ctx.turn.text) is not None:
        return await on_region(ctx, choice)  # typed the right name instead of "no"
    return None


async def on_address(ctx: Context, _choice: str | None) -> Reply | None:
    """Where the service should come: an address typed or spoken, or a shared place."""
    draft = _draft(ctx)
    if draft.service is None:
        return None
    answered = place.with_address(ctx, draft)
    if isinstance(answered, str):
        _save(ctx, draft)
        return ctx.reply(ctx.t(answered, most=place.MAX_ADDRESS), ctx.t("booking.ask_address"))
    return await _next(ctx, answered)


async def on_address_same(ctx: Context, choice: str | None) -> Reply | None:
    """ "Same address as last time?": yes, another one, or another address given straight away."""
    draft = _draft(ctx)
    if draft.service is None:
        return None
    answer = choice.removeprefix("answer:") if choice and choice.startswith("answer:") else None
    answer = answer or ctx.services.vocabulary.meaning("answers", ctx.turn.text)
    last = await place.last_address(ctx) if answer == "yes" else None
    if last is not None:
        return await _next(ctx, replace(draft, address=last))
    if choice == place.ANOTHER or answer in {"another", "no", "yes"}:  # ask for the address
        return await _next(ctx, replace(draft, offer_last_address=False))
    if ctx.turn.location is not None or any(c.isdigit() for c in ctx.turn.text):
        return await on_address(ctx, choice)
    return None


async def on_kind(ctx: Context, choice: str | None) -> Reply | None:
    draft = _draft(ctx)
    if not choice or not choice.startswith("kind:"):
        return None
    return await _next(ctx, replace(draft, kind=choice.removeprefix("kind:")))


async def on_confirm(ctx: Context, choice: str | None) -> Reply | None:
    answer = choice.removeprefix("answer:") if choice and choice.startswith("answer:") else None
    answer = answer or ctx.services.vocabulary.meaning("answers", ctx.turn.text)
    if answer == "no":
        _save(ctx, None)
        ctx.go(None)
        return ctx.reply(ctx.t("booking.not_booked"), buttons=menu_buttons(ctx))
    if answer != "yes":
        return None
    draft = _draft(ctx)
    if draft.service is None:
        ctx.go(None)
        return ctx.reply(ctx.t("booking.expired"), buttons=menu_buttons(ctx))
    bookings = ctx.services.bookings
    try:
        event = await bookings.request(
            ctx.person,
            draft.service,
            draft.starts_at,
            int(draft.hours or 1),
            address=draft.destination or draft.address,
            destination_kind=draft.kind,
            latitude=draft.latitude,
            longitude=draft.longitude,
            region=await place.booking_region(ctx, draft),
            session=ctx.session,
        )
    except BookingError as error:
        return await booking_refused.refused(ctx, error, draft)
    _save(ctx, None)
    ctx.go(None)
    when = event.booking.starts_at
    return ctx.reply(
        ctx.t(
            "booking.done",
            service=service_name(ctx, draft.service),
            when=when_text(when) if when else "",
        ).replace("  ", " "),
        ctx.t("booking.coordinator_next"),
        buttons=menu_buttons(ctx),
    )


FEATURE = Feature(
    name="booking",
    commands={"book": start},
    steps={
        "booking.service": on_service,
        "booking.when": on_when,
        "booking.hours": on_hours,
        "booking.destination": on_destination,
        "booking.region": on_region,
        "booking.region_confirm": on_region_confirm,
        "booking.address": on_address,
        "booking.address_same": on_address_same,
        "booking.kind": on_kind,
        "booking.confirm": on_confirm,
    },
    places={  # where to go, where to come, where they live
        "booking.destination": on_destination,
        "booking.region": on_region,
        "booking.region_confirm": on_region,  # another place instead of a yes or no
        "booking.address": on_address,
        "booking.address_same": on_address_same,
    },
    language_neutral=PLACE_NAME_STEPS,
    confirmations=frozenset({"booking.confirm", "booking.region_confirm"}),
    restart=start,
)
