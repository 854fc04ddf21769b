"""English recognition with PocketSphinx and the model inside its package: no download needed."""

from __future__ import annotations

import hashlib
import queue
import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np
import pocketsphinx  # type: ignore[import-untyped]
from numpy.typing import NDArray

from core.profile import Language
from voice.recognition.base import SAMPLE_RATE, Transcript, chunks, clean_phrases, to_pcm16
from voice.recognition.errors import RecognitionFailed

DEFAULT_SEARCH = "_default"
FEATURES_SEARCH = "_features"
_FEATURES_GRAMMAR = "#JSGF V1.0;\ngrammar features;\npublic <features> = a;\n"
"""A one-word grammar: searching it costs next to nothing, while the front end runs in full."""
CHUNK_SECONDS = 0.1
"""PocketSphinx holds the GIL while it decodes a block, so blocks are kept short."""

_GRAMMARS_KEPT = 16
_CMN_PRIOR_FRAMES = 500
"""PocketSphinx's live CMN window (CMN_WIN); it shifts past 800 frames (CMN_WIN_HWM)."""
_CMN_SEGMENT_SECONDS = 2.5


class _Decoder:
    """One PocketSphinx decoder and the phrase grammars it has compiled; one thread at a time."""

    def __init__(self) -> None:
        # fwdflat off: on the test recordings it lowered WER and cut the end-of-utterance
        # pass, which holds the GIL, from about 0.6 s to 0.15 s.
        self.decoder: Any = pocketsphinx.Decoder(loglevel="FATAL", fwdflat=False)
        self.initial_cmn: str = self.decoder.get_cmn()
        self.decoder.add_jsgf_string(FEATURES_SEARCH, _FEATURES_GRAMMAR)
        self.grammars: OrderedDict[tuple[tuple[str, ...], ...], str] = OrderedDict()

    def known(self, words: tuple[str, ...]) -> bool:
        """Whether every word is in the pronunciation dictionary."""
        return all(self.decoder.lookup_word(word) is not None for word in words)

    def search_for(self, phrases: tuple[tuple[str, ...], ...]) -> str:
        """The search to use: a grammar of the known phrases, else the language model."""
        usable = tuple(words for words in phrases if self.known(words))
        if not usable:
            return DEFAULT_SEARCH
        name = self.grammars.get(usable)
        if name is not None:
            self.grammars.move_to_end(usable)
            return name
        digest = hashlib.sha256(repr(usable).encode()).hexdigest()[:16]
        name = f"phrases_{digest}"
        alternatives = " | ".join(f"( {' '.join(words)} )" for words in usable)
        grammar = f"#JSGF V1.0;\ngrammar phrases;\npublic <phrases> = ( {alternatives} )+;\n"
        try:
            self.decoder.add_jsgf_string(name, grammar)
        except ValueError as error:
            raise RecognitionFailed(f"PocketSphinx refused the phrase grammar: {error}") from error
        self.grammars[usable] = name
        while len(self.grammars) > _GRAMMARS_KEPT:
            _, old = self.grammars.popitem(last=False)
            self.decoder.activate_search(DEFAULT_SEARCH)
            self.decoder.remove_search(old)
        return name

    def cepstral_mean(self, pcm: NDArray[np.int16]) -> str:
        """The message's own cepstral mean, as batch CMN would use, from cheap one-word passes."""
        # Live CMN starts from a prior worth _CMN_PRIOR_FRAMES frames; starting from a zero
        # prior, a pass of n frames leaves mean * (prior + n) = the sum of its frames, exactly,
        # as long as the window does not shift (segments of at most _CMN_SEGMENT_SECONDS).
        zeros = ",".join("0" for _ in self.initial_cmn.split(","))
        self.decoder.activate_search(FEATURES_SEARCH)
        total: NDArray[np.float64] | None = None
        frames = 0
        step = int(SAMPLE_RATE * _CMN_SEGMENT_SECONDS)
        for start in range(0, len(pcm), step):
            self.decoder.set_cmn(zeros)
            self.decoder.start_utt()
            try:
                for block in chunks(pcm[start : start + step], CHUNK_SECONDS):
                    self.decoder.process_raw(block, False, False)
            finally:
                self.decoder.end_utt()
            count = int(self.decoder.n_frames())
            if count == 0:
                continue
            mean = np.array([float(value) for value in self.decoder.get_cmn(True).split(",")])
            segment_sum = mean * (_CMN_PRIOR_FRAMES + count)
            total = segment_sum if total is None else total + segment_sum
            frames += count
        if total is None:
            return self.initial_cmn
        return ",".join(f"{value:.5f}" for value in total / frames)

    def decode(self, pcm: NDArray[np.int16], phrases: tuple[tuple[str, ...], ...]) -> str:
        """The best hypothesis for one message, decoded block by block."""
        # Each message is a new speaker and microphone, so it is normalised with its own
        # cepstral mean, and results do not depend on which message this decoder heard before.
        self.decoder.set_cmn(self.cepstral_mean(pcm))
        self.decoder.activate_search(self.search_for(phrases))
        self.decoder.start_utt()
        try:
            for block in chunks(pcm, CHUNK_SECONDS):
                self.decoder.process_raw(block, False, False)
        finally:
            self.decoder.end_utt()
        hypothesis = self.decoder.hyp()
        return str(hypothesis.hypstr) if hypothesis is not None else ""


class PocketsphinxRecognizer:
    """English speech to text with the en-us model that ships inside the pocketsphinx package."""

    name = "pocketsphinx"

    def __init__(self, *, decoders: int = 2) -> None:
        if decoders < 1:
            raise ValueError("a PocketSphinx recogniser needs at least one decoder")
        self._idle: queue.SimpleQueue[_Decoder] = queue.SimpleQueue()
        for _ in range(decoders):
            self._idle.put(_Decoder())

    @property
    def language(self) -> Language:
        """English: the only model the package ships."""
        return Language.EN

    def recognize(
        self,
        samples: NDArray[np.generic],
        sample_rate: int = SAMPLE_RATE,
        *,
        phrases: Sequence[str] | None = None,
    ) -> Transcript:
        """Transcribe; with phrases, keep to a grammar of one or more of them."""
        started = time.perf_counter()
        pcm = to_pcm16(samples, sample_rate)
        text = ""
        if len(pcm):
            decoder = self._idle.get()
            try:
                text = decoder.decode(pcm, clean_phrases(phrases))
            finally:
                self._idle.put(decoder)
        return Transcript(
            text=" ".join(text.lower().split()),
            language=Language.EN,
            engine=self.name,
            audio_seconds=len(pcm) / SAMPLE_RATE,
            decode_seconds=time.perf_counter() - started,
        )
