"""One dialogue turn: a person and a message in, a Reply out. Used by every channel."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from weakref import WeakValueDictionary

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dialogue import speech
from bot.dialogue.context import Context, Services
from bot.dialogue.feature import Feature, assemble
from bot.dialogue.features import (
    alert_answers,
    alerts_subscription,
    answers,
    benefit_amount,
    booking,
    booking_manage,
    emergency,
    handover,
    listening,
    menu,
    onboarding,
    preferences,
    privacy,
    region_choice,
    speech_language,
    talk,
    understanding,
)
from bot.dialogue.flood import FloodGuard, Verdict
from bot.dialogue.turns import Reply, Turn, TurnKind
from bot.dialogue.vocabulary import normalise
from core.database import SessionFactory
from core.metrics import BOT_TURN_SECONDS
from core.models import Person
from core.profile import Language, parse_language
from nlu.safety import Safety, assess

log = structlog.get_logger(__name__)

FEATURES: tuple[Feature, ...] = (  # a command or step named twice is refused at import
    onboarding.FEATURE,
    menu.FEATURE,
    preferences.FEATURE,
    handover.FEATURE,
    privacy.FEATURE,
    answers.FEATURE,
    booking.FEATURE,
    booking_manage.FEATURE,
    alerts_subscription.FEATURE,
    alert_answers.FEATURE,
    listening.FEATURE,
    speech_language.FEATURE,
    region_choice.FEATURE,
    benefit_amount.FEATURE,
)
ROUTES = assemble(FEATURES)


class Dialogue:
    """Turns messages into replies; keeps each person's turns in order."""

    def __init__(
        self,
        sessions: SessionFactory,
        services: Services,
        flood: FloodGuard,
        *,
        default_language: Language,
    ) -> None:
        self._sessions = sessions
        self._services = services
        self._flood = flood
        self._default_language = default_language
        self._locks: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()

    @property
    def services(self) -> Services:
        return self._services

    @property
    def sessions(self) -> SessionFactory:
        return self._sessions

    async def handle(self, turn: Turn) -> Reply:
        """Answer one message. An empty Reply means: say nothing (flooding, already warned)."""
        started = time.perf_counter()
        try:
            return await self._handle(turn)
        finally:
            seconds = time.perf_counter() - started
            BOT_TURN_SECONDS.labels(kind=turn.kind.value).observe(seconds)
            log.debug("dialogue.turn", kind=turn.kind.value, ms=round(seconds * 1000, 1))

    async def _handle(self, turn: Turn) -> Reply:
        verdict = Verdict.ALLOW if _never_held_back(turn) else self._flood.check(turn.user_id)
        if verdict is Verdict.DROP:
            return Reply(language=self._default_language)
        lock = self._locks.get(turn.user_id)
        if lock is None:
            lock = self._locks[turn.user_id] = asyncio.Lock()
        async with lock, self._sessions() as session, session.begin():
            ctx = await self._context(session, turn)
            if verdict is Verdict.WARN:
                reply = ctx.reply(ctx.t("flood.slow_down"))
            else:
                reply = await self._answer(ctx)
                if ctx.draft_lost:  # stored answers that no longer read were dropped
                    reply = replace(reply, parts=(ctx.t("draft.lost"), *reply.parts))
                if not ctx.forgotten:
                    self._remember(ctx, reply)
        return await self._spoken(ctx, reply)

    def apology(self, turn: Turn) -> Reply:
        """What to say when something broke on our side, in the best language we know."""
        language = parse_language(turn.client_language) or self._default_language
        text = self._services.catalogs.text(language, "error.internal")
        return Reply(language=language, parts=(text,), remember=False)

    async def answers_by_voice(self, user_id: int) -> bool:
        """Whether this person's answers come as voice notes (for the "recording" indicator)."""
        async with self._sessions() as session:
            person = await self._services.people.find(session, user_id)
            return person is not None and person.answer_mode != "text"

    async def note_blocked(self, user_id: int) -> None:
        """The person blocked the bot: stop treating them as reachable by Telegram."""
        async with self._sessions() as session, session.begin():
            await self._services.people.mark_blocked(session, user_id)

    async def _context(self, session: AsyncSession, turn: Turn) -> Context:
        people = self._services.people
        person = await people.find(session, turn.user_id)
        if person is None:
            language = parse_language(turn.client_language) or self._default_language
            person = await people.create(session, turn.user_id, language)
        elif person.blocked_bot_at is not None:
            person.blocked_bot_at = None
        conversation = await people.conversation(session, person)
        return Context(session, person, conversation, turn, self._services)

    async def _answer(self, ctx: Context) -> Reply:
        if ctx.turn.kind is TurnKind.VOICE:
            return await listening.answer(ctx, self._answer, ROUTES.confirmations)
        if ctx.turn.kind is TurnKind.MEDIA:
            return await menu.unsupported_media(ctx)
        if ctx.turn.kind is TurnKind.LOCATION:
            placed = ROUTES.places.get(ctx.step or "")
            if placed is not None:  # a step that takes a place: where to go, to warn about …
                return await placed(ctx, None) or await menu.not_understood(ctx)
            talking = await talk.relay(ctx, None)
            if talking is not None:
                return talking
            return await emergency.located(ctx) or await menu.location_received(ctx)
        safety = await self._safety_first(ctx)  # before anything else, onboarding included
        if safety is not None:
            talking_about = await talk.current(ctx)
            if talking_about is not None:  # the dispatcher sees these words too
                talk.note(ctx, talking_about)
            return safety
        answered = await alert_answers.on_button(ctx)  # a warning's buttons: onboarding waits
        if answered is not None:
            return answered
        talking = await talk.relay(ctx, self._choice(ctx))  # a dispatcher writes with them
        if talking is not None:
            return talking
        if _needs_onboarding(ctx.person) and ctx.step is None:
            return await onboarding.start(ctx)
        self._follow_language(ctx)
        choice = self._choice(ctx)
        if choice and choice.startswith("cmd:"):
            return await ROUTES.commands[choice.removeprefix("cmd:")](ctx)
        if choice and choice.startswith("topic:"):
            return await understanding.choose_topic(ctx, choice.removeprefix("topic:"))
        asked = ctx.step or ""
        step = ROUTES.steps.get(asked)
        if step is not None:
            reply = await step(ctx, choice)
            restart = ROUTES.restarts.get(asked)
            if ctx.draft_lost and restart is not None:  # ask the flow from its start
                return await restart(ctx)
            if reply is not None:
                return reply
            return _again(ctx, await self._ask_again(ctx))
        if not ctx.turn.text.strip():
            return await menu.not_understood(ctx)
        return await understanding.understand(ctx)

    async def _safety_first(self, ctx: Context) -> Reply | None:
        """The emergency layer and answers to a warning, before steps, drafts and onboarding.

        A call for help or a danger gets the emergency answer. With a warning to answer, a
        clear "I'm safe" is recorded; words that do not say are "unclear" and the person is
        asked. Other messages go on to the rest of the dialogue (None).
        """
        if ctx.turn.kind is not TurnKind.TEXT or not _words(ctx.turn.text):
            return None
        alert_id = await alert_answers.open_alert(ctx)  # looked up once per turn
        in_step = ctx.step == alert_answers.SAFETY_STEP
        answering = alert_id is not None and not ctx.turn.payload and not in_step
        found = assess(ctx.turn.text, answering_warning=answering)
        if found.safety is None:
            return None
        self._speak_as_written(ctx)
        if found.safety is Safety.NEEDS_HELP:
            return await emergency.respond(ctx, found.hazard or "urgent", answering=alert_id)
        if found.safety is Safety.SAFE and (in_step or alert_id):
            return await alert_answers.safe(ctx, via="message")
        if found.safety is Safety.SAFE:
            return None
        return await alert_answers.ask_if_safe(ctx, alert_id=alert_id, via="message")

    def _speak_as_written(self, ctx: Context) -> None:
        """Answer in the language of the message when it is clearly another than the profile's."""
        language = self._services.nlu.language_of(ctx.turn.text, ctx.language)
        if language != ctx.language:
            ctx.speak(language)

    def _follow_language(self, ctx: Context) -> None:
        """A typed answer or command word in another language: the conversation follows it.

        A known phrase ("подробнее", "yes", "екі") tells its language; other words in a step
        are judged by the language model, which keeps the current language when unsure. Digits,
        buttons and /commands say nothing about language.
        """
        turn = ctx.turn
        text = turn.text.strip()
        if turn.kind is not TurnKind.TEXT or turn.payload or not text or text.startswith("/"):
            return
        if ctx.step in ROUTES.language_neutral:  # a language, a city or a street is named
            return
        vocabulary = self._services.vocabulary
        for table in ("commands", "answers", "numbers", "modes", "kinds"):
            if vocabulary.tables[table].get(normalise(text)) is not None:
                known = vocabulary.language_of(table, text)
                if known is not None and known != ctx.language:
                    ctx.speak(known)
                return
        if ctx.step is not None and not _button_named(ctx, text) and any(c.isalpha() for c in text):
            self._speak_as_written(ctx)

    def _choice(self, ctx: Context) -> str | None:
        """What the message chooses: a button, a /command, a menu number, or a command word."""
        turn = ctx.turn
        if turn.payload:
            return turn.payload
        text = turn.text.strip()
        if text.startswith("/"):
            name = text[1:].split()[0].split("@")[0].lower() if len(text) > 1 else ""
            return f"cmd:{name}" if name in ROUTES.commands else None
        vocabulary = self._services.vocabulary
        number = vocabulary.number(text)
        menu_payloads = ctx.conversation.menu
        if number is not None and 1 <= number <= len(menu_payloads):
            return menu_payloads[number - 1]
        command = vocabulary.meaning("commands", text)
        if command:
            return f"cmd:{command}"
        return _button_named(ctx, text)

    async def _ask_again(self, ctx: Context) -> Reply:
        """The question of the current step, asked again after an answer that did not fit."""
        stored = ctx.conversation.last_reply
        return Reply.from_json(stored) if stored else await menu.show_help(ctx)

    async def _spoken(self, ctx: Context, reply: Reply) -> Reply:
        """For people who get answers by voice: the whole reply, its choices read out, as a
        voice note (the text goes beside it)."""
        if ctx.forgotten or ctx.person.answer_mode == "text" or reply.is_empty:
            return reply
        return await self.speak(reply, rate=ctx.person.speech_rate)

    async def speak(self, reply: Reply, *, rate: int = 100) -> Reply:
        """The reply with its voice note; the reply as it was when no voice can be made."""
        text = speech.spoken_text(self._services.catalogs, reply)
        try:
            note = await self._services.voice.say(text, reply.language, rate=rate)
        except Exception:  # a voice that fails must never cost the person the text
            log.exception("voice.synthesis_failed")
            return reply
        return replace(reply, voice=note, spoken=text)

    def _remember(self, ctx: Context, reply: Reply) -> None:
        conversation = ctx.conversation
        conversation.menu = [button.payload for button in reply.buttons]
        if reply.remember and not reply.is_empty:
            conversation.last_reply = reply.to_json()
        conversation.updated_at = self._services.clock.now()


def _button_named(ctx: Context, text: str) -> str | None:
    """The payload of a button on screen whose words were typed (with or without its number)."""
    stored = ctx.conversation.last_reply
    if not stored:
        return None
    typed = normalise(text)
    for label, payload in stored["buttons"]:
        words = normalise(label)
        if typed in {words, words.split(" ", 1)[-1]}:
            return str(payload)
    return None


def _never_held_back(turn: Turn) -> bool:
    """Messages the flood guard lets through whatever the pace: a call for help or danger
    typed, an answer to a warning, a shared place, and voice (heard before it is judged)."""
    if turn.kind in (TurnKind.VOICE, TurnKind.LOCATION):
        return True
    if turn.payload and turn.payload.startswith(alert_answers.PAYLOAD_PREFIX):
        return True
    return (
        turn.kind is TurnKind.TEXT
        and bool(_words(turn.text))
        and assess(turn.text).safety is Safety.NEEDS_HELP
    )


def _words(text: str) -> str:
    """What a person wrote in words: empty for a /command ("/help" asks for the menu)."""
    stripped = text.strip()
    return "" if stripped.startswith("/") else stripped


def _needs_onboarding(person: Person) -> bool:
    return person.onboarded_at is None


def _again(ctx: Context, question: Reply) -> Reply:
    """Say kindly that the answer did not fit, then the same question."""
    if ctx.step in ROUTES.asked_in_every_language:
        sorry = preferences.in_every_language(ctx, "step.not_understood")
    else:
        sorry = ctx.t("step.not_understood")
    return Reply(
        language=question.language,
        parts=(sorry, *question.parts),
        buttons=question.buttons,
        remember=False,
    )
