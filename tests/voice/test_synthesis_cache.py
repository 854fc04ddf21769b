"""The synthesis cache: a repeated answer is not synthesised or encoded again."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

import pytest

from core.profile import Language
from voice.synthesis import CacheKey, SynthesisCache, choose_synthesizer, normalise_for_speech


def key(text: str = "Сәлем", *, language: Language = Language.KK, rate: int = 100) -> CacheKey:
    return CacheKey(text=text, language=language, engine="espeak", rate=rate)


def test_a_miss_then_a_hit() -> None:
    cache = SynthesisCache()

    assert cache.get(key()) is None
    cache.put(key(), b"OggS voice note")

    assert cache.get(key()) == b"OggS voice note"
    assert (cache.hits, cache.misses) == (1, 1)


def test_every_part_of_the_key_matters() -> None:
    cache = SynthesisCache()
    cache.put(key(), b"note")

    assert cache.get(key("Сәлем!")) is None
    assert cache.get(key(language=Language.RU)) is None
    assert cache.get(key(rate=150)) is None
    assert cache.get(CacheKey("Сәлем", Language.KK, "gtts", 100)) is None


def test_the_least_recently_used_note_goes_first() -> None:
    cache = SynthesisCache(max_entries=2)
    cache.put(key("one"), b"1")
    cache.put(key("two"), b"2")
    assert cache.get(key("one")) == b"1"  # "two" is now the least recently used

    cache.put(key("three"), b"3")

    assert len(cache) == 2
    assert cache.get(key("two")) is None
    assert cache.get(key("one")) == b"1"
    assert cache.get(key("three")) == b"3"


def test_memory_is_bounded_in_bytes() -> None:
    cache = SynthesisCache(max_bytes=10)
    cache.put(key("a"), b"12345")
    cache.put(key("b"), b"12345")
    cache.put(key("c"), b"123")

    assert cache.size <= 10
    assert cache.get(key("a")) is None
    assert cache.get(key("b")) == b"12345"
    assert cache.get(key("c")) == b"123"

    cache.put(key("huge"), b"x" * 11)
    assert cache.get(key("huge")) is None
    assert cache.size <= 10


def test_replacing_a_note_keeps_the_size_right() -> None:
    cache = SynthesisCache()
    cache.put(key(), b"12345")
    cache.put(key(), b"12")

    assert cache.size == 2
    assert len(cache) == 1


def test_notes_survive_a_restart_on_disk(tmp_path: Path) -> None:
    directory = tmp_path / "tts-cache"
    SynthesisCache(directory=directory).put(key(), b"OggS voice note")

    restarted = SynthesisCache(directory=directory)

    assert restarted.get(key()) == b"OggS voice note"
    assert restarted.hits == 1
    assert len(restarted) == 1  # now in memory too


def test_disk_file_is_named_by_the_sha256_of_the_key(tmp_path: Path) -> None:
    cache = SynthesisCache(directory=tmp_path)
    cache.put(key("Сәлем", rate=120), b"note")

    canonical = json.dumps(["Сәлем", "kk", "espeak", 120], ensure_ascii=False).encode()
    expected = hashlib.sha256(canonical).hexdigest()
    assert [path.name for path in tmp_path.iterdir()] == [expected]
    assert (tmp_path / expected).read_bytes() == b"note"


def test_disk_keeps_what_memory_evicted(tmp_path: Path) -> None:
    cache = SynthesisCache(max_entries=1, directory=tmp_path)
    cache.put(key("one"), b"1")
    cache.put(key("two"), b"2")

    assert cache.get(key("one")) == b"1"
    assert cache.misses == 0


def test_an_unwritable_directory_only_costs_the_disk_copy(tmp_path: Path) -> None:
    cache = SynthesisCache(directory=tmp_path / "cache")
    (tmp_path / "cache").rmdir()
    (tmp_path / "cache").write_text("not a directory")

    cache.put(key(), b"note")

    assert cache.get(key()) == b"note"


def test_negative_bounds_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        SynthesisCache(max_entries=-1)


def test_threads_share_the_cache_safely(tmp_path: Path) -> None:
    cache = SynthesisCache(max_entries=50, directory=tmp_path)

    def work(worker: int) -> None:
        for index in range(200):
            cache.put(key(f"{worker}-{index}"), str(index).encode())
            assert cache.get(key(f"{worker}-{index}")) is not None

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(cache) == 50
    for worker in range(4):
        for index in range(200):
            assert cache.get(key(f"{worker}-{index}")) == str(index).encode()


def test_a_repeated_answer_costs_no_synthesis(tmp_path: Path) -> None:
    cache = SynthesisCache(directory=tmp_path)
    synthesizer = choose_synthesizer(Language.RU)
    text = normalise_for_speech("Пособие 5 000 ₸ с 01.07.2023.", Language.RU)
    note_key = CacheKey(text, Language.RU, synthesizer.name, 100)

    assert cache.get(note_key) is None
    speech = synthesizer.synthesize(text, Language.RU)
    cache.put(note_key, speech.samples.tobytes())  # the real caller stores encoded OGG

    again = SynthesisCache(directory=tmp_path).get(note_key)
    assert again == speech.samples.tobytes()
