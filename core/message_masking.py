"""A person's message with personal data masked, before it is kept for staff to read.

Built on the log scrubber (`core.log_privacy.scrub_text`: phone numbers, coordinates, URL
query strings, tokens), with what a message typed to the bot also holds: e-mail addresses,
Telegram user names, long runs of digits (an IIN, a card, a document number) and names, where
a person introduces themselves ("my name is …", "меня зовут …", "менің атым …") or writes a
patronymic (Петрович, Ивановна, Асқарұлы, Нұрланқызы) with the names before it.

Masks are words in square brackets; `MASKS` lists them, so a reader can tell them from text.
"""

from __future__ import annotations

import re

from core.log_privacy import HIDDEN, PHONE, PLACE, scrub_text

EMAIL = "[email]"
NUMBER = "[number]"
NAME = "[name]"
MASKS = (EMAIL, NUMBER, NAME, PHONE, PLACE, HIDDEN, "[token]")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z]\w{3,}")
_DIGIT_RUN = re.compile(r"\d(?:[ \-]?\d){5,}")
"""Six digits or more, perhaps in groups: short numbers (hours, days, groups) stay."""
_WORD = r"[^\W\d_][\w'’-]*"
_CAPITALISED = r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w'’-]*"
_INTRODUCTION = re.compile(
    r"\b(my name is|my name's|i am called|i'm called|меня зовут|мо[её] имя|"
    r"менің атым|менің есімім|атым|есімім|аты-жөнім)\s+"
    rf"({_WORD})(\s+{_CAPITALISED})?",
    re.IGNORECASE,
)
_PATRONYMIC = re.compile(
    rf"(?:\b{_CAPITALISED}\s+){{0,2}}"
    r"(?:\b[А-ЯЁӘҒҚҢӨҰҮҺІа-яёәғқңөұүһі][а-яёәғқңөұүһі]+(?:ович|евич|овна|евна|ұлы|улы|қызы|кызы)"
    r"|\b[А-ЯЁ][а-яё]+(?:ьич|ична))\b",
)
"""A patronymic, with up to two capitalised words (a surname, a first name) before it."""
_SPACE_BEFORE_MARK = re.compile(r"\s+([,.;:!?])")


def mask(text: str) -> str:
    """The message with phone numbers, e-mails, user names, long numbers and names masked."""
    text = _EMAIL.sub(EMAIL, text)
    text = _HANDLE.sub(NAME, text)
    text = scrub_text(text)
    text = _DIGIT_RUN.sub(NUMBER, text)
    text = _INTRODUCTION.sub(lambda found: f"{found.group(1)} {NAME}", text)
    return _PATRONYMIC.sub(NAME, text)


def without_masks(text: str) -> str:
    """The text with the masks taken out (for training examples), spaces tidied."""
    for masked in MASKS:
        text = text.replace(masked, " ")
    return _SPACE_BEFORE_MARK.sub(r"\1", " ".join(text.split()))
