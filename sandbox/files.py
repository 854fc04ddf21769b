"""Stored files: what the bot and the simulated users upload, with Telegram-like ids and paths."""

from __future__ import annotations

import mimetypes
import secrets
from dataclasses import dataclass
from typing import Any

MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024
_UNKNOWN = {"", "application/octet-stream"}
_FOLDERS = {"voice": "voice", "audio": "music", "document": "documents"}
_EXTENSIONS = {
    "audio/ogg": "oga",
    "audio/opus": "oga",
    "audio/mpeg": "mp3",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/webm": "webm",
    "audio/flac": "flac",
    "audio/mp4": "m4a",
    "application/pdf": "pdf",
    "text/plain": "txt",
}


def sniff_mime(data: bytes) -> str | None:
    """Return the mime type that the first bytes of a file show, if recognisable."""
    if data.startswith(b"OggS"):
        return "audio/ogg"
    if data.startswith(b"RIFF") and data[8:12] == b"WAVE":
        return "audio/wav"
    if data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    if data.startswith(b"\x1a\x45\xdf\xa3"):
        return "audio/webm"
    if data.startswith(b"fLaC"):
        return "audio/flac"
    if data[4:8] == b"ftyp":
        return "audio/mp4"
    if data.startswith(b"%PDF"):
        return "application/pdf"
    return None


def choose_mime(data: bytes, declared: str | None, file_name: str | None, default: str) -> str:
    """Pick a file's mime type: declared, else sniffed, else from its name, else the default."""
    if declared and declared.split(";")[0].strip().lower() not in _UNKNOWN:
        return declared
    guessed = mimetypes.guess_type(file_name)[0] if file_name else None
    return sniff_mime(data) or guessed or default


def _ogg_duration(data: bytes) -> float | None:
    last = data.rfind(b"OggS")
    if last < 0 or len(data) < last + 14:
        return None
    granule = int.from_bytes(data[last + 6 : last + 14], "little")
    head = data.find(b"OpusHead")
    if head >= 0 and len(data) >= head + 12:
        pre_skip = int.from_bytes(data[head + 10 : head + 12], "little")
        return max(granule - pre_skip, 0) / 48000
    vorbis = data.find(b"\x01vorbis")
    if vorbis >= 0 and len(data) >= vorbis + 16:
        rate = int.from_bytes(data[vorbis + 12 : vorbis + 16], "little")
        return granule / rate if rate else None
    return None


def _wav_duration(data: bytes) -> float | None:
    offset, byte_rate = 12, 0
    while offset + 8 <= len(data):
        chunk_id = data[offset : offset + 4]
        size = int.from_bytes(data[offset + 4 : offset + 8], "little")
        if chunk_id == b"fmt ":
            byte_rate = int.from_bytes(data[offset + 16 : offset + 20], "little")
        elif chunk_id == b"data":
            size = min(size, len(data) - offset - 8)
            return size / byte_rate if byte_rate else None
        offset += 8 + size + (size & 1)
    return None


def audio_duration(data: bytes) -> int:
    """Return the whole seconds of an OGG (Opus/Vorbis) or WAV recording, 0 if unknown."""
    seconds: float | None = None
    if data.startswith(b"OggS"):
        seconds = _ogg_duration(data)
    elif data.startswith(b"RIFF"):
        seconds = _wav_duration(data)
    return round(seconds) if seconds else 0


@dataclass(frozen=True, slots=True)
class StoredFile:
    """One stored file and what Telegram tells about it."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    mime_type: str
    kind: str
    file_name: str | None = None
    duration: int | None = None

    @property
    def file_size(self) -> int:
        """Return the size in bytes."""
        return len(self.data)

    def as_file(self) -> dict[str, Any]:
        """Return the Bot API File object that getFile answers."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
            "file_path": self.file_path,
        }

    def as_media(self, **extra: Any) -> dict[str, Any]:
        """Return the Voice, Audio or Document object a Message carries."""
        media: dict[str, Any] = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.kind in ("voice", "audio"):
            media["duration"] = self.duration or 0
        if self.file_name and self.kind != "voice":
            media["file_name"] = self.file_name
        media["mime_type"] = self.mime_type
        media["file_size"] = self.file_size
        media.update({key: value for key, value in extra.items() if value is not None})
        return media


class FileStore:
    """Files in memory, found by file_id or by file_path."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}

    def add(
        self,
        data: bytes,
        kind: str,
        *,
        mime_type: str | None = None,
        file_name: str | None = None,
        duration: int | None = None,
    ) -> StoredFile:
        """Store bytes as a voice, audio or document file and return its record."""
        default = "audio/ogg" if kind == "voice" else "application/octet-stream"
        if kind == "audio":
            default = "audio/mpeg"
        mime = choose_mime(data, mime_type, file_name, default)
        base = mime.split(";")[0].strip().lower()
        extension = _EXTENSIONS.get(base) or (mimetypes.guess_extension(base) or ".bin")[1:]
        if duration is None and kind != "document":
            duration = audio_duration(data)
        number = len(self._by_id)
        stored = StoredFile(
            file_id=f"{kind[:2].upper()}{number}{secrets.token_urlsafe(18)}",
            file_unique_id=secrets.token_urlsafe(9),
            file_path=f"{_FOLDERS.get(kind, 'documents')}/file_{number}.{extension}",
            data=data,
            mime_type=mime,
            kind=kind,
            file_name=file_name,
            duration=duration,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def by_id(self, file_id: str) -> StoredFile | None:
        """Return the file with this file_id, if any."""
        return self._by_id.get(file_id)

    def by_path(self, file_path: str) -> StoredFile | None:
        """Return the file with this file_path, if any."""
        return self._by_path.get(file_path)

    def __len__(self) -> int:
        """Return how many files are stored."""
        return len(self._by_id)
