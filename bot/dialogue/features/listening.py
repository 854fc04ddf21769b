"""Voice messages: what was heard is shown ("You asked: …"), then answered like typed text."""

from __future__ import annotations

from dataclasses import replace

from bot.dialogue.context import Context
from bot.dialogue.features.alerts_subscription import YES_NO_STEPS
from bot.dialogue.turns import TurnKind
from voice.audio import MAX_BYTES
from voice.errors import NoSpeechModel, VoiceError

CONFIRMATION_STEPS = frozenset(
    {"confirm.forget", "booking.confirm", "booking.cancel_confirm", *YES_NO_STEPS}
)


async def hear(ctx: Context) -> str | VoiceError:
    """The words of the voice message, or the problem to tell the person about."""
    turn = ctx.turn
    if turn.audio_size is not None and turn.audio_size > MAX_BYTES:
        return VoiceError("voice.error.too_big")
    if not turn.audio:
        return VoiceError("voice.error.empty")
    try:
        heard = await ctx.services.voice.hear(turn.audio, ctx.language, phrases=phrases(ctx))
    except VoiceError as error:
        return error
    ctx.turn = replace(turn, kind=TurnKind.TEXT, text=heard.text, audio=None)
    return heard.text


def problem_text(ctx: Context, error: VoiceError) -> str:
    if isinstance(error, NoSpeechModel):
        return ctx.t(error.key, name=ctx.t(f"language.name.{error.language.value}"))
    return ctx.t(error.key, **error.params)


def phrases(ctx: Context) -> list[str] | None:
    """At a yes-or-no question, listen for yes, no, numbers and "repeat" in its language."""
    if ctx.step not in CONFIRMATION_STEPS:
        return None
    vocabulary = ctx.services.vocabulary
    language = ctx.language
    wanted = {"yes", "no", "repeat", "stop"}
    return sorted(
        phrase
        for table in ("answers", "commands", "numbers")
        for phrase, (meaning, phrase_language) in vocabulary.tables[table].items()
        if phrase_language is language and (table == "numbers" or meaning in wanted)
    )
