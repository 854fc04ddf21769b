"""Turn an answer's text into what a voice should say: words, not symbols, links or emoji."""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Final

from core.profile import Language
from voice.synthesis.abbreviations import expand_abbreviations
from voice.synthesis.numbers_in_text import ABBREVIATION_DOT, say_numbers

_HTML_TAG: Final = re.compile(r"</?[a-zA-Z][^>]*>")
_MARKDOWN_LINK: Final = re.compile(r"\[([^\]]+)\]\([^)\s]+\)")
_MARKDOWN_MARKS: Final = re.compile(r"\*\*|__|`+|(?<!\w)[*_~](?=\S)|(?<=\S)[*_~](?!\w)")
_HEADING: Final = re.compile(r"^\s*(?:#{1,6}|>+)\s*", re.MULTILINE)
_BULLET: Final = re.compile(r"^\s*[-*•·–—▪►]\s+", re.MULTILINE)

_PARAGRAPH_REFERENCE: Final = re.compile(r"¶\s*\d+(?:\s*[-–]\s*\d+)?")
"""A source paragraph such as "¶303": for the eye, not the ear."""
_EMAIL: Final = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL: Final = re.compile(
    r"(?:https?|ftp)://[^\s<>\"]+?(?=[.,;:!?)\]»\"']*(?:\s|$))|www\.[^\s<>\"]+?(?=[.,;:!?)\]»\"']*(?:\s|$))",
    re.IGNORECASE,
)
_DOMAIN: Final = re.compile(
    r"(?<![@\w.])(?:[a-z0-9-]+\.)+(?:kz|ru|com|org|net|gov|edu|info|io|me|app|int|uz|kg)"
    r"(?:/[^\s]*?)?(?=[.,;:!?)\]»\"']*(?:\s|$))",
    re.IGNORECASE,
)

_EMOJI: Final = re.compile(
    "["
    "\U0001f000-\U0001faff"  # pictographs, emoticons, transport, flags, skin tones
    "\u2600-\u27bf"  # miscellaneous symbols and dingbats
    "\u2b00-\u2bff"  # arrows and stars
    "\u2300-\u23ff"  # technical symbols: ⌚ ⏰
    "\u2190-\u21ff"  # arrows
    "\u25a0-\u25ff"  # geometric shapes
    "\ufe00-\ufe0f"  # variation selectors
    "\u200d\u20e3"  # zero-width joiner, keycap
    "\U000e0020-\U000e007f"  # tag characters of subdivision flags
    "\u2934\u2935\u3030\u303d\u3297\u3299\u00a9\u00ae\u2122\u2139\u24c2"
    "¶"
    "]+"
)

_SYMBOLS: Final = {
    Language.KK: {"№": " нөмір ", "&": " және ", "₸": " теңге ", "%": " пайыз "},
    Language.RU: {"№": " номер ", "&": " и ", "₸": " тенге ", "%": " процентов "},
    Language.EN: {"№": " number ", "&": " and ", "₸": " tenge ", "%": " percent "},
}
_TENGE_WORD: Final = re.compile(rf"(?<![^\W\d_])тг{ABBREVIATION_DOT}(?![^\W\d_])")
_TENGE: Final = {Language.KK: "теңге", Language.RU: "тенге", Language.EN: "tenge"}

_SENTENCE_END: Final = ".!?…"


def _remove_markup(text: str) -> str:
    """Drop HTML tags, Markdown marks and list bullets, keeping the words."""
    text = html.unescape(_HTML_TAG.sub("", text))
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _HEADING.sub("", text)
    text = _BULLET.sub("", text)
    return _MARKDOWN_MARKS.sub("", text)


def _remove_unspoken(text: str) -> str:
    """Drop e-mail addresses, links, emoji and pilcrows: the text beside the voice has them."""
    text = _PARAGRAPH_REFERENCE.sub("", text)
    text = _EMAIL.sub("", text)
    text = _URL.sub("", text)
    text = _DOMAIN.sub("", text)
    return _EMOJI.sub(" ", text)


def _lines_to_sentences(text: str) -> str:
    """Join lines into one text, ending each line as a sentence so the voice pauses."""
    sentences = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line[-1] not in _SENTENCE_END:
            line += "."
        sentences.append(line)
    return " ".join(sentences)


def _say_symbols(text: str, language: Language) -> str:
    """Say the symbols left after numbers were read: №, &, ₸, %, тг; "/" as a pause."""
    text = _TENGE_WORD.sub(_TENGE[language], text)
    for symbol, word in _SYMBOLS[language].items():
        text = text.replace(symbol, word)
    return re.sub(r"(?<=\S)/(?=\S)", " ", text)


def _tidy(text: str) -> str:
    """Collapse spaces and stray punctuation left by the removals."""
    text = re.sub(r"\(\s*\)|\[\s*\]", "", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([.,!?;:…)])", r"\1", text)
    text = re.sub(r"([(«])\s+", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"[,;:]\s*([.!?])", r"\1", text)
    text = re.sub(r"([.!?])(?:\s*\.)+", r"\1", text)
    return text.strip(" ,;:-—–").strip()


def normalise_for_speech(text: str, language: Language) -> str:
    """Text as it should be spoken: numbers, dates and abbreviations in words; no links or emoji."""
    text = unicodedata.normalize("NFC", text)
    text = _remove_markup(text)
    text = _remove_unspoken(text)
    text = _lines_to_sentences(text)
    text = expand_abbreviations(text, language)
    text = say_numbers(text, language)
    text = _say_symbols(text, language)
    return _tidy(text)
