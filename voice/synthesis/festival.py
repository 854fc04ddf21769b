"""Russian speech with Festival and Debian's festvox-ru voice, kept running between answers.

Loading the voice takes about half a second, and a whole Festival process 450–580 MB, so there
is one process (a pool of one), started on first use and fed Scheme commands on its standard
input. Each answer is written to a WAV file in a private folder; a line printed after it says
the file is complete. A process that fails, stops answering or dies is killed and started
afresh on the next request; the caller falls back to eSpeak NG meanwhile. A text the voice
answers without sound goes to eSpeak NG at once: the process is well, and a new one would
fail on it the same way (restarting cost 1.6 s of CPU each time).
"""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import tempfile
import threading
import time
import wave
from pathlib import Path
from typing import Final

import numpy as np

from core.profile import Language
from voice.synthesis.base import NORMAL_RATE, Speech, SynthesisError, check_request
from voice.synthesis.kazakh_letters import as_russian_letters
from voice.synthesis.tempo import change_tempo

VOICE: Final = "msu_ru_nsh_clunits"
VOICE_DIR: Final = Path("/usr/share/festival/voices/russian") / VOICE
START_SECONDS: Final = 30.0
"""Starting Festival and loading the voice; seconds on a busy machine."""
SECONDS_PER_CHARACTER: Final = 0.05
MIN_SECONDS: Final = 10.0


def festival_available() -> bool:
    """Whether the festival program and the Russian voice are installed."""
    return shutil.which("festival") is not None and VOICE_DIR.is_dir()


_LATIN: Final = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyz",
        "а б к д е ф г х и дж к л м н о п к р с т у в в кс й з".split(),  # noqa: SIM905
        strict=True,
    )
)
_KEEP: Final = re.compile(r"[^0-9а-яё.,!?;:\s-]+")
_LOOSE_MARKS: Final = re.compile(r"(^|\s+)([.,!?;:]+)(?=\s|$)")
"""Punctuation standing alone, as "(а)." or "«нет»." leave it: one such mark silences the voice."""
_MARKS_IN_WORD: Final = re.compile(r"(?<=[а-яё])([.,!?;:]+)(?=[а-яё])")
"""A mark between letters ("широта,долгота", "дд.мм.гггг") silences it too."""


def festival_text(text: str) -> str:
    """Text the Russian voice can read: its letter-to-sound rules know Cyrillic letters and
    plain punctuation only, and one unknown character («, —, a Latin letter) silences the
    whole answer, and so does a mark standing alone as a word ("написал а .") or between two
    letters ("дд.мм"). Latin letters are read as their nearest Russian sounds, and so are Kazakh
    letters (`kazakh_letters`: "Қарағанды" was read "ара анды"); other marks go;
    a mark left alone joins the word before it (or goes), a mark between letters gets a space."""
    lowered = text.lower()
    spelled = as_russian_letters("".join(_LATIN.get(character, character) for character in lowered))
    kept = " ".join(_MARKS_IN_WORD.sub(r"\1 ", _KEEP.sub(" ", spelled)).split())
    joined = _LOOSE_MARKS.sub(lambda mark: mark.group(2) if mark.group(1) else "", kept)
    return joined.strip()


def scheme_string(text: str) -> str:
    """Text as a Scheme string literal: quotes and backslashes escaped, one line."""
    flat = " ".join(text.split())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _NoSound(SynthesisError):
    """Festival answered but wrote no sound for the text: the process is fine, the text is not."""


class _Process:
    """One running Festival with the Russian voice loaded."""

    def __init__(self, folder: Path, voice: str = VOICE) -> None:
        command = ["festival", "--pipe"]
        if shutil.which("stdbuf"):  # Festival buffers its output when it is not a terminal
            command = ["stdbuf", "-oL", *command]
        self.child = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=folder,
        )
        self._pending = b""
        self.folder = folder
        self.send(f"(voice_{voice})")
        self.send('(format t "READY\\n")')
        self.expect("READY", START_SECONDS)

    def send(self, line: str) -> None:
        assert self.child.stdin is not None
        self.child.stdin.write(line.encode("utf-8") + b"\n")
        self.child.stdin.flush()

    def expect(self, marker: str, seconds: float) -> None:
        """Read lines until one is `marker`; SynthesisError on silence past `seconds` or exit."""
        assert self.child.stdout is not None
        stream = self.child.stdout.fileno()
        deadline = time.monotonic() + seconds
        wanted = marker.encode()
        while True:
            while b"\n" in self._pending:
                line, self._pending = self._pending.split(b"\n", 1)
                if line.strip() == wanted:
                    return
            left = deadline - time.monotonic()
            if left <= 0:
                raise SynthesisError(f"Festival did not answer within {seconds:.0f} s")
            ready, _, _ = select.select([stream], [], [], left)
            if not ready:
                continue
            block = os.read(stream, 4096)
            if not block:
                raise SynthesisError("Festival stopped")
            self._pending += block

    def stop(self) -> None:
        if self.child.poll() is None:
            self.child.kill()
        self.child.wait(timeout=5)


class FestivalSynthesizer:
    """Russian speech from Festival's msu_ru_nsh voice: one process, one answer at a time."""

    name: Final = "festival"
    languages: frozenset[Language] = frozenset({Language.RU})

    def __init__(self, *, voice: str = VOICE) -> None:
        if not festival_available():
            raise SynthesisError(
                "Festival's Russian voice is not installed (apt-get install festival festvox-ru)"
            )
        self._folder = Path(tempfile.mkdtemp(prefix="komek-festival-"))
        self._voice = voice
        self._process: _Process | None = None
        self._lock = threading.Lock()
        self._count = 0
        self.restarts = 0

    def synthesize(self, text: str, language: Language, *, rate: int = NORMAL_RATE) -> Speech:
        """Speak text at rate percent of the voice's normal speed."""
        check_request(self.name, self.languages, text, language, rate)
        with self._lock:
            for attempt in range(2):  # a process that died between answers gets one new start
                try:
                    return self._speak(text, rate)
                except _NoSound as error:  # the same text would fail again in a new process
                    raise SynthesisError(f"Festival failed: {error}") from error
                except (SynthesisError, OSError, ValueError) as error:
                    self._discard()
                    if attempt:
                        raise SynthesisError(f"Festival failed: {error}") from error
        raise AssertionError("unreachable")

    def _speak(self, text: str, rate: int) -> Speech:
        if self._process is None or self._process.child.poll() is not None:
            if self._process is not None:
                self.restarts += 1
            self._process = _Process(self._folder, self._voice)
        process = self._process
        self._count += 1
        target = self._folder / f"{self._count}.wav"
        marker = f"DONE{self._count}"
        process.send(
            f"(utt.save.wave (utt.synth (Utterance Text {scheme_string(festival_text(text))})) "
            f"{scheme_string(str(target))} 'riff)"
        )
        process.send(f'(format t "{marker}\\n")')
        process.expect(marker, max(MIN_SECONDS, SECONDS_PER_CHARACTER * len(text)))
        try:
            with wave.open(str(target)) as reader:
                sample_rate = reader.getframerate()
                frames = reader.readframes(reader.getnframes())
        except (FileNotFoundError, wave.Error, EOFError) as error:
            raise _NoSound(f"Festival wrote no sound ({error})") from error
        finally:
            target.unlink(missing_ok=True)
        samples = np.frombuffer(frames, dtype="<i2").astype(np.int16)
        if not len(samples):
            raise _NoSound("Festival wrote no sound")
        # The unit-selection voice keeps its recorded pace whatever Duration_Stretch says.
        return Speech(change_tempo(samples, sample_rate, rate), sample_rate, self.name)

    @property
    def pid(self) -> int | None:
        """The running Festival's process id, None before the first answer."""
        return self._process.child.pid if self._process is not None else None

    def _discard(self) -> None:
        """Kill a process that failed; the next request starts a new one."""
        if self._process is not None:
            self._process.stop()
            self._process = None
            self.restarts += 1

    def close(self) -> None:
        """Stop Festival and remove its folder."""
        with self._lock:
            if self._process is not None:
                self._process.stop()
                self._process = None
        shutil.rmtree(self._folder, ignore_errors=True)
