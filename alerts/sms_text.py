"""How long an SMS is in parts, and how an alert text is cut to fit.

A text whose every character is in the GSM 7-bit basic alphabet goes as GSM-7 (English,
often): 160 characters in one part, 153 a part when concatenated. Anything else goes as
UCS-2 (Kazakh and Russian need it): 70 in one part, 67 a part; a character outside the Basic
Multilingual Plane takes two UCS-2 units. The SMPP channel encodes by the same rule
(`is_gsm`), so the part count shown in a preview is the count that goes out.
"""

from __future__ import annotations

from aiosmpplib.codec import GSM7BitCodec

SINGLE_PART = 70
MULTI_PART = 67
GSM_SINGLE_PART = 160
GSM_MULTI_PART = 153
MAX_PARTS = 3
ELLIPSIS = "…"
_GSM = GSM7BitCodec.get_codec_info()


def is_gsm(text: str) -> bool:
    """Every character one GSM-7 septet (the basic alphabet, no escaped extension)."""
    if not text.isascii() and not GSM7BitCodec.is_gsm_text(text):
        return False
    try:
        return len(_GSM.encode(text)[0]) == len(text)
    except UnicodeEncodeError:
        return False


def units(text: str) -> int:
    """UTF-16 code units: what UCS-2 SMS lengths count."""
    return len(text.encode("utf-16-be")) // 2


def parts(text: str) -> int:
    """How many SMS parts the text takes (GSM-7 when it fits the alphabet, else UCS-2)."""
    if is_gsm(text):
        size, single, multi = len(text), GSM_SINGLE_PART, GSM_MULTI_PART
    else:
        size, single, multi = units(text), SINGLE_PART, MULTI_PART
    if size <= single:
        return 1
    return -(-size // multi)


def capacity(max_parts: int = MAX_PARTS) -> int:
    """UCS-2 units that fit in `max_parts` parts."""
    return SINGLE_PART if max_parts == 1 else MULTI_PART * max_parts


def fit(text: str, max_parts: int = MAX_PARTS) -> str:
    """The text unchanged when it fits; else cut at the last word that fits, with "…".

    Callers put the action first, so what is cut is the least important part.
    """
    text = " ".join(text.split())
    if is_gsm(text) and len(text) <= (
        GSM_SINGLE_PART if max_parts == 1 else GSM_MULTI_PART * max_parts
    ):
        return text
    limit = capacity(max_parts)
    if units(text) <= limit:
        return text
    room = limit - units(ELLIPSIS)
    cut = text
    while units(cut) > room:
        cut = cut[: len(cut) - max(1, (units(cut) - room) // 2)]
    if " " in cut and not text[len(cut) : len(cut) + 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-—") + ELLIPSIS
