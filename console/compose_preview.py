"""What a draft or a stored alert will send, as the compose and review pages show it."""

from __future__ import annotations

from dataclasses import dataclass

from alerts.cap.model import CapAlert
from alerts.compose import Composed
from alerts.fanout.texts import AlertTexts, Speak
from alerts.reach import Reach, earlier_ids, reach
from alerts.review import Outgoing, StoredAlert, outgoing
from console.context import ConsoleContext
from core.localtime import LOCAL_ZONE
from core.profile import Language
from voice.service import Voice

_TEXTS = "compose.alert_texts"


@dataclass(frozen=True)
class PreviewView:
    """What a dispatcher sees before sending: each message and whom it reaches."""

    cap: CapAlert
    outgoing: tuple[Outgoing, ...]
    reach: Reach
    voice_url: str | None = None
    """Where a stored alert's voice notes are: `{voice_url}/{lang}.ogg`; None for a draft."""

    @property
    def sms_parts(self) -> str:
        """SMS parts per language ("kk 1, ru 2, en 1"), for the line screen readers hear when
        the preview changes (console.preview.summary)."""
        return ", ".join(f"{o.language.value} {o.sms_parts}" for o in self.outgoing)


async def draft_preview(ctx: ConsoleContext, composed: Composed) -> PreviewView:
    cap = composed.alert
    async with ctx.sessions() as session:
        earlier = await earlier_ids(session, cap.references)
        counted = await reach(session, cap, composed.audience, earlier)
    return PreviewView(cap, _outgoing(ctx, cap), counted)


async def stored_preview(ctx: ConsoleContext, alert: StoredAlert) -> PreviewView:
    async with ctx.sessions() as session:
        counted = await reach(session, alert.cap, alert.audience, alert.references)
    return PreviewView(
        alert.cap,
        _outgoing(ctx, alert.cap),
        counted,
        voice_url=f"/alerts/{alert.id}/voice",
    )


def _outgoing(ctx: ConsoleContext, cap: CapAlert) -> tuple[Outgoing, ...]:
    """The texts as sent, SMS cut as the bind cuts them (its concatenation reference)."""
    bits = ctx.settings.smpp_reference_bits
    return outgoing(cap, ctx.catalogs, tz=LOCAL_ZONE, reference_bits=bits)


def _speaker(voice: Voice) -> Speak:
    async def speak(text: str, language: Language) -> tuple[bytes, int]:
        note = await voice.say(text, language)
        return note.ogg, max(1, round(note.seconds))

    return speak


def alert_texts(ctx: ConsoleContext) -> AlertTexts:
    """The process's texts and voice notes of stored alerts (shared with the fan-out's table)."""
    found = ctx.extras.get(_TEXTS)
    if not isinstance(found, AlertTexts):
        speak = _speaker(ctx.voice) if ctx.voice is not None else None
        found = AlertTexts(
            ctx.sessions,
            ctx.catalogs,
            tz=LOCAL_ZONE,
            speak=speak,
            reference_bits=ctx.settings.smpp_reference_bits,
        )
        ctx.extras[_TEXTS] = found
    return found
