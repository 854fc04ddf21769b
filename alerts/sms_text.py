"""How long an SMS is in parts, and how an alert text is cut to fit.

A text whose every character is in the GSM 7-bit basic alphabet goes as GSM-7 (English,
often): 160 characters in one part, 153 a part when concatenated. Anything else goes as
UCS-2 (Kazakh and Russian need it): 70 in one part, 67 a part; a character outside the Basic
Multilingual Plane takes two UCS-2 units, never split between parts. Those part sizes are
with the 8-bit concatenation reference; the 16-bit one takes one more header byte, so 152
and 66 (`KOMEK_SMPP_REFERENCE_BITS`). The SMPP channel cuts parts with `segments`, and the
part count shown in a preview is `parts`, its length: the count that goes out.
"""

from __future__ import annotations

from aiosmpplib.codec import GSM7BitCodec

SINGLE_PART = 70
MULTI_PART = 67
GSM_SINGLE_PART = 160
GSM_MULTI_PART = 153
MAX_PARTS = 3
REFERENCE_BITS = 8
"""The concatenation reference's size unless a bind says otherwise (8 or 16)."""
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


def multi_part(gsm: bool, reference_bits: int = REFERENCE_BITS) -> int:
    """Characters (GSM-7) or UCS-2 units a part of a long SMS holds: the 16-bit reference
    takes one more header byte, so one character less (and one septet less in GSM-7)."""
    if reference_bits not in (8, 16):
        raise ValueError(f"a concatenation reference has 8 or 16 bits, not {reference_bits}")
    wide = reference_bits == 16
    return (GSM_MULTI_PART if gsm else MULTI_PART) - wide


def segments(text: str, reference_bits: int = REFERENCE_BITS) -> list[str]:
    """The text as its SMS parts carry it: whole when it fits one part, else cut into parts
    of `multi_part` size (UCS-2: a surrogate pair stays in one part)."""
    gsm = is_gsm(text)
    if (len(text) <= GSM_SINGLE_PART) if gsm else (units(text) <= SINGLE_PART):
        return [text]
    if gsm:
        size = multi_part(True, reference_bits)
        return [text[start : start + size] for start in range(0, len(text), size)]
    size = multi_part(False, reference_bits)
    cut: list[str] = []
    start = used = 0
    for index, char in enumerate(text):
        width = 2 if ord(char) > 0xFFFF else 1
        if used + width > size:
            cut.append(text[start:index])
            start, used = index, 0
        used += width
    cut.append(text[start:])
    return cut


def parts(text: str, reference_bits: int = REFERENCE_BITS) -> int:
    """How many SMS parts the text takes (GSM-7 when it fits the alphabet, else UCS-2)."""
    return len(segments(text, reference_bits))


def capacity(max_parts: int = MAX_PARTS, reference_bits: int = REFERENCE_BITS) -> int:
    """UCS-2 units that fit in `max_parts` parts."""
    return SINGLE_PART if max_parts == 1 else multi_part(False, reference_bits) * max_parts


def fit(text: str, max_parts: int = MAX_PARTS, reference_bits: int = REFERENCE_BITS) -> str:
    """The text unchanged when it fits; else cut at the last word that fits, with "…".

    Callers put the action first, so what is cut is the least important part.
    """
    text = " ".join(text.split())
    if parts(text, reference_bits) <= max_parts:
        return text
    room = capacity(max_parts, reference_bits) - units(ELLIPSIS)
    cut = text
    while True:
        while units(cut) > room:
            cut = cut[: len(cut) - max(1, (units(cut) - room) // 2)]
        if " " in cut and not text[len(cut) : len(cut) + 1].isspace():
            cut = cut.rsplit(" ", 1)[0]
        shortened = cut.rstrip(" ,;:-—") + ELLIPSIS
        if parts(shortened, reference_bits) <= max_parts:
            return shortened
        room -= 1  # a surrogate pair would have crossed a part boundary
