"""Encoded voice notes kept by what was said, so a repeated answer costs nothing."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import structlog

from core.profile import Language

log = structlog.get_logger(__name__)

DEFAULT_MAX_BYTES: Final = 32 * 1024 * 1024
DEFAULT_MAX_ENTRIES: Final = 1024


@dataclass(frozen=True)
class CacheKey:
    """What makes two voice notes the same: the text, its language, the engine and the rate."""

    text: str
    language: Language
    engine: str
    rate: int

    def digest(self) -> str:
        """SHA-256 of the key, in hex: the file name on disk."""
        canonical = json.dumps(
            [self.text, self.language.value, self.engine, self.rate], ensure_ascii=False
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class SynthesisCache:
    """An in-memory LRU of encoded voice notes, bounded in entries and bytes, with optional disk."""

    def __init__(
        self,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        directory: Path | None = None,
    ) -> None:
        """Keep at most max_entries notes and max_bytes in memory, and every note in directory."""
        if max_bytes < 0 or max_entries < 0:
            raise ValueError("cache bounds must not be negative")
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self.directory = directory
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[CacheKey, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)

    def __len__(self) -> int:
        """Number of notes held in memory."""
        return len(self._entries)

    @property
    def size(self) -> int:
        """Bytes held in memory."""
        return self._size

    def get(self, key: CacheKey) -> bytes | None:
        """The stored note for key, from memory or disk, or None."""
        with self._lock:
            data = self._entries.get(key)
            if data is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return data
        data = self._read(key)
        with self._lock:
            if data is None:
                self.misses += 1
                return None
            self.hits += 1
            self._remember(key, data)
        return data

    def put(self, key: CacheKey, data: bytes) -> None:
        """Store the encoded note for key in memory and, when configured, on disk."""
        with self._lock:
            self._remember(key, data)
        self._write(key, data)

    def _remember(self, key: CacheKey, data: bytes) -> None:
        """Put a note in memory and evict the least recently used past the bounds (lock held)."""
        old = self._entries.pop(key, None)
        if old is not None:
            self._size -= len(old)
        if len(data) > self.max_bytes or self.max_entries == 0:
            return
        self._entries[key] = data
        self._size += len(data)
        while len(self._entries) > self.max_entries or self._size > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self._size -= len(evicted)

    def _path(self, key: CacheKey) -> Path | None:
        """Where key's note lives on disk, if the cache has a directory."""
        return None if self.directory is None else self.directory / key.digest()

    def _read(self, key: CacheKey) -> bytes | None:
        """The note for key from disk, or None."""
        path = self._path(key)
        if path is None:
            return None
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            log.warning("synthesis_cache_read_failed", error=type(error).__name__)
            return None

    def _write(self, key: CacheKey, data: bytes) -> None:
        """Write the note for key to disk atomically; a failure only costs the disk copy."""
        path = self._path(key)
        if path is None:
            return
        try:
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as file:
                file.write(data)
            os.replace(file.name, path)
        except OSError as error:
            log.warning("synthesis_cache_write_failed", error=type(error).__name__)
