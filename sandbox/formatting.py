"""Telegram's HTML parse mode: turn marked-up text into plain text and message entities."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_OTHER_TAGS = {"a", "span", "tg-emoji"}


class EntityParseError(ValueError):
    """Raised when text does not parse in the requested parse mode."""


def utf16_len(text: str) -> int:
    """Return the length of text in UTF-16 code units, as Telegram counts entity offsets."""
    return len(text.encode("utf-16-le")) // 2


class _TelegramHtml(HTMLParser):
    """Collect plain text and entities from Telegram-flavoured HTML."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self._source = source
        self._line_starts = [0]
        for index, char in enumerate(source):
            if char == "\n":
                self._line_starts.append(index + 1)
        self.parts: list[str] = []
        self.length = 0
        self.entities: list[dict[str, Any]] = []
        self._open: list[tuple[str, dict[str, Any] | None]] = []

    def _byte_offset(self) -> int:
        line, column = self.getpos()
        return len(self._source[: self._line_starts[line - 1] + column].encode())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an entity for a supported tag."""
        values = {name: value or "" for name, value in attrs}
        entity: dict[str, Any] | None = None
        if tag in _SIMPLE_TAGS:
            entity = {"type": _SIMPLE_TAGS[tag]}
            if tag == "blockquote" and "expandable" in values:
                entity["type"] = "expandable_blockquote"
        elif tag == "a":
            entity = {"type": "text_link", "url": values.get("href", "")}
        elif tag == "span" and values.get("class") == "tg-spoiler":
            entity = {"type": "spoiler"}
        elif tag == "tg-emoji":
            entity = {"type": "custom_emoji", "custom_emoji_id": values.get("emoji-id", "")}
        elif tag not in _OTHER_TAGS or tag == "span":
            raise EntityParseError(
                f'Unsupported start tag "{tag}" at byte offset {self._byte_offset()}'
            )
        if tag == "code" and self._open and self._open[-1][0] == "pre":
            pre = self._open[-1][1]
            language = values.get("class", "")
            if pre is not None and language.startswith("language-"):
                pre["language"] = language.removeprefix("language-")
            entity = None
        if entity is not None:
            entity["offset"] = self.length
        self._open.append((tag, entity))

    def handle_endtag(self, tag: str) -> None:
        """Close the innermost open tag, which must match."""
        if not self._open or self._open[-1][0] != tag:
            expected = f'"</{self._open[-1][0]}>"' if self._open else "nothing"
            raise EntityParseError(
                f"Unmatched end tag at byte offset {self._byte_offset()}, "
                f'expected {expected}, found "</{tag}>"'
            )
        _, entity = self._open.pop()
        if entity is not None and self.length > entity["offset"]:
            entity["length"] = self.length - entity["offset"]
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        """Append plain text."""
        self.parts.append(data)
        self.length += utf16_len(data)


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Return the plain text and entities of Telegram HTML, or raise EntityParseError."""
    parser = _TelegramHtml(source)
    parser.feed(source)
    parser.close()
    if parser._open:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{parser._open[-1][0]}"'
        )
    entities = sorted(parser.entities, key=lambda item: (item["offset"], -item["length"]))
    return "".join(parser.parts), entities


def apply_parse_mode(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None
) -> tuple[str, list[dict[str, Any]]]:
    """Return text and entities as Telegram stores them for the given parse mode."""
    if entities:
        return text, entities
    if parse_mode is not None and parse_mode.lower() == "html":
        return parse_html(text)
    return text, []
