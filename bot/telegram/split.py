"""Cut long text into messages Telegram accepts, at sentence boundaries where possible."""

from __future__ import annotations

import re

TELEGRAM_TEXT_LIMIT = 4096
_SENTENCE = re.compile(r".+?(?:[.!?…]+[»\"”)]*(?=\s)|\n|$)(\s*)", re.DOTALL)


def split_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Pieces of at most `limit` characters: whole sentences, else whole words, else cut."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    pieces: list[str] = []
    current = ""
    for sentence, gap in _sentences(text):
        for chunk in _fit(sentence, limit):
            if current and len(current) + len(chunk) <= limit:
                current += chunk
            else:
                if current.strip():
                    pieces.append(current.strip())
                current = chunk
        current += gap
    if current.strip():
        pieces.append(current.strip())
    return pieces


def _sentences(text: str) -> list[tuple[str, str]]:
    """(sentence, the whitespace after it); the whitespace keeps paragraph breaks."""
    found = []
    for match in _SENTENCE.finditer(text):
        gap = match.group(1)
        sentence = match.group(0)[: len(match.group(0)) - len(gap)]
        if sentence.strip():
            found.append((sentence.strip(), gap or ""))
    return found


def _fit(sentence: str, limit: int) -> list[str]:
    """A sentence longer than the limit is cut between words, a word longer than it anywhere."""
    if len(sentence) <= limit:
        return [sentence]
    chunks: list[str] = []
    current = ""
    for word in sentence.split():
        while len(word) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(word[:limit])
            word = word[limit:]
        joined = f"{current} {word}" if current else word
        if len(joined) <= limit:
            current = joined
        else:
            chunks.append(current)
            current = word
    if current:
        chunks.append(current)
    return chunks
