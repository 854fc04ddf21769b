"""Pure parts of the sandbox: HTML entities, audio durations, markup checks, the update queue."""

from __future__ import annotations

import pytest

from sandbox.errors import BotApiError
from sandbox.files import FileStore, audio_duration
from sandbox.formatting import EntityParseError, parse_html
from sandbox.markup import normalize_markup
from sandbox.updates import UpdateQueue
from tests.sandbox.media import ogg_opus, wav_silence


def test_nested_html_entities_use_utf16_offsets() -> None:
    text, entities = parse_html('🙂 <b>Bold <i>both</i></b> <a href="https://egov.kz">eGov</a>')
    assert text == "🙂 Bold both eGov"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 9},
        {"type": "italic", "offset": 8, "length": 4},
        {"type": "text_link", "url": "https://egov.kz", "offset": 13, "length": 4},
    ]


def test_pre_code_language_and_escapes() -> None:
    text, entities = parse_html('<pre><code class="language-python">a &lt; b</code></pre>')
    assert text == "a < b"
    assert entities == [{"type": "pre", "offset": 0, "length": 5, "language": "python"}]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("<b>x</i>", 'expected "</b>", found "</i>"'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
    ],
)
def test_bad_html_is_refused(source: str, message: str) -> None:
    with pytest.raises(EntityParseError, match=message):
        parse_html(source)


def test_audio_durations() -> None:
    assert audio_duration(ogg_opus(7)) == 7
    assert audio_duration(wav_silence(3.0)) == 3
    assert audio_duration(b"not audio") == 0


def test_file_store_paths_and_mime_sniffing() -> None:
    store = FileStore()
    voice = store.add(ogg_opus(2), "voice")
    assert (voice.mime_type, voice.duration, voice.file_path) == (
        "audio/ogg",
        2,
        "voice/file_0.oga",
    )
    document = store.add(b"%PDF-1.7", "document", file_name="rules.pdf")
    assert document.file_path == "documents/file_1.pdf"
    assert store.by_path(document.file_path) is document
    assert store.by_id(voice.file_id) is voice
    assert "file_name" not in voice.as_media()


def test_markup_validation() -> None:
    assert normalize_markup({"keyboard": [["Yes", {"text": "No"}]]}) == {
        "keyboard": [[{"text": "Yes"}, {"text": "No"}]]
    }
    with pytest.raises(BotApiError, match="BUTTON_DATA_INVALID"):
        normalize_markup({"inline_keyboard": [[{"text": "x", "callback_data": "d" * 65}]]})
    with pytest.raises(BotApiError, match="Text buttons are unallowed"):
        normalize_markup({"inline_keyboard": [[{"text": "x"}]]})


async def test_update_queue_offsets() -> None:
    queue = UpdateQueue()
    for number in range(5):
        queue.push("message", {"n": number})
    assert [u["update_id"] for u in await queue.take(3, 100, 0)] == [3, 4, 5]
    queue.confirm(-1)
    assert [u["update_id"] for u in queue.pending()] == [5]
    assert await queue.take(6, 100, 0.01) == []
