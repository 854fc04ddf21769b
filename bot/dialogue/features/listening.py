"""Voice messages: what was heard is shown ("You asked: …"), then answered like typed text.

When nothing usable was heard, or the words made no sense to the assistant, the person is told
what was heard and offered a choice: say it again, or type it. While no Kazakh speech model is
installed, a Kazakh voice message is told so in Kazakh; a Kazakh speaker may choose to be heard
in Russian instead (a stored choice: `speech_language`, shown and changed in the menu).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot.dialogue.context import Context
from bot.dialogue.feature import Feature
from bot.dialogue.features.speech_language import menu_number, remember, speech_language
from bot.dialogue.turns import Button, Reply, TurnKind
from core.profile import Language
from voice.audio import MAX_BYTES
from voice.errors import NoSpeechModel, VoiceError

AGAIN = "cmd:voice_again"
TYPE = "cmd:voice_type"
RUSSIAN = "cmd:voice_russian"
_NOT_UNDERSTOOD = "fallback.not_understood"


async def answer(
    ctx: Context,
    answer_text: Callable[[Context], Awaitable[Reply]],
    confirmations: frozenset[str],
) -> Reply:
    """A voice message's reply: what was heard, then the answer, or a way on when unclear.

    `confirmations` are the features' yes-or-no steps (the engine's assembled routes)."""
    heard = await hear(ctx, confirmations)
    if isinstance(heard, VoiceError):
        return _problem(ctx, heard)
    ctx.heard = True  # the text is the transcript: the dispatcher's thread says so
    reply = await answer_text(ctx)
    if reply.parts and reply.parts[0] == ctx.t(_NOT_UNDERSTOOD):
        words = heard.rstrip(".!?… ")
        return ctx.reply(ctx.t("voice.heard_unclear", text=words), buttons=_choices(ctx))
    return replace(reply, parts=(ctx.t("voice.you_asked", text=heard), *reply.parts))


async def hear(ctx: Context, confirmations: frozenset[str]) -> str | VoiceError:
    """The words of the voice message, or the problem to tell the person about."""
    turn = ctx.turn
    if turn.audio_size is not None and turn.audio_size > MAX_BYTES:
        return VoiceError("voice.error.too_big")
    if not turn.audio:
        return VoiceError("voice.error.empty")
    voice = ctx.services.voice
    language = speech_language(ctx)  # the person's choice in the menu, else their language
    try:
        wanted = phrases(ctx, confirmations, language)
        heard = await voice.hear(turn.audio, language, phrases=wanted)
    except VoiceError as error:
        return error
    ctx.turn = replace(turn, kind=TurnKind.TEXT, text=heard.text, audio=None)
    return heard.text


def _problem(ctx: Context, error: VoiceError) -> Reply:
    """Why nothing was understood, with the ways on."""
    if isinstance(error, NoSpeechModel) and error.language is Language.KK:
        buttons = ctx.numbered([("voice.button.type", TYPE), ("voice.button.russian", RUSSIAN)])
        return ctx.reply(ctx.t("voice.no_kazakh_model"), buttons=buttons, remember=False)
    if isinstance(error, NoSpeechModel):
        text = ctx.t(error.key, name=ctx.t(f"language.name.{error.language.value}"))
        return ctx.reply(text, remember=False)
    text = ctx.t(error.key, **error.params)
    if error.key in {"voice.heard_nothing", "voice.not_caught"}:
        return ctx.reply(text, buttons=_choices(ctx), remember=False)
    return ctx.reply(text, remember=False)


def _choices(ctx: Context) -> tuple[Button, ...]:
    return ctx.numbered([("voice.button.again", AGAIN), ("voice.button.type", TYPE)])


async def say_again(ctx: Context) -> Reply:
    """The person will speak again: the last question again, with its choices."""
    return _with_last_question(ctx, ctx.t("voice.again"))


async def type_it(ctx: Context) -> Reply:
    return _with_last_question(ctx, ctx.t("voice.type"))


def _with_last_question(ctx: Context, text: str) -> Reply:
    """The text, then the last question asked (so its numbered choices work again)."""
    stored = ctx.conversation.last_reply
    if not stored:
        return ctx.reply(text, remember=False)
    question = Reply.from_json(stored)
    return Reply(
        language=ctx.language,
        parts=(text, *question.parts),
        buttons=question.buttons,
        remember=False,
    )


async def listen_in_russian(ctx: Context) -> Reply:
    """From now on, this person's voice messages are heard in Russian (their choice, kept in
    their profile and shown in the menu, where they can change it back)."""
    remember(ctx, Language.RU)
    where = ctx.t("listening.where", number=menu_number())
    return ctx.reply(f"{ctx.t('voice.russian_on')} {where}", remember=False)


def phrases(
    ctx: Context, confirmations: frozenset[str], language: Language | None = None
) -> list[str] | None:
    """What to listen for at a question: yes, no, "repeat" and numbers at a yes-or-no question
    (one of `confirmations`); the numbers on screen at a numbered choice; nothing special
    elsewhere."""
    vocabulary = ctx.services.vocabulary
    language = language or ctx.language
    if ctx.step in confirmations:
        wanted = {"yes", "no", "repeat", "stop"}
        return sorted(
            phrase
            for table in ("answers", "commands", "numbers")
            for phrase, (meaning, phrase_language) in vocabulary.tables[table].items()
            if phrase_language is language and (table == "numbers" or meaning in wanted)
        )
    choices = len(ctx.conversation.menu or ())
    if ctx.step is None or choices < 2:
        return None
    return sorted(
        phrase
        for phrase, (meaning, phrase_language) in vocabulary.tables["numbers"].items()
        if phrase_language is language and int(meaning) <= choices
    )


FEATURE = Feature(
    name="listening",
    commands={
        AGAIN.removeprefix("cmd:"): say_again,
        TYPE.removeprefix("cmd:"): type_it,
        RUSSIAN.removeprefix("cmd:"): listen_in_russian,
    },
)
